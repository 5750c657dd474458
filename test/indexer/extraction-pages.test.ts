import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { validateArticle } from '../../src/core/validate-article.js';
import { dropChrome, lineKind } from '../../indexer/clean/chrome.js';
import { extractHtmlPage } from '../../indexer/clean/html-page.js';
import { readFile } from '../../indexer/sources/read-source.js';

/** One defect class of issue 21 per test, each on a small page written here (pages 1–6). */

const para = (n: number) =>
  Array.from({ length: n }, (_, i) => `<p>Paragraph ${i + 1} of the harbour story says that the ferry terminal at Valmora reopened on Monday after the storm, and that crews worked through the night.</p>`).join('\n');

const page = (o: { html?: string; body?: string; head?: string; article?: string }) =>
  `<!doctype html><html ${o.html ?? ''}><head><title>Harbour reopens after the storm | Valmora Herald</title>${o.head ?? ''}</head>` +
  `<body ${o.body ?? ''}>${o.article ?? `<article><h1>Harbour reopens after the storm</h1>${para(6)}</article>`}</body></html>`;

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-pages-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The one record the indexer's HTML reader gives for a page. */
async function readPage(html: string): Promise<SourceRecord> {
  const file = path.join(tmp, `p${Math.random().toString(36).slice(2)}.html`);
  fs.writeFileSync(file, html);
  const out: SourceRecord[] = [];
  for await (const r of readFile(file, 'html', { source: tmp, label: 'page.html', map: new Map() })) out.push(r);
  expect(out).toHaveLength(1);
  return out[0]!;
}

describe('class 1: chrome removal never takes the page or its main text', () => {
  it.each([
    ['an <html> whose class mentions a newsletter', { html: 'class="newsletter-signup-enabled"' }],
    ['a <body> whose class mentions share tools', { body: 'class="page share_tools"' }],
    ['a <main> whose class mentions social', { article: `<main class="social-layout"><h1>Harbour reopens after the storm</h1>${para(6)}</main>` }],
    ['an article wrapper whose id contains "share"', { article: `<div id="shareable-story"><h1>Harbour reopens after the storm</h1>${para(6)}</div>` }],
    ['a whole-page <form> (ASP.NET style)', { article: `<form id="aspnetForm"><div class="story"><h1>Harbour reopens after the storm</h1>${para(6)}</div></form>` }],
  ])('when the page has %s, then every paragraph is kept', (_what, parts) => {
    const body = extractHtmlPage(page(parts))['body'] as string;
    expect(body.split('\n\n').filter((p) => p.startsWith('Paragraph'))).toHaveLength(6);
  });

  it('when real chrome sits beside the article, then it still goes', () => {
    const html = page({ article: `<div class="share-bar"><a href="#">Share on Twitter</a> <a href="#">Email</a></div><article><h1>Harbour reopens after the storm</h1>${para(4)}</article><aside class="related-stories"><a href="/a">Storm closes harbour</a></aside>` });
    const body = extractHtmlPage(html)['body'] as string;
    expect(body).not.toMatch(/Share on Twitter|Storm closes harbour/);
    expect(body.split('\n\n')).toHaveLength(4);
  });
});

describe('class 2: lists, changelogs and CJK paragraphs are article text', () => {
  it('when an article holds a bulleted list of plain items, then the items are kept, and a run of linked headlines is not', () => {
    const list = '<ul><li>Ferries resume at 06:00</li><li>Parking stays closed</li><li>Buses run every 20 minutes</li></ul>';
    const teasers = '<ul><li><a href="/1">Storm closes harbour</a></li><li><a href="/2">Fishing fleet stays in port</a></li><li><a href="/3">Mayor visits coast</a></li></ul>';
    const body = extractHtmlPage(page({ article: `<article><h1>Harbour reopens</h1>${para(2)}${list}${para(2)}${teasers}${para(1)}</article>` }))['body'] as string;
    expect(body).toContain('Ferries resume at 06:00\n\nParking stays closed\n\nBuses run every 20 minutes');
    expect(body).not.toContain('Storm closes harbour');
  });

  it('when lines are changelog entries or Chinese sentences, then they read as text, not as headlines', () => {
    expect(['- Fixed the crash on start', '• Faster sync', '3) Dropped Node 18'].map(lineKind)).toEqual(['text', 'text', 'text']);
    const chinese = '港口在暴风雨过后于星期一重新开放，渡轮码头的工作人员整夜工作以修复受损的设施。';
    expect(lineKind(chinese)).toBe('text');
    expect(lineKind('港口重新开放了吗？')).toBe('text');
    expect(dropChrome(['港口重新开放。', '渡轮恢复运营！', '巴士每二十分钟一班；'])).toHaveLength(3);
  });

  it('when a page is written in Chinese, then its paragraphs are all kept', () => {
    const zh = Array.from({ length: 5 }, (_, i) => `<p>第${i + 1}段：港口在暴风雨过后于星期一重新开放，渡轮码头的工作人员整夜工作，以修复受损的设施和道路。</p>`).join('');
    const body = extractHtmlPage(`<html lang="zh"><head><title>港口重新开放</title></head><body><article><h1>港口重新开放</h1>${zh}</article></body></html>`)['body'] as string;
    expect(body.split('\n\n').filter((p) => p.startsWith('第'))).toHaveLength(5);
  });
});

describe('class 3: one bad optional field never rejects the page', () => {
  it('when the date is "2015-07-10 09:53:00 -0400", then it is read as that instant', async () => {
    const r = await readPage(page({ head: '<meta property="article:published_time" content="2015-07-10 09:53:00 -0400">' }));
    expect(r.value).toMatchObject({ publishedAt: '2015-07-10T13:53:00.000Z' });
    expect(r.warnings).toBeUndefined();
  });

  it('when the date cannot be read and there are 150 tags, then the page is kept without the date and with 100 tags, with warnings', async () => {
    const tags = Array.from({ length: 150 }, (_, i) => `<meta property="article:tag" content="tag ${i}">`).join('');
    const r = await readPage(page({ head: `<meta property="article:published_time" content="sometime last week">${tags}` }));
    expect(validateArticle(r.value)).toMatchObject({ ok: true });
    expect(r.value).not.toHaveProperty('publishedAt');
    expect((r.value as { tags: string[] }).tags).toHaveLength(100);
    expect(r.warnings).toEqual([
      { path: 'publishedAt', message: expect.stringMatching(/^"sometime last week" is not a date \(RFC 822 .*ISO 8601.*\); the article is kept without it$/) },
      { path: 'tags', message: '150 tags: only the first 100 are kept' },
    ]);
  });

  it('when the canonical link is ftp:// and the language tag is en_US, then the link goes with a warning naming http(s) and the tag is normalised', async () => {
    const r = await readPage(page({ html: 'lang="en_US"', head: '<meta property="og:url" content="ftp://files.example/story">' }));
    expect(r.value).toMatchObject({ language: 'en-US' });
    expect(r.value).not.toHaveProperty('url');
    expect(r.warnings).toEqual([
      { path: 'url', message: '"ftp://files.example/story" is not an http(s) URL (only http and https links are kept, not ftp); the article is kept without it' },
    ]);
  });

  it('when a page states no title of any kind, then its first line stands for it, with a warning', async () => {
    const r = await readPage(`<html><body><div>${para(3)}</div></body></html>`);
    expect(validateArticle(r.value)).toMatchObject({ ok: true });
    expect((r.value as { title: string }).title).toMatch(/^Paragraph 1 of the harbour story .*…$/);
    expect(r.warnings).toEqual([{ path: 'title', message: expect.stringContaining('states no title') }]);
  });
});

describe('class 4: the title is chosen by agreement, not the first <h1>', () => {
  it('when the first <h1> is the site banner, then the headline comes from <title> less its site name', () => {
    const html = page({ article: `<header><h1>Valmora Herald</h1></header><article><h2>Harbour reopens after the storm</h2>${para(5)}</article>` });
    expect(extractHtmlPage(html)['title']).toBe('Harbour reopens after the storm');
  });

  it('when a section name is the first <h1> and the headline is another, then the one <title> names wins', () => {
    const html = page({ article: `<h1>Local news</h1><article><h1>Harbour reopens after the storm</h1>${para(5)}</article>` });
    expect(extractHtmlPage(html)['title']).toBe('Harbour reopens after the storm');
  });
});

describe('class 5 and 6: bylines, profile links and JSON-LD in CDATA', () => {
  it('when article:author is a profile URL and the byline is in the text, then the name is the author', () => {
    const html = page({
      head: '<meta property="article:author" content="https://www.facebook.com/ana.ruiz">',
      article: `<article><h1>Harbour reopens after the storm</h1><p class="byline">By <a rel="author" href="/staff/ana-ruiz">Ana Ruiz</a></p>${para(5)}</article>`,
    });
    expect(extractHtmlPage(html)['author']).toBe('Ana Ruiz');
  });

  it('when article:author is only a profile URL, then no author is stored', () => {
    const html = page({ head: '<meta property="article:author" content="https://www.facebook.com/ana.ruiz">' });
    expect(extractHtmlPage(html)).not.toHaveProperty('author');
  });

  it('when JSON-LD is wrapped in <![CDATA[ ]]>, then its headline, date and author are read', () => {
    const ld = '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Ferries run again","datePublished":"2026-03-14T09:30:00Z","author":{"@type":"Person","name":"Ana Ruiz"}}';
    const html = page({ head: `<script type="application/ld+json">//<![CDATA[\n${ld}\n//]]></script>` });
    expect(extractHtmlPage(html)).toMatchObject({ publishedAt: '2026-03-14T09:30:00Z', author: 'Ana Ruiz' });
  });
});
