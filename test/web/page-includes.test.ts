import fs from 'node:fs';
import path from 'node:path';
import { expandIncludes, siteNav } from '../../web/page-includes.js';

const web = path.resolve(process.cwd(), 'web');
const header = fs.readFileSync(path.join(web, 'partials', 'site-header.html'), 'utf8');

describe('the site header shared by every page', () => {
  it('when a page names its own link, then that link alone carries aria-current="page"', () => {
    expect(siteNav('/saved-searches')).toBe(
      '<a href="/">Search</a><a href="/saved-searches" aria-current="page">Saved searches</a><a href="/docs">API</a>',
    );
  });

  it('when a page is not in the navigation, then no link is current and the editors\' analytics page is not listed', () => {
    expect(siteNav(undefined)).toBe('<a href="/">Search</a><a href="/saved-searches">Saved searches</a><a href="/docs">API</a>');
    expect(siteNav('/analytics')).toContain('<a href="/analytics" aria-current="page">Analytics</a>');
  });

  it('when a marker is expanded, then the partial replaces the whole marker line, indentation included', () => {
    const page = '<body>\n  <!-- site-header current="/" -->\n  <main></main>\n</body>\n';
    const out = expandIncludes(page, '  <header>{{nav}}</header>\n');
    expect(out).toBe('<body>\n  <header><a href="/" aria-current="page">Search</a><a href="/saved-searches">Saved searches</a><a href="/docs">API</a></header>\n  <main></main>\n</body>\n');
  });

  it('when a marker names a page no link goes to, or the partial lacks {{nav}}, then the build fails saying so', () => {
    expect(() => expandIncludes('<!-- site-header current="/nowhere" -->', header)).toThrow(/no link .* goes to \/nowhere/u);
    expect(() => expandIncludes('<!-- site-header -->', '<header></header>')).toThrow(/no \{\{nav\}\} placeholder/u);
  });

  it('when every page of web/pages is built, then each has exactly one header and no marker is left', () => {
    for (const file of fs.readdirSync(path.join(web, 'pages'))) {
      const html = expandIncludes(fs.readFileSync(path.join(web, 'pages', file), 'utf8'), header);
      expect({ file, headers: html.match(/<header class="site-header">/gu)?.length ?? 0 }).toEqual({ file, headers: 1 });
      expect(html).not.toMatch(/site-header(?:\s+current="[^"]*")?\s*-->/u);
    }
  });
});
