import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { documentCandidates } from '../../indexer/sources/http-documents.js';
import { readFile } from '../../indexer/sources/read-source.js';
import { runIndexer } from '../helpers/indexer-cli.js';

/** One defect class of issue 21 per test, each on a small feed written here (feeds 7–10), and issue 19's messages. */

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-feeds-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** Writes a feed file (text as UTF-8, or raw bytes) and returns its path. */
function feedFile(content: string | Uint8Array, name = `f${++n}.xml`): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Every record the indexer's feed reader gives for a feed. */
async function read(content: string | Uint8Array): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of readFile(feedFile(content), 'feed', { source: tmp, label: 'feed.xml', map: new Map() })) out.push(r);
  return out;
}

const item = (i: number, extra = '') =>
  `<item><title>Item ${i}</title><link>https://feed.example/${i}</link><description>Body of item ${i}.</description>${extra}</item>`;
const rss = (items: string, channel = '<title>Feed</title>') => `<?xml version="1.0"?>\n<rss version="2.0"><channel>${channel}\n${items}\n</channel></rss>`;

describe('class 7: no item ever vanishes silently', () => {
  it('when an item holds a raw "&" in its link, then it is read with that link, and so is every item after it', async () => {
    const rs = await read(rss([item(1), '<item><title>Two</title><link>https://feed.example/2?a=1&b=2</link><description>x &amp; y &#38; z</description></item>', item(3)].join('\n')));
    expect(rs.map((r) => [r.location, r.parseError])).toEqual([
      ['feed.xml:3 (item 1)', undefined],
      ['feed.xml:4 (item 2)', undefined],
      ['feed.xml:5 (item 3)', undefined],
    ]);
    expect(rs[1]!.value).toMatchObject({ url: 'https://feed.example/2?a=1&b=2', body: 'x & y & z' });
  });

  it('when an item holds malformed XML, then that item alone is rejected at its location', async () => {
    const rs = await read(rss([item(1), '<item><title>Two</title><link>https://feed.example/2</link><description>Unclosed <b>tag</description></item>', item(3)].join('\n')));
    expect(rs.map((r) => [r.location, r.parseError?.replace(/: \d+:\d+: .*/, '')])).toEqual([
      ['feed.xml:3 (item 1)', undefined],
      ['feed.xml:4 (item 2)', 'malformed XML'],
      ['feed.xml:5 (item 3)', undefined],
    ]);
  });

  it('when the feed is cut off inside an item, then that item is rejected as cut off, not lost', async () => {
    const rs = await read(`<rss version="2.0"><channel><title>Feed</title>\n${item(1)}\n<item><title>Half</title><description>The text stops`);
    expect(rs).toEqual([
      expect.objectContaining({ location: 'feed.xml:2 (item 1)', value: expect.objectContaining({ title: 'Item 1' }) }),
      expect.objectContaining({ location: 'feed.xml:3 (item 2)', parseError: 'malformed XML: the file ends inside this item (cut off)' }),
    ]);
  });

  it('when RSS 1.0 elements carry a prefix (<rss:item> under <rdf:RDF>), then the items are read', async () => {
    const rs = await read(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<rss:channel rdf:about="https://feed.example/"><rss:title>Prefixed feed</rss:title></rss:channel>
<rss:item rdf:about="https://feed.example/1"><rss:title>First</rss:title><rss:link>https://feed.example/1</rss:link><rss:description>One.</rss:description><dc:date>2026-03-14T09:30:00Z</dc:date></rss:item>
</rdf:RDF>`);
    expect(rs.map((r) => r.value)).toEqual([
      { title: 'First', body: 'One.', url: 'https://feed.example/1', publishedAt: '2026-03-14T09:30:00Z', source: 'Prefixed feed' },
    ]);
  });

  it('when the RSS 2.0 root itself is prefixed, then it is still a feed and its items are read', async () => {
    const rs = await read(`<r:rss xmlns:r="http://backend.userland.com/rss2" version="2.0"><r:channel><r:title>Feed</r:title>${item(1).replace(/<(\/?)/g, '<$1r:')}</r:channel></r:rss>`);
    expect(rs).toEqual([expect.objectContaining({ value: expect.objectContaining({ title: 'Item 1', url: 'https://feed.example/1' }) })]);
  });

  it('when an item uses HTML entities (&eacute; &nbsp;), then they are read as HTML defines them', async () => {
    const rs = await read(rss('<item><title>Caf&eacute;&nbsp;reopens</title><link>https://feed.example/c</link><description>Open.</description></item>'));
    expect(rs[0]!.value).toMatchObject({ title: 'Café reopens' });
  });
});

describe('class 8: encodings declared by BOM or XML declaration', () => {
  const text = rss(item(1).replace('Item 1', 'Καλημέρα — 한국'));
  const utf32 = (s: string, little: boolean) => {
    const cps = [...s].map((c) => c.codePointAt(0)!);
    const buf = Buffer.alloc(cps.length * 4);
    cps.forEach((cp, i) => (little ? buf.writeUInt32LE(cp, i * 4) : buf.writeUInt32BE(cp, i * 4)));
    return buf;
  };
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

  it.each([
    ['UTF-16LE without a BOM', Buffer.from(text, 'utf16le')],
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
    ['UTF-32BE without a BOM', utf32(text, false)],
    ['UTF-32LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32(text, true)])],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
  ])('when a feed is %s, then its items are read', async (_what, bytes) => {
    const rs = await read(bytes);
    expect(rs.map((r) => (r.value as { title?: string } | undefined)?.title)).toEqual(['Καλημέρα — 한국']);
  });

  it('when a feed declares ISO-8859-7 or EUC-KR, then its bytes are read in that encoding', async () => {
    const greek = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-7"?>\n<rss version="2.0"><channel><item><title>'), Buffer.from([0xca, 0xe1, 0xeb, 0xe7, 0xec, 0xdd, 0xf1, 0xe1]), Buffer.from('</title><description>x</description></item></channel></rss>')]);
    const korean = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="euc-kr"?>\n<rss version="2.0"><channel><item><title>'), Buffer.from([0xc7, 0xd1, 0xb1, 0xb9]), Buffer.from('</title><description>x</description></item></channel></rss>')]);
    expect((await read(greek))[0]!.value).toMatchObject({ title: 'Καλημέρα' });
    expect((await read(korean))[0]!.value).toMatchObject({ title: '한국' });
  });

  it('when one item holds bytes that are not UTF-8, then only that item is rejected, naming the encoding', async () => {
    const [head, tail] = rss(`${item(1)}\n<item><title>Bad @</title><description>x</description></item>\n${item(3)}`).split('@');
    const rs = await read(Buffer.concat([Buffer.from(head!), Buffer.from([0xff, 0x41]), Buffer.from(tail!)]));
    expect(rs.map((r) => r.parseError ?? 'kept')).toEqual(['kept', 'the item holds bytes that are not valid UTF-8', 'kept']);
  });

  it('when a feed says &#146; meaning a Windows-1252 quote, then the quote is read', async () => {
    const rs = await read(rss('<item><title>Don&#146;t panic</title><link>https://feed.example/q</link><description>x</description></item>'));
    expect(rs[0]!.value).toMatchObject({ title: 'Don’t panic' });
  });
});

describe('class 9 and 10: text inside child elements; Atom 0.3 types, modes and dates; Dublin Core', () => {
  it('when an RSS description holds naked <p> elements and a title holds <b>, then their text is kept', async () => {
    const rs = await read(rss('<item><title>Example <b>RSS</b></title><link>https://feed.example/x</link><description><p>First paragraph.</p><p>Second <em>one</em>.</p></description></item>'));
    expect(rs[0]!.value).toMatchObject({ title: 'Example RSS', body: 'First paragraph.\n\nSecond one.' });
  });

  it('when an Atom 0.3 entry has inline XHTML, text/plain with "<blink>", base64 content and modified/issued dates, then each is read by its type', async () => {
    const base64 = Buffer.from('<p>Decoded <b>body</b>.</p>').toString('base64');
    const rs = await read(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
<entry><title type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">Example <b>Atom</b></div></title>
<link rel="alternate" type="text/html" href="https://feed.example/a"/><issued>2004-01-01T19:48:21Z</issued><modified>2004-01-02T08:00:00Z</modified>
<summary type="text/plain">History of the &lt;blink&gt; tag</summary><content type="text/html" mode="base64">${base64}</content></entry></feed>`);
    expect(rs[0]!.value).toEqual({
      title: 'Example Atom',
      body: 'Decoded body.',
      summary: 'History of the <blink> tag',
      url: 'https://feed.example/a',
      publishedAt: '2004-01-01T19:48:21Z',
      updatedAt: '2004-01-02T08:00:00Z',
      source: 'Old Atom',
    });
  });

  it('when an item names its title, dates and subject in Dublin Core, then they are read', async () => {
    const rs = await read(rss('<item xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>DC title</dc:title><link>https://feed.example/d</link><description>x</description><dcterms:issued>2003-12-31T10:14:55Z</dcterms:issued><dcterms:modified>2004-01-01T00:00:00Z</dcterms:modified><dc:subject>Ports</dc:subject></item>'));
    expect(rs[0]!.value).toMatchObject({ title: 'DC title', publishedAt: '2003-12-31T10:14:55Z', updatedAt: '2004-01-01T00:00:00Z', category: 'Ports' });
  });
});

describe('issue 19: every rejection names the real rule', () => {
  it('when a pubDate is RFC 822 (named zones, two-digit years, no seconds), then it is accepted and normalised', async () => {
    const rs = await read(rss([
      item(1, '<pubDate>Thu, 01 Jan 04 19:48:21 EST</pubDate>'),
      item(2, '<pubDate>Mon, 26 January 2004 16:31 PT</pubDate>'),
      item(3, '<pubDate>Wed, 19 Feb 2012 22:40:00 GMT-01:01</pubDate>'),
    ].join('\n')));
    expect(rs.map((r) => (r.value as { publishedAt?: string }).publishedAt)).toEqual(['2004-01-02T00:48:21.000Z', '2004-01-27T00:31:00.000Z', '2012-02-19T23:41:00.000Z']);
    expect(rs.every((r) => r.warnings === undefined)).toBe(true);
  });

  it('when links are ftp:// or not a URL, then the items are kept without them and the warning says which rule', async () => {
    const rs = await read(rss([item(1).replace('https://feed.example/1', 'ftp://files.example/1'), item(2).replace('https://feed.example/2', 'not a url')].join('\n')));
    expect(rs.map((r) => [r.location, r.value && 'url' in (r.value as object), r.warnings])).toEqual([
      ['feed.xml:3 (item 1)', false, [{ path: 'url', message: '"ftp://files.example/1" is not an http(s) URL (only http and https links are kept, not ftp); the article is kept without it' }]],
      ['feed.xml:4 (item 2)', false, [{ path: 'url', message: '"not a url" is not a URL (an absolute http(s) link such as https://example.com/a is expected); the article is kept without it' }]],
    ]);
  });

  it('when the indexer reads such a feed, then both items are indexed and each warning is printed with file:line and field', () => {
    const dir = path.join(tmp, 'cli');
    fs.mkdirSync(dir);
    const file = feedFile(rss([item(1).replace('https://feed.example/1', 'ftp://files.example/1'), item(2, '<pubDate>the day after tomorrow</pubDate>')].join('\n')), 'cli/warn.rss');
    const run = runIndexer([file], path.join(tmp, 'cli-data'));
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('warning warn.rss:3 (item 1): url: "ftp://files.example/1" is not an http(s) URL');
    expect(run.stderr).toContain('warning warn.rss:4 (item 2): publishedAt: "the day after tomorrow" is not a date (RFC 822');
  });
});

describe('issue 21 follow-up: sanitiser cases, other vocabularies, base64 by type, CDF, the document URL as base', () => {
  it('when a description holds a self-closed <iframe/> or <script/>, or an <iframe> left open, then the text after it is kept (and no script text)', async () => {
    const rs = await read(rss([
      '<item><title>One</title><description>Before&lt;iframe src="https://v.example/e/1"/&gt; after the frame.</description></item>',
      '<item><title>Two</title><description>Before&lt;script src="https://s.example/a.js"/&gt; after &lt;script&gt;var hidden = 1;&lt;/script&gt;the script.</description></item>',
      '<item><title>Three</title><description>Before&lt;iframe src="https://v.example/e/3"&gt; the text the frame holds.</description></item>',
    ].join('\n')));
    expect(rs.map((r) => (r.value as { body: string }).body)).toEqual(['Before after the frame.', 'Before after the script.', 'Before the text the frame holds.']);
  });

  it('when an RSS item carries <fullitem>, <media:title>, <media:description>, or both <summary> and <description>, then each is read', async () => {
    const rs = await read(rss([
      '<item><title>Full</title><fullitem>The &lt;b&gt;whole&lt;/b&gt; text.</fullitem><description>Short.</description></item>',
      '<item xmlns:media="http://search.yahoo.com/mrss/"><media:title>Media title</media:title><media:description type="html">Media &lt;i&gt;words&lt;/i&gt;.</media:description></item>',
      '<item><title>Both</title><summary>The summary.</summary><description>The description.</description></item>',
    ].join('\n')));
    expect(rs.map((r) => r.value)).toEqual([
      { title: 'Full', body: 'The whole text.', summary: 'Short.', source: 'Feed' },
      { title: 'Media title', body: 'Media words.', source: 'Feed' },
      { title: 'Both', body: 'The description.', summary: 'The summary.', source: 'Feed' },
    ]);
  });

  it('when Atom 1.0 content has a media type that is neither text nor XML, then it is base64: decoded when it is text, no text when binary', async () => {
    const text = Buffer.from('Plain words, base64-encoded.').toString('base64');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]).toString('base64');
    const rs = await read(`<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
<entry><title>Text</title><link href="https://feed.example/t"/><content type="application/octet-stream">\n  ${text}\n</content></entry>
<entry><title>Image</title><link href="https://feed.example/i"/><summary>The summary stands.</summary><content type="image/png">${png}</content></entry></feed>`);
    expect(rs.map((r) => (r.value as { body: string }).body)).toEqual(['Plain words, base64-encoded.', 'The summary stands.']);
  });

  it('when the file is CDF (<CHANNEL> of <ITEM HREF LASTMOD>), then its items are read, links against its BASE', async () => {
    const rs = await read(`<?xml version="1.0"?>
<CHANNEL BASE="https://cdf.example/news/" HREF="https://cdf.example/"><TITLE>Old channel</TITLE><ABSTRACT>About it.</ABSTRACT>
<ITEM HREF="story-1.html" LASTMOD="2004-04-06T23:05:43-05:00"><TITLE>First story</TITLE><ABSTRACT>What happened.</ABSTRACT></ITEM>
</CHANNEL>`);
    expect(rs).toEqual([expect.objectContaining({
      location: 'feed.xml:3 (item 1)',
      value: { title: 'First story', body: 'What happened.', url: 'https://cdf.example/news/story-1.html', updatedAt: '2004-04-06T23:05:43-05:00', source: 'Old channel' },
    })]);
  });

  it('when a feed fetched over HTTP gives relative links, then they are resolved against its URL (an xml:base still wins)', async () => {
    const body = Buffer.from(rss([
      '<item><title>Root-relative</title><link>/news/1</link></item>',
      '<item xml:base="https://cdn.example/x/"><title>Based</title><link>2</link></item>',
    ].join('\n')));
    const { records } = await documentCandidates({ url: 'https://site.example/', map: new Map() }, { url: 'https://site.example/feeds/all.rss', body, contentType: 'application/rss+xml', format: 'feed' });
    expect(records.map((c) => [(c.record.value as { url?: string }).url, c.record.warnings])).toEqual([
      ['https://site.example/news/1', undefined],
      ['https://cdn.example/x/2', undefined],
    ]);
  });
});
