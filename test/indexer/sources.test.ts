import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { validateArticle } from '../../src/core/validate-article.js';
import { extractHtmlPage } from '../../indexer/clean/html-page.js';
import type { FieldMap } from '../../indexer/sources/field-map.js';
import { FieldMapError, parseFieldMap } from '../../indexer/sources/field-map.js';
import type { SourceFormat } from '../../indexer/sources/read-source.js';
import { readFile, sourceFiles } from '../../indexer/sources/read-source.js';
import { FIXTURES } from '../helpers/indexer-cli.js';

async function records(file: string, format: SourceFormat, map: FieldMap = new Map()): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of readFile(path.join(FIXTURES, file), format, { source: 'src', label: path.basename(file), map })) out.push(r);
  return out;
}

const valueAt = (rs: readonly SourceRecord[], location: string) => rs.find((r) => r.location === location)?.value;

describe('CSV source (csv-parse, streamed)', () => {
  let rows: SourceRecord[];
  beforeAll(async () => {
    rows = await records('csv/export.csv', 'csv', parseFieldMap('title=headline,body=text,publishedAt=date,category=section,tags=keywords,url=link'));
  });

  it('when columns are mapped, then each row becomes an article located by its first line', () => {
    expect(valueAt(rows, 'export.csv:2')).toEqual({
      title: 'Ferry fares to rise',
      body: 'Ferry operators will raise fares by 8%, blaming fuel costs.',
      url: 'https://herald.example/ferry',
      publishedAt: '2026-03-10',
      category: 'Transport',
      tags: ['ferries', 'prices'],
    });
    expect(valueAt(rows, 'export.csv:3')).toMatchObject({ body: 'The harbour board approved a breakwater.\n\nWork starts in June.' });
  });

  it('when rows are malformed, then each is one parse error at its line and the rows after it are still read', () => {
    expect(rows.map((r) => [r.location, r.parseError?.replace(/:.*/, '')])).toEqual([
      ['export.csv:2', undefined],
      ['export.csv:3', undefined],
      ['export.csv:6', 'malformed CSV row'],
      ['export.csv:7', undefined],
      ['export.csv:8', undefined],
      ['export.csv:9', 'malformed CSV row'],
      ['export.csv:10', undefined],
    ]);
    expect(validateArticle(valueAt(rows, 'export.csv:7'))).toMatchObject({ ok: false, issues: [{ path: 'publishedAt' }] });
    expect(validateArticle(valueAt(rows, 'export.csv:8'))).toMatchObject({ ok: false, issues: [{ path: 'body' }] });
  });

  it('when a mapped column is not in the header, then the file is one rejection naming field and column', async () => {
    const rs = await records('csv/export.csv', 'csv', parseFieldMap('title=heading'));
    expect(rs).toEqual([expect.objectContaining({ location: 'export.csv:1', parseError: expect.stringContaining('title: column "heading" is not in the header') })]);
  });

  it('when a file has a BOM, CRLF line ends and capitalised headers, then columns still match fields', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-csv-'));
    const file = path.join(dir, 'excel.csv');
    fs.writeFileSync(file, '\ufeffTitle,Body,Tags\r\n"Ferry fares","Fares rise.",a|b\r\n');
    const rs: SourceRecord[] = [];
    for await (const r of readFile(file, 'csv', { source: 's', label: 'excel.csv', map: new Map() })) rs.push(r);
    fs.rmSync(dir, { recursive: true });
    expect(rs).toEqual([{ source: 's', location: 'excel.csv:2', value: { title: 'Ferry fares', body: 'Fares rise.', tags: ['a', 'b'] } }]);
  });

  /** The records of a CSV document written to a temporary file. */
  async function csvRecords(text: string): Promise<SourceRecord[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-csv-'));
    const file = path.join(dir, 'f.csv');
    fs.writeFileSync(file, text);
    const rs: SourceRecord[] = [];
    try {
      for await (const r of readFile(file, 'csv', { source: 's', label: 'f.csv', map: new Map() })) rs.push(r);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
    return rs;
  }
  const located = (rs: readonly SourceRecord[]) => rs.map((r) => [r.location, r.parseError === undefined ? r.value : r.parseError.replace(/:.*/s, '')]);

  it('when a row spanning lines 2-4 has an extra cell, then it is rejected at line 2 and the row after it is read', async () => {
    const rs = await csvRecords('title,body\n"Three\nline\nrow",body,extra\n"Good","Fine."\n');
    expect(located(rs)).toEqual([
      ['f.csv:2', 'malformed CSV row'],
      ['f.csv:5', { title: 'Good', body: 'Fine.' }],
    ]);
  });

  it('when a row has two errors on two of its lines, then it is one rejection at its first line', async () => {
    const rs = await csvRecords('title,body\n"A"b\nc"d",x,y\n"Good","Fine."\n');
    expect(located(rs)).toEqual([
      ['f.csv:2', 'malformed CSV row'],
      ['f.csv:4', { title: 'Good', body: 'Fine.' }],
    ]);
  });

  it('when a quote is left open on line 5, then the rejection names line 5 and says what the open quote took with it', async () => {
    const rs = await csvRecords('title,body\n"A","a."\n"B","b."\n"C","c."\n"Open quote,x\n"Six","six."\n"Seven","seven."\n');
    expect(located(rs)).toEqual([
      ['f.csv:2', { title: 'A', body: 'a.' }],
      ['f.csv:3', { title: 'B', body: 'b.' }],
      ['f.csv:4', { title: 'C', body: 'c.' }],
      ['f.csv:5', 'malformed CSV row'],
      ['f.csv:7', { title: 'Seven', body: 'seven.' }],
    ]);
    expect(rs[3]?.parseError).toMatch(/Invalid Closing Quote: got "S" at line 6 .*; the row begins on line 5: a quote left open there takes the lines after it into this row$/);
  });

  it('when a quote is left open until the end of the file, then the rejection names the line it opened on', async () => {
    const rs = await csvRecords('title,body\n"A","a."\n"Open\nquote,x\nmore\n');
    expect(located(rs)).toEqual([
      ['f.csv:2', { title: 'A', body: 'a.' }],
      ['f.csv:3', 'malformed CSV row'],
    ]);
    expect(rs[1]?.parseError).toMatch(/Quote Not Closed: .*; the row begins on line 3/);
  });

  it('when quoted cells hold CRLF line breaks, then the rows after them are located at their own first line', async () => {
    const rs = await csvRecords('title,body\r\n"Two\r\nlines","a."\r\n"B","b\r\n\r\nc"\r\n"C",c,extra\r\n"D","d."\r\n');
    expect(located(rs)).toEqual([
      ['f.csv:2', { title: 'Two\r\nlines', body: 'a.' }],
      ['f.csv:4', { title: 'B', body: 'b\r\n\r\nc' }],
      ['f.csv:7', 'malformed CSV row'],
      ['f.csv:8', { title: 'D', body: 'd.' }],
    ]);
  });

  it('when a row with a CRLF in a quoted cell is rejected, then the rows after it are located at their own first line', async () => {
    const rs = await csvRecords('title,body\r\n"Two\r\nlines",a,extra\r\n"D","d."\r\n"E","e."\r\n');
    expect(located(rs)).toEqual([
      ['f.csv:2', 'malformed CSV row'],
      ['f.csv:4', { title: 'D', body: 'd.' }],
      ['f.csv:5', { title: 'E', body: 'e.' }],
    ]);
  });

  it('when --map is written wrong, then parsing it names the bad pair', () => {
    expect(() => parseFieldMap('headline=title')).toThrow(FieldMapError);
    expect(() => parseFieldMap('title')).toThrow(/expected field=column/);
    expect(() => parseFieldMap('title=a,title=b')).toThrow(/mapped twice/);
  });
});

describe('JSON source (read whole)', () => {
  async function jsonRecords(text: string): Promise<SourceRecord[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-json-'));
    const file = path.join(dir, 'f.json');
    fs.writeFileSync(file, text);
    const rs: SourceRecord[] = [];
    try {
      for await (const r of readFile(file, 'json', { source: 's', label: 'f.json', map: new Map() })) rs.push(r);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
    return rs;
  }

  it('when a file holds an array, then each item is a record at file[index]', async () => {
    const rs = await jsonRecords('[{"title":"A","body":"a."},\n{"title":"B","body":"b."}]\n');
    expect(rs.map((r) => [r.location, r.value])).toEqual([
      ['f.json[0]', { title: 'A', body: 'a.' }],
      ['f.json[1]', { title: 'B', body: 'b.' }],
    ]);
  });

  it.each([
    ['an unquoted key on line 3', '[\n  {"title":"A","body":"a."},\n  {"title":"B", body:"b."}\n]\n', /^not a JSON document: Expected double-quoted property name at f\.json:3:17 /],
    ['a bad literal (V8 names no position)', '[\n  {"title":"A","body":"a.","x":tru}\n]\n', /^not a JSON document: Unexpected token '}' at f\.json:2:35 /],
    ['its end cut off', '[\r\n  {"title":"A",\r\n  "body":', /^not a JSON document: Unexpected end of JSON input at f\.json:3:10 /],
  ])('when a file has %s, then it is one rejection naming file:line:column and JSON Lines', async (_kind, text, message) => {
    const rs = await jsonRecords(text);
    expect(rs).toEqual([{ source: 's', location: 'f.json', value: undefined, parseError: expect.stringMatching(message) }]);
    expect(rs[0]?.parseError).toMatch(/the whole file is rejected; in JSON Lines, a bad line costs only itself/);
  });

  it('when a file is over the 2 GiB Node reads whole, then it is one rejection pointing to JSON Lines, not a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-json-'));
    const file = path.join(dir, 'huge.json');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 2 ** 31 + 1); // sparse: no disk used
    const rs: SourceRecord[] = [];
    try {
      for await (const r of readFile(file, 'json', { source: 's', label: 'huge.json', map: new Map() })) rs.push(r);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
    expect(rs).toEqual([{ source: 's', location: 'huge.json', value: undefined, parseError: expect.stringMatching(/^not a JSON document: the file is more than can be read whole .*JSON Lines/) }]);
  });
});

describe('RSS 2.0 and Atom feed sources (saxes, streamed)', () => {
  it('when an RSS feed is read, then items map to articles and a malformed item is rejected alone', async () => {
    const rs = await records('feeds/herald.rss', 'feed');
    expect(rs.map((r) => r.location)).toEqual(['herald.rss:7 (item 1)', 'herald.rss:18 (item 2)', 'herald.rss:24 (item 3)', 'herald.rss:29 (item 4)', 'herald.rss:35 (item 5)']);
    expect(rs[0]?.value).toEqual({
      title: 'Ferry fares to rise in April',
      body: 'Ferry operators in Valmora will raise fares by 8% from April, blaming fuel costs.\n\nSeason tickets are not affected.',
      summary: 'Operators blamed fuel costs.',
      url: 'https://herald.example/transport/ferry-fares',
      publishedAt: '2026-03-10T07:30:00.000Z',
      author: 'Mara Lindqvist',
      category: 'Transport',
      tags: ['Transport', 'Ferries'],
      source: 'Valmora Herald',
    });
    expect(rs[1]?.value).toMatchObject({ body: 'The harbour board approved a 400-metre breakwater & a new pier.', publishedAt: '2026-03-11T11:00:00.000Z' });
    expect(rs[2]?.parseError).toMatch(/^malformed XML: 27:\d+: /);
    // a date no one can read costs the item its date, not the item: kept without it, with a warning naming the rule
    expect(validateArticle(rs[3]?.value)).toMatchObject({ ok: true });
    expect(rs[3]?.value).not.toHaveProperty('publishedAt');
    expect(rs[3]?.warnings).toEqual([{ path: 'publishedAt', message: expect.stringMatching(/"the day after tomorrow" is not a date \(RFC 822 .* or ISO 8601/) }]);
    expect(rs[4]?.value).toMatchObject({ url: 'https://herald.example/ports/terminal' }); // permalink guid
  });

  it('when an Atom feed is read, then html and xhtml content, alternate links, author names and terms are used', async () => {
    const rs = await records('feeds/kestria.atom', 'feed');
    expect(rs.map((r) => r.value)).toEqual([
      {
        title: 'Council votes to pedestrianise Market Street',
        body: "Kestria's town council voted to close Market Street to cars.\n\nDelivery vans may enter before ten.",
        summary: 'Market Street closes to cars next spring.',
        url: 'https://kestria-daily.example/local/market-street',
        publishedAt: '2026-05-20T18:00:00+02:00',
        updatedAt: '2026-05-21T08:00:00Z',
        author: 'Tomas Ferrand',
        category: 'Local',
        tags: ['Local'],
        source: 'Kestria Daily',
      },
      {
        title: 'Halcyon Semiconductors opens second plant',
        body: 'The chipmaker will employ 600 people.\n\nProduction starts in June.',
        url: 'https://kestria-daily.example/business/halcyon',
        publishedAt: '2026-05-19T10:00:00Z',
        updatedAt: '2026-05-19T10:00:00Z',
        source: 'Kestria Daily',
      },
    ]);
  });

  it('when an XML file is no feed, then it is one rejection', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-feed-'));
    fs.writeFileSync(path.join(dir, 'sitemap.xml'), '<urlset><url><loc>https://x.example/</loc></url></urlset>');
    const rs: SourceRecord[] = [];
    for await (const r of readFile(path.join(dir, 'sitemap.xml'), 'feed', { source: 's', label: 'sitemap.xml', map: new Map() })) rs.push(r);
    fs.rmSync(dir, { recursive: true });
    expect(rs).toEqual([expect.objectContaining({ parseError: 'not an RSS (0.9x, 1.0, 2.0) or Atom feed (root element: urlset)' })]);
  });
});

describe('HTML page sources (meta tags, JSON-LD, Readability over linkedom)', () => {
  const page = (name: string) => extractHtmlPage(fs.readFileSync(path.join(FIXTURES, 'pages-html', name), 'utf8'));

  it('when a page has JSON-LD NewsArticle and Open Graph tags, then metadata comes from them', () => {
    expect(page('lighthouse.html')).toMatchObject({
      title: 'Old Aldric lighthouse shines again after restoration',
      url: 'https://herald.example/culture/lighthouse-restored',
      publishedAt: '2026-04-02T08:15:00+02:00',
      updatedAt: '2026-04-03T10:00:00Z',
      author: 'Ilse Marrow',
      source: 'Valmora Herald',
      category: 'Culture',
      tags: ['heritage', 'harbour'],
      language: 'en-GB',
    });
  });

  it('when a page has navigation, share buttons and teaser lists, then the body is the article text only', () => {
    const { body } = page('lighthouse.html') as { body: string };
    expect(body.split('\n\n')).toEqual([
      expect.stringMatching(/^The old lighthouse at Aldric Point/),
      expect.stringMatching(/^Volunteers raised most of the money/),
      'A light for the fishing fleet',
      expect.stringMatching(/^The beam is now produced/),
      expect.stringMatching(/^“Every boat that comes home tonight/),
    ]);
    for (const chrome of ['Share', 'Sport', 'More like this', 'Breakwater', 'Latest', 'Ferry', 'rights reserved', 'Home']) expect(body).not.toContain(chrome);
  });

  it('when a page has only plain meta tags, then title, url, author and date still come through', () => {
    const record = page('council-vote.htm');
    expect(record).toMatchObject({
      title: 'Council votes to pedestrianise Market Street',
      url: 'https://kestria-daily.example/local/market-street',
      author: 'Tomas Ferrand',
      publishedAt: '2026-05-20',
    });
    expect((record as { body: string }).body).toMatch(/^Kestria's town council voted[\s\S]*would stop coming\.$/);
    expect(validateArticle(record).ok).toBe(true);
  });
});

describe('folders', () => {
  it('when a folder is a source, then its files are listed in order with their formats and labels', async () => {
    const files = await sourceFiles(path.join(FIXTURES, 'feeds'), undefined);
    expect(files.map((f) => [f.label, f.format])).toEqual([
      [path.join('feeds', 'herald.rss'), 'feed'],
      [path.join('feeds', 'kestria.atom'), 'feed'],
    ]);
  });
});
