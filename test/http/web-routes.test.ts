import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import type { HttpOptions } from '../../src/http/http-options.js';
import { PAGE_KEY_TAG } from '../../src/http/web-routes.js';
import { Similarity } from '../../src/similarity/similarity.js';

/** A built front end in miniature: the files `npm run build:web` writes, with recognisable contents. */
function webRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  for (const page of ['index', 'article', 'entity', 'saved-searches']) {
    fs.writeFileSync(path.join(dir, `${page}.html`), `<!doctype html><head>${PAGE_KEY_TAG}<title>${page}</title></head>`);
  }
  fs.writeFileSync(path.join(dir, 'assets', 'app.css'), 'body{}');
  // As esbuild writes web/src/widget.ts's key literal (minified, double quotes), and a second use of it.
  fs.writeFileSync(path.join(dir, 'widget.js'), '/* widget */(()=>{var p="__NEWSFIND_PUBLIC_API_KEY__";window.widgetKey=[p,`__NEWSFIND_PUBLIC_API_KEY__`]})();');
  return dir;
}

function appWith(root: string | undefined, http: Partial<HttpOptions> = {}) {
  const engine = SqliteEngine.open({ file: ':memory:' });
  const similarity = Similarity.open(':memory:', { serve: true });
  return createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, webRoot: root, http });
}

/** The key literals of a served widget.js, as the browser would evaluate them. */
function widgetKeys(script: string): unknown {
  const window: { widgetKey?: unknown } = {};
  new Function('window', script)(window);
  return window.widgetKey;
}

/** The key a served page carries, as the browser reads its meta tag (attribute value, entities decoded). */
function pageKey(html: string): string | undefined {
  const content = /<meta name="newsfind-api-key" content="([^"]*)">/.exec(html)?.[1];
  return content?.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');
}

describe('web front end routes', () => {
  it('when the pages are requested, then each path gets its page, revalidated, under helmet\'s CSP', async () => {
    const app = appWith(webRoot());
    const cases: [string, string][] = [['/', 'index'], ['/article/demo-009', 'article'], ['/entity/person/Zo%C3%AB%20Halvorsen', 'entity'], ['/saved-searches', 'saved-searches']];
    for (const [url, page] of cases) {
      const res = await request(app).get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain(`<title>${page}</title>`);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
    const css = await request(app).get('/assets/app.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
  });

  it('when another site loads /widget.js, then the resource policy lets it and it may be cached', async () => {
    const res = await request(appWith(webRoot())).get('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
  });

  it('when the widget pings from a page of any origin (no CORS), then it gets an answer it may read the arrival of, never cached', async () => {
    const res = await request(appWith(webRoot())).get('/widget/ping').set('Origin', 'https://not-listed.example');
    expect(res.status).toBe(204);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('when the front end is not built or a file is missing, then those paths are unknown routes (problem+json 404)', async () => {
    const none = await request(appWith(path.join(os.tmpdir(), 'newsfind-no-such-dir'))).get('/');
    expect(none.status).toBe(404);
    expect(JSON.parse(none.text).code).toBe('route_not_found');
    const root = webRoot();
    fs.rmSync(path.join(root, 'widget.js'));
    const missing = await request(appWith(root)).get('/widget.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(appWith(root)).get('/assets/nothing.js')).status).toBe(404);
  });

  it('when PUBLIC_API_KEY is set, then every page carries it in its meta tag, HTML-escaped, and the CSP still holds', async () => {
    const key = `pub"><script>alert(1)</script>&'$&-key`;
    const app = appWith(webRoot(), { publicApiKey: key, searchApiKey: 'a-private-search-key-for-back-ends' });
    for (const url of ['/', '/article/demo-009', '/entity/person/Zo%C3%AB%20Halvorsen']) {
      const res = await request(app).get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['last-modified']).toBeUndefined();
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.text).not.toContain('<script>');
      expect(pageKey(res.text)).toBe(key);
    }
  });

  it('when PUBLIC_API_KEY is set, then widget.js carries it as a JavaScript string; without one, as ""', async () => {
    const key = 'pub"\\</script>$&$1-key';
    const res = await request(appWith(webRoot(), { publicApiKey: key })).get('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(widgetKeys(res.text)).toEqual([key, key]);
    const none = await request(appWith(webRoot())).get('/widget.js');
    expect(widgetKeys(none.text)).toEqual(['', '']);
    expect(pageKey((await request(appWith(webRoot())).get('/')).text)).toBe('');
  });
});
