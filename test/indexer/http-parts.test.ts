import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { IndexerState } from '../../indexer/state.js';
import { parseDuration } from '../../indexer/follow.js';
import { canonicalUrl } from '../../indexer/sources/http-canonical.js';
import type { HttpOptions } from '../../indexer/sources/http-client.js';
import { backoffMs, HttpClient, HttpFetchError, retryAfterMs } from '../../indexer/sources/http-client.js';
import { httpFormat } from '../../indexer/sources/http-format.js';
import { HostGate } from '../../indexer/sources/http-host-gate.js';
import type { HttpLedger } from '../../indexer/sources/http-source.js';
import { readHttpSource } from '../../indexer/sources/http-source.js';
import { createWeb, DEFAULT_HTTP_OPTIONS } from '../../indexer/sources/http-web.js';
import { isJsonFeed, jsonFeedItemToRecord } from '../../indexer/sources/json-feed.js';
import { readSitemap } from '../../indexer/sources/sitemap-records.js';
import { HttpSite } from '../helpers/http-site.js';

/** The parts of HTTP ingestion on their own: the client against a loopback site, the gate, the parsers. */

describe('HttpClient against a loopback site', () => {
  const site = new HttpSite();
  let base: string;
  const options: HttpOptions = { ...DEFAULT_HTTP_OPTIONS, userAgent: 'parts-test/1', timeoutMs: 1_000, maxBytes: 100_000, hostDelayMs: 0, retries: 0, backoffMs: 10 };
  const client = new HttpClient(options);
  const get = (p: string, extra: Partial<Parameters<HttpClient['get']>[1]> = {}) => client.get(`${base}${p}`, { accept: '*/*', ...extra });
  const failure = async (p: string): Promise<HttpFetchError> => {
    const error = await get(p).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HttpFetchError);
    return error as HttpFetchError;
  };

  beforeAll(async () => {
    base = await site.start();
    for (let i = 0; i < 6; i++) site.routes.set(`/hop${i}`, { status: 307, headers: { location: `/hop${i + 1}` } });
    site.routes.set('/hop6', { body: 'landed' });
    site.routes.set('/dated', (req, res) => {
      if (req.headers['if-modified-since'] === 'Mon, 04 May 2026 08:00:00 GMT') res.writeHead(304).end();
      else res.writeHead(200, { 'last-modified': 'Mon, 04 May 2026 08:00:00 GMT' }).end('dated');
    });
    site.routes.set('/bomb', { headers: { 'content-encoding': 'gzip' }, body: zlib.gzipSync(Buffer.alloc(10_000_000)) });
    site.routes.set('/stall', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('the headers came, the body never ends');
    });
    site.routes.set('/brotli', { headers: { 'content-encoding': 'br' }, body: zlib.brotliCompressSync(Buffer.from('brotli body '.repeat(100))) });
    site.routes.set('/away', { status: 503, headers: { 'retry-after': '3600' } });
    site.routes.set('/gone', { status: 410 });
  });
  afterAll(() => site.stop());

  it('when a chain has 5 redirects, then it is followed; 6 are refused', async () => {
    expect((await get('/hop1')).body?.toString()).toBe('landed');
    expect((await failure('/hop0')).message).toMatch(/more than 5 redirects/);
  });

  it('when Last-Modified is sent back, then a 304 returns no body', async () => {
    const fresh = await get('/dated');
    expect(fresh).toMatchObject({ status: 200, lastModified: 'Mon, 04 May 2026 08:00:00 GMT' });
    const again = await get('/dated', { validators: { lastModified: fresh.lastModified } });
    expect(again).toMatchObject({ status: 304, body: undefined });
  });

  it('when a body is brotli-encoded, then it is decoded', async () => {
    expect((await get('/brotli')).body?.toString()).toBe('brotli body '.repeat(100));
  });

  it('when a small gzip body decodes past the cap, then it is cut (a gzip bomb)', async () => {
    expect((await failure('/bomb')).code).toBe('too_large');
  });

  it('when a body stalls after the headers, then the time-out covers it', async () => {
    expect((await failure('/stall')).code).toBe('timeout');
  });

  it('when a 503 asks for more wait than allowed, then it fails at once with the wait noted; a 410 is not retried', async () => {
    const away = await failure('/away');
    expect(away.details).toMatchObject({ status: 503, retryAfterMs: 3_600_000 });
    expect((await failure('/gone')).details).toMatchObject({ status: 410, retriable: false });
  });
});

describe('HostGate', () => {
  it('when many requests go to one host, then no more than perHost run at once, and other hosts are not held up', async () => {
    const gate = new HostGate(2, 0, Date.now);
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await Promise.all([...Array.from({ length: 10 }, () => gate.run('a.example', work)), gate.run('b.example', async () => undefined)]);
    expect(most).toBe(2);
  });
});

describe('politeness arithmetic', () => {
  it('when Retry-After is seconds or an HTTP date, then it is read as a wait in ms', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:01:00 GMT', 30_000)).toBe(30_000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });

  it('then a backoff doubles with each attempt and keeps half of it as jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const full = 100 * 2 ** (attempt - 1);
        const wait = backoffMs(100, attempt, () => r);
        return wait >= full / 2 && wait <= full;
      }),
    );
  });

  it('then durations read as --every takes them, and anything else is refused', () => {
    expect([parseDuration('30s'), parseDuration('5m'), parseDuration('1h'), parseDuration('250ms')]).toEqual([30_000, 300_000, 3_600_000, 250]);
    for (const bad of ['5', '0s', '1.5m', '5 minutes', '-1s']) expect(() => parseDuration(bad)).toThrow(/not a duration/);
  });
});

describe('canonical URLs', () => {
  it('when the same article is linked with trackers, a fragment or another case of host, then it is one URL', () => {
    const plain = canonicalUrl('https://news.example/a/story?id=7');
    for (const variant of ['https://NEWS.example/a/story?utm_source=rss&id=7#comments', 'https://news.example:443/a/story/?id=7&fbclid=x']) {
      expect(canonicalUrl(variant)).toBe(plain);
    }
    expect(canonicalUrl('https://www.news.example/a')).not.toBe(canonicalUrl('https://news.example/a'));
  });
});

describe('answers told apart', () => {
  const of = (body: string, contentType = '') => httpFormat({ url: 'https://x.example/feed', contentType, body: Buffer.from(body) });
  it('when the Content-Type or the first bytes say, then each format is known', () => {
    expect(of('<?xml version="1.0"?>\n<!-- hi -->\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', 'text/xml')).toBe('sitemap');
    expect(of('<?xml version="1.0"?><sitemapindex/>')).toBe('sitemap');
    expect(of('<rss version="2.0"/>', 'application/rss+xml')).toBe('feed');
    expect(of('<!DOCTYPE html><html></html>')).toBe('html');
    expect(of('{"version":"https://jsonfeed.org/version/1.1"}', 'application/feed+json')).toBe('json');
    expect(of('{"title":"a"}\n', 'application/x-ndjson')).toBe('jsonl');
    expect(of('title,body\n', 'text/csv; charset=utf-8')).toBe('csv');
  });
});

describe('sitemaps', () => {
  it('when a news sitemap is read, then each entry has its news title, date, keywords and publication', () => {
    const map = readSitemap(Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/a</loc><lastmod>2026-05-04</lastmod><n:news><n:publication><n:name>The Post</n:name><n:language>de</n:language></n:publication>
<n:publication_date>2026-05-03T07:00:00+02:00</n:publication_date><n:title><![CDATA[Rates & "prices"]]></n:title><n:keywords>Economy, Rates ,</n:keywords></n:news></url>
<url><lastmod>2026-05-04</lastmod></url>
</urlset>`));
    expect(map.kind).toBe('urlset');
    expect(map.entries).toEqual([
      { loc: 'https://news.example/a', line: 3, lastmod: '2026-05-04', title: 'Rates & "prices"', publishedAt: '2026-05-03T07:00:00+02:00', keywords: ['Economy', 'Rates'], publication: 'The Post', language: 'de' },
    ]);
  });

  it('when a sitemap is malformed half-way, then the entries before the error stand and the error is named', () => {
    const map = readSitemap(Buffer.from('<urlset><url><loc>https://a.example/1</loc></url><url><loc>https://a.example/2</url></urlset>'));
    expect(map.entries.map((e) => e.loc)).toEqual(['https://a.example/1']);
    expect(map.error).toMatch(/^malformed XML: /);
  });

  it('when an index is read, then it lists its sitemaps', () => {
    const map = readSitemap(Buffer.from('<sitemapindex><sitemap><loc>https://a.example/s1.xml</loc></sitemap><sitemap><loc>https://a.example/s2.xml</loc></sitemap></sitemapindex>'));
    expect(map).toMatchObject({ kind: 'index', sitemaps: ['https://a.example/s1.xml', 'https://a.example/s2.xml'] });
  });
});

describe('JSON Feed', () => {
  it('when a 1.0 item has content_html and an author, then it is an article with its text', () => {
    const feed = { version: 'https://jsonfeed.org/version/1', title: 'Wire', items: [] };
    expect(isJsonFeed(feed)).toBe(true);
    expect(isJsonFeed({ version: '1.1', items: [] })).toBe(false);
    const { value, fullText } = jsonFeedItemToRecord({ id: 'x', external_url: 'https://a.example/x', content_html: '<p>One.</p><p>Two.</p>', summary: 'S', author: { name: 'Kim' }, title: ' A  title ' }, feed);
    expect(fullText).toBe(true);
    expect(value).toEqual({ title: 'A title', body: 'One.\n\nTwo.', summary: 'S', url: 'https://a.example/x', author: 'Kim', source: 'Wire' });
  });

  it('when an item has only a summary, then it is marked partial (its page completes it)', () => {
    const { value, fullText } = jsonFeedItemToRecord({ url: 'https://a.example/y', title: 'Y', summary: 'Short.' }, { title: 'Wire' });
    expect(fullText).toBe(false);
    expect(value['body']).toBe('Short.');
  });
});

describe('readHttpSource: a sitemap larger than the page budget', () => {
  const site = new HttpSite();
  let base: string;
  let dir: string;
  beforeAll(async () => {
    base = await site.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-budget-'));
    const urls = ['a', 'b', 'c'].map((p) => `<url><loc>${base}/${p}.html</loc></url>`).join('');
    site.routes.set('/sitemap.xml', { headers: { 'content-type': 'application/xml', etag: '"s1"' }, body: `<urlset>${urls}</urlset>` });
    for (const p of ['a', 'b', 'c']) {
      site.routes.set(`/${p}.html`, { headers: { 'content-type': 'text/html' }, body: `<html><head><title>Page ${p}</title></head><body><article><p>The text of page ${p}, long enough to be read as the main text of an article page.</p></article></body></html>` });
    }
  });
  afterAll(async () => {
    await site.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a read is cut by the budget, then its validators are not kept and the next read fetches only the pages left', async () => {
    const state = IndexerState.open(path.join(dir, 'state.db'));
    const web = createWeb({ hostDelayMs: 0, retries: 0 });
    const read = async () => {
      const ledger: HttpLedger = { successes: [], pages: [], seenUrls: new Set() };
      const records: SourceRecord[] = [];
      for await (const r of readHttpSource({ url: `${base}/sitemap.xml`, web, state, ledger, map: new Map(), fetchPages: true, maxPages: 2 })) records.push(r);
      state.sourcesSucceeded(ledger.successes);
      state.pagesFetched(ledger.pages);
      return records.map((r) => (r.value as { title?: string }).title);
    };
    try {
      expect(await read()).toEqual(['Page a', 'Page b']);
      expect(state.source(`${base}/sitemap.xml`)?.etag).toBeUndefined();
      expect(await read()).toEqual(['Page c']);
      expect(state.source(`${base}/sitemap.xml`)?.etag).toBe('"s1"');
      expect(site.hitsOf('/a.html')).toHaveLength(1); // fetched once: the same entry's page is not fetched again
      expect(await read()).toEqual([]); // 304
      expect(site.hitsOf('/sitemap.xml').at(-1)?.headers['if-none-match']).toBe('"s1"');
    } finally {
      state.close();
    }
  });
});

describe('readHttpSource: an answer that cannot be decoded', () => {
  const site = new HttpSite();
  let base: string;
  let dir: string;
  beforeAll(async () => {
    base = await site.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-undecodable-'));
    site.routes.set('/bad-sitemap.xml', { headers: { 'content-type': 'application/xml' }, body: Buffer.concat([Buffer.from('<urlset><url><loc>https://a.example/'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('</loc></url></urlset>')]) });
  });
  afterAll(async () => {
    await site.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a sitemap holds bytes invalid in its encoding, then the source is one rejected record and its failure is recorded', async () => {
    const state = IndexerState.open(path.join(dir, 'state.db'));
    try {
      const ledger: HttpLedger = { successes: [], pages: [], seenUrls: new Set() };
      const records: SourceRecord[] = [];
      const web = createWeb({ hostDelayMs: 0, retries: 0 });
      for await (const r of readHttpSource({ url: `${base}/bad-sitemap.xml`, web, state, ledger, map: new Map(), fetchPages: true })) records.push(r);
      expect(records).toEqual([expect.objectContaining({ location: `${base}/bad-sitemap.xml`, parseError: expect.stringMatching(/cannot read it as sitemap/) as string })]);
      expect(state.source(`${base}/bad-sitemap.xml`)).toMatchObject({ consecutiveFailures: 1 });
      expect(ledger.successes).toEqual([]);
    } finally {
      state.close();
    }
  });
});
