import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { deriveArticleId } from '../../src/core/article.js';
import { IndexerRuns } from '../../src/storage/indexer-runs.js';
import type { CliRun } from '../helpers/indexer-cli.js';
import { FIXTURES, storedArticles } from '../helpers/indexer-cli.js';
import { HttpSite, runIndexerAsync } from '../helpers/http-site.js';

/**
 * HTTP(S) sources through the real indexer CLI, against a site on the loopback that serves feeds (the indexer
 * fixtures and a real feed from node-feedparser's test suite), a JSON Feed, sitemaps, pages and robots.txt — and misbehaves: 304s, 500s,
 * a 429 with Retry-After, redirect chains and loops, gzip, a body over the cap, an answer slower than the time-out,
 * malformed XML. One run reads them all: nothing valid is lost because of a bad neighbour.
 */

/** A fixture feed whose links to `site` point at the loopback site instead (--fetch-pages must not leave it). */
const feed = (name: string, site: string, base: string) => fs.readFileSync(path.join(FIXTURES, 'feeds', name), 'utf8').replaceAll(site, base);
const realFeed = (name: string, site: string, base: string) =>
  fs.readFileSync(path.join(process.cwd(), 'test/fixtures/real-web/node-feedparser', name), 'utf8').replaceAll(site, base);
const idOf = (url: string) => deriveArticleId({ url, title: '', body: '' } as never);

const page = (title: string, text: string, canonical?: string) => `<!doctype html><html><head><title>${title}</title>
${canonical ? `<link rel="canonical" href="${canonical}">` : ''}<meta property="article:published_time" content="2026-05-01T10:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>${title}</h1>${text
  .split('\n')
  .map((p) => `<p>${p}</p>`)
  .join('')}</article><footer>© Site</footer></body></html>`;

const LONG = (topic: string) =>
  [
    `The ${topic} was announced on Monday by the regional authority after months of consultation with residents.`,
    `Officials said the work would begin in the autumn and last about two years, at a cost shared with the state.`,
    `Local businesses welcomed the decision, although some asked for clearer plans for deliveries during the works.`,
  ].join('\n');

const USER_AGENT = 'newsfind-test/1.0 (+mailto:ops@example.org)';

describe('HTTP sources (indexer CLI against a loopback site)', () => {
  const site = new HttpSite();
  let base: string;
  let tmp: string;
  let first: CliRun;
  let second: CliRun;
  let rejects: string;
  let withoutPages: CliRun;
  const dataDir = () => path.join(tmp, 'data');

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-http-'));
    base = await site.start();
    const r = site.routes;
    r.set('/robots.txt', { headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nDisallow: /pages/private/\n' });
    // a feed with an ETag: the second run sends it back and gets a 304
    r.set('/herald.rss', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(feed('herald.rss', 'https://herald.example', base));
    });
    // gzip-encoded Atom
    r.set('/kestria.atom', { headers: { 'content-type': 'application/atom+xml', 'content-encoding': 'gzip' }, body: zlib.gzipSync(feed('kestria.atom', 'https://kestria-daily.example', base)) });
    // a redirect chain (2 hops) to a JSON Feed 1.1 whose first item is the herald's ferry story, tracked
    r.set('/moved', { status: 301, headers: { location: '/moved-again' } });
    r.set('/moved-again', { status: 302, headers: { location: `${'/feed.json'}` } });
    r.set('/feed.json', {
      headers: { 'content-type': 'application/feed+json' },
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Harbour Wire',
        language: 'en',
        items: [
          { id: '1', url: `${base}/transport/ferry-fares?utm_source=wire#top`, title: 'Ferry fares to rise', content_text: 'Fares rise by 8%.' },
          { id: '2', url: 'https://wire.example/pier', title: 'Pier reopens', content_html: '<p>The pier <b>reopens</b> on Saturday.</p>', date_published: '2026-05-02T08:00:00Z', authors: [{ name: 'Ana Ruiz' }], tags: ['Ports'] },
        ],
      }),
    });
    r.set('/loop-a', { status: 302, headers: { location: '/loop-b' } });
    r.set('/loop-b', { status: 302, headers: { location: '/loop-a' } });
    r.set('/oversize.xml', { headers: { 'content-type': 'application/rss+xml' }, body: Buffer.alloc(300_000, 'a') });
    r.set('/oversize-declared.xml', { headers: { 'content-type': 'application/rss+xml', 'content-length': '300000' }, body: Buffer.alloc(300_000, 'a') });
    r.set('/down.rss', { status: 500 });
    r.set('/slow.rss', (_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed('herald.rss', 'https://herald.example', base)), 5_000));
    r.set('/malformed.xml', { headers: { 'content-type': 'application/xml' }, body: '<rss><channel><title>x</title><item><title>ok</title></channel>' });
    // 429 with Retry-After: 1 the first time, then a real feed (node-feedparser's rss2sample.xml): its items' pages are missing (404)
    r.set('/busy.rss', (_req, res, hits) => {
      if (hits === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(realFeed('rss2sample.xml', 'http://liftoff.msfc.nasa.gov', base));
    });
    // a news sitemap: one page allowed, one disallowed by robots.txt
    r.set('/news-sitemap.xml', {
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>${base}/pages/tram.html</loc><news:news><news:publication><news:name>Valmora Post</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-05-03T07:00:00Z</news:publication_date><news:title>Tram line approved</news:title><news:keywords>Transport, Trams</news:keywords></news:news></url>
  <url><loc>${base}/pages/private/secret.html</loc><news:news><news:publication><news:name>Valmora Post</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-05-03T08:00:00Z</news:publication_date><news:title>Secret</news:title></news:news></url>
</urlset>`,
    });
    r.set('/sitemap-index.xml', {
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${base}/sitemap-plain.xml</loc></sitemap></sitemapindex>`,
    });
    r.set('/sitemap-plain.xml', {
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${base}/pages/bridge.html?utm_campaign=x</loc><lastmod>2026-05-04</lastmod></url></urlset>`,
    });
    r.set('/pages/tram.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: page('Tram line approved | Valmora Post', LONG('tram line')) });
    r.set('/pages/private/secret.html', { headers: { 'content-type': 'text/html' }, body: page('Secret', LONG('secret plan')) });
    r.set('/pages/bridge.html', { headers: { 'content-type': 'text/html' }, body: page('New bridge for the old town', LONG('bridge'), `${base}/pages/bridge.html`) });

    // JSON Lines, CSV and a single page over HTTP, read as their files would be
    r.set('/export.jsonl', { headers: { 'content-type': 'application/x-ndjson' }, body: `${JSON.stringify({ id: 'jl-1', title: 'Lines over HTTP', body: 'One article a line.' })}\n{oops}\n` });
    r.set('/export.csv', { headers: { 'content-type': 'text/csv' }, body: 'id,title,body\ncsv-1,Rows over HTTP,One article a row.\n' });
    r.set('/pages/quay.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: page('Quay widened', LONG('quay')) });

    const sources = [
      '/export.jsonl', '/export.csv', '/pages/quay.html',
      '/herald.rss', '/kestria.atom', '/moved', '/loop-a', '/oversize.xml', '/oversize-declared.xml', '/down.rss', '/slow.rss', '/malformed.xml', '/busy.rss',
      '/news-sitemap.xml', '/sitemap-index.xml',
    ].map((p) => `${base}${p}`);
    const options = ['--fetch-pages', '--user-agent', USER_AGENT, '--max-bytes', '200000', '--timeout', '2s', '--retries', '1', '--host-delay', '0', '--per-host', '4', '--json'];
    first = await runIndexerAsync([...options, '--rejects', path.join(tmp, 'rejects.jsonl'), ...sources], dataDir());
    rejects = fs.readFileSync(path.join(tmp, 'rejects.jsonl'), 'utf8');
    second = await runIndexerAsync([...options, `${base}/herald.rss`], dataDir());
    withoutPages = await runIndexerAsync(['--host-delay', '0', '--user-agent', USER_AGENT, `${base}/news-sitemap.xml`], path.join(tmp, 'data-without-pages'));
  });

  afterAll(async () => {
    await site.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('when the sources are read, then the valid items of every readable source are indexed, whatever their neighbours did', async () => {
    expect(first.status).toBe(1); // some records rejected
    const report = JSON.parse(first.stdout.trim().split('\n').at(-1)!) as { indexed: number; rejected: number };
    const ids = {
      ferry: idOf(`${base}/transport/ferry-fares`),
      breakwater: idOf(`${base}/ports/breakwater`),
      market: idOf(`${base}/local/market-street`),
      pier: idOf('https://wire.example/pier'),
      tram: idOf(`${base}/pages/tram.html`),
      bridge: idOf(`${base}/pages/bridge.html`),
    };
    const stored = await storedArticles(dataDir(), Object.values(ids));
    expect(stored[ids.ferry]?.title).toBe('Ferry fares to rise in April'); // the herald's copy: one article from two feeds
    expect(stored[ids.breakwater]?.body).toBe('The harbour board approved a 400-metre breakwater & a new pier.'); // its page is missing: the summary stands
    expect(stored[ids.market]?.body).toContain('Market Street'); // gzip
    expect(stored[ids.pier]).toMatchObject({ title: 'Pier reopens', body: 'The pier reopens on Saturday.', author: 'Ana Ruiz', source: 'Harbour Wire', language: 'en' });
    expect(stored[ids.tram]).toMatchObject({ title: 'Tram line approved', source: 'Valmora Post', tags: ['Transport', 'Trams'], publishedAt: '2026-05-03T07:00:00.000Z' });
    expect(stored[ids.tram]?.body).toContain('Officials said the work would begin');
    expect(stored[ids.tram]?.body).not.toContain('Home | World');
    expect(stored[ids.bridge]).toMatchObject({ title: 'New bridge for the old town', updatedAt: '2026-05-04T00:00:00.000Z' });
    expect(report.indexed).toBeGreaterThanOrEqual(9);
  });

  it('when JSON Lines, CSV or a page are served, then they are read as their files would be', async () => {
    const quay = idOf(`${base}/pages/quay.html`);
    const stored = await storedArticles(dataDir(), ['jl-1', 'csv-1', quay]);
    expect(stored['jl-1']).toMatchObject({ title: 'Lines over HTTP', body: 'One article a line.' });
    expect(stored['csv-1']).toMatchObject({ title: 'Rows over HTTP', body: 'One article a row.' });
    expect(stored[quay]).toMatchObject({ title: 'Quay widened', url: `${base}/pages/quay.html` });
    expect(rejects).toMatch(/export\.jsonl:2".*malformed JSON/);
  });

  it('when a source misbehaves, then its rejection names the URL and why, and the run goes on', () => {
    const err = rejects;
    expect(err).toMatch(/loop-a: redirect loop/);
    expect(err).toMatch(/oversize\.xml: the answer is larger than the 200000 bytes accepted/);
    expect(err).toMatch(/oversize-declared\.xml: the answer is larger than the 200000 bytes accepted \(--max-bytes\): Content-Length 300000/);
    expect(err).toMatch(/down\.rss: HTTP 500/);
    expect(err).toMatch(/slow\.rss: no complete answer within 2000 ms/);
    expect(err).toMatch(/malformed\.xml.*malformed XML/);
    expect(err).toMatch(/private\/secret\.html: disallowed by .*robots\.txt/);
    expect(site.hitsOf('/down.rss')).toHaveLength(2); // one retry
  });

  it('when a server answers 429 with Retry-After, then the indexer waits and asks again, and reads the feed', async () => {
    expect(site.hitsOf('/busy.rss')).toHaveLength(2);
    const id = idOf(`${base}/news/2003/news-starcity.asp`);
    const stored = await storedArticles(dataDir(), [id]);
    expect(stored[id]).toMatchObject({ title: 'Star City', source: 'Liftoff News' });
    expect(stored[id]?.body).toMatch(/^How do Americans get ready to work with Russians/);
    expect(first.stderr).not.toMatch(/busy\.rss: HTTP 429/);
  });

  it('when requests are made, then they carry the configured User-Agent and ask for compressed answers', () => {
    for (const hit of site.hits) expect(hit.headers['user-agent']).toBe(USER_AGENT);
    expect(site.hitsOf('/kestria.atom')[0]?.headers['accept-encoding']).toMatch(/gzip/);
    expect(site.hitsOf('/robots.txt')).toHaveLength(1); // once per origin and run
    expect(site.hitsOf('/pages/private/secret.html')).toHaveLength(0);
  });

  it('when a feed is read again, then its ETag is sent back and the 304 costs nothing', () => {
    expect(second.status).toBe(0);
    const hits = site.hitsOf('/herald.rss');
    expect(hits.at(-1)?.headers['if-none-match']).toBe('"v1"');
    expect(JSON.parse(second.stdout.trim())).toMatchObject({ read: 0, indexed: 0, rejected: 0 });
  });

  it('when a sitemap is read without --fetch-pages, then it is one rejection saying so, not one per entry', () => {
    expect(withoutPages.status).toBe(1);
    const rejected = withoutPages.stderr.split('\n').filter((l) => l.startsWith('rejected '));
    expect(rejected).toEqual([expect.stringMatching(/news-sitemap\.xml: \(record\): a sitemap lists links only \(2 entries, no text\): give --fetch-pages/) as string]);
  });

  it('when the state is read as the API reads it, then each source shows its last success, items and failures', () => {
    const runs = new IndexerRuns(path.join(dataDir(), 'indexer-state.db'));
    try {
      const states = new Map(runs.sources().map((s) => [s.url.replace(base, ''), s]));
      expect(states.get('/herald.rss')).toMatchObject({ etag: '"v1"', consecutiveFailures: 0, items: expect.any(Number) as number });
      expect(states.get('/herald.rss')?.lastSuccessAt).toEqual(expect.any(Number));
      expect(states.get('/down.rss')).toMatchObject({ consecutiveFailures: 1, failuresTotal: 1, lastError: expect.stringMatching(/HTTP 500/) as string });
      expect(states.get('/sitemap-plain.xml')?.items).toBe(1);
    } finally {
      runs.close();
    }
  });
});
