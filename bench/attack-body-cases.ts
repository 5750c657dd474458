import zlib from 'node:zlib';
import fc from 'fast-check';
import type { AttackCase } from './attack-http.js';
import type { CaseContext } from './attack-kit.js';
import { consonants, json, keyed, request } from './attack-kit.js';

/** Bodies that are not JSON, are JSON of the wrong shape, or nest deeply (sent as application/json). */
const RAW_BODIES: readonly string[] = [
  '{', '{"text":', '[', 'nul', '\u0000', '{"text":"a"}garbage', '{"text":"\\ud800"}', '{"text":"\\u0000"}', "{'text':'a'}", '', ' ',
  '"text"', '123', 'null', 'true', '[]', '{}', '{"text":""}', '{"text":"   "}', '{"text":null}', '{"text":1}', '{"text":["a"]}',
  '{"text":{"a":1}}', '{"__proto__":{"text":"a"}}', '{"text":"oil","__proto__":{"x":1}}', '{"text":"oil","constructor":{"prototype":{"x":1}}}',
  '{"text":"oil","text":"gas"}', '{"text":"oil","limit":1e400}', '{"text":"oil","freshness":1e400}', '{"text":"oil","limit":-0}',
  '['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), '\ufeff{"text":"oil"}',
];

/** `POST /api/similar` options abused, on short texts. */
const SIMILAR_BODIES: readonly unknown[] = [
  { text: 'oil', limit: 0 }, { text: 'oil', limit: 101 }, { text: 'oil', limit: 1.5 }, { text: 'oil', limit: '10' }, { text: 'oil', limit: -1 },
  { text: 'oil', limit: 1e308 }, { text: 'oil', freshness: 0 }, { text: 'oil', freshness: -1 }, { text: 'oil', from: '2024-13-01' },
  { text: 'oil', from: '2025-01-01', to: '1987-01-01' }, { text: 'oil', source: Array.from({ length: 10_000 }, (_, i) => `s${i}`) },
  { text: 'oil', source: 'x' }, { text: 'oil', title: 'x'.repeat(1_001) }, { text: 'oil', title: null }, { text: 'oil', title: consonants(1_000) },
  { text: 'oil', explain: 'yes' }, { text: 'oil', includeDuplicates: 1 }, { text: 'oil', bogus: 1 }, { text: 'a'.repeat(200_001) },
  { text: 'oil', explain: true, limit: 100, freshness: 0.001, includeDuplicates: true, from: '1900-01-01', to: '2100-01-01' },
  { text: '\u0000'.repeat(1_000) }, { text: '\ud800'.repeat(1_000) }, { text: '<script>'.repeat(1_000) }, { text: '🛢'.repeat(1_000) },
];

/** Texts the issue measured in seconds or minutes, and full-size texts (heavy), each with its note. */
function heavyTexts(): [string, string][] {
  const prose = 'Crude oil prices rose on Monday after OPEC ministers agreed to extend output cuts, traders in London said. ';
  return [
    ['"x" × 100,000', 'x'.repeat(100_000)], ['50,000 digits', '7'.repeat(50_000)],
    ['5 words of 20,000 consonants', Array.from({ length: 5 }, () => consonants(20_000)).join(' ')],
    ['a word of 100,000 consonants', consonants(100_000)], ['"x" × 199,999', 'x'.repeat(199_999)], ['100,000 digits', '1'.repeat(100_000)],
    ['2,000 words of 50 consonants', Array.from({ length: 2_000 }, (_, i) => consonants(49 + (i % 3))).join(' ')],
    ['"é" × 100,000', 'é'.repeat(100_000)], ['"oil " × 50,000', 'oil '.repeat(50_000)], ['"Reagan " × 28,000', 'Reagan '.repeat(28_000)],
    ['200,000 chars of prose', prose.repeat(Math.floor(200_000 / prose.length))],
  ];
}

/** Seeded fuzzing of `POST /api/similar` bodies: arbitrary JSON, and records of the right keys with wrong values. */
function similarFuzz(ctx: CaseContext): Buffer[] {
  const values = fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed: ctx.seed + 6, numRuns: 60 });
  const records = fc.sample(
    fc.record(
      { text: fc.oneof(fc.string({ unit: 'binary', maxLength: 2_000 }), fc.jsonValue()), limit: fc.oneof(fc.integer(), fc.double(), fc.string()),
        freshness: fc.oneof(fc.double(), fc.string()), explain: fc.jsonValue(), source: fc.array(fc.string({ unit: 'binary' })), from: fc.string() },
      { requiredKeys: ['text'] },
    ),
    { seed: ctx.seed + 7, numRuns: 80 },
  );
  return [...values, ...records].map(json);
}

/** `POST /api/similar` (search key): malformed, mis-shaped and fuzzed bodies (light), and the heavy texts. */
function similarPostCases(ctx: CaseContext): AttackCase[] {
  const post = (cls: string, body: Buffer, heavy = false, note?: string) =>
    request(cls, 'POST', '/api/similar', { headers: keyed(ctx.keys.search, true), body, heavy, ...(note ? { note } : {}) });
  return [
    ...RAW_BODIES.map((b) => post('similar-post', Buffer.from(b))),
    ...SIMILAR_BODIES.map((b) => post('similar-post', json(b))),
    ...similarFuzz(ctx).map((b) => post('similar-post', b)),
    ...heavyTexts().map(([note, text]) => post('similar-text-heavy', json({ text }), true, note)),
  ];
}

/** Seeded fuzzed articles: the article fields with hostile values (some valid: those get indexed). */
function articleFuzz(ctx: CaseContext): Buffer[] {
  const values = fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed: ctx.seed + 4, numRuns: 40 });
  const articles = fc.sample(
    fc.record(
      { id: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('attack-fuzz', 'a'.repeat(600), '../x', '')),
        title: fc.oneof(fc.string({ unit: 'binary', maxLength: 1_100 }), fc.integer()),
        body: fc.oneof(fc.string({ unit: 'binary', maxLength: 2_000 }), fc.constant(null)),
        url: fc.constantFrom('javascript:alert(1)', 'http://x', 'ftp://x', '%FF', `http://${'a'.repeat(5_000)}`),
        publishedAt: fc.constantFrom('2024-13-45', '99999-01-01', 'abc', '1987-02-26'), tags: fc.array(fc.string({ maxLength: 120 }), { maxLength: 120 }),
        language: fc.constantFrom('en', 'EN', 'x', 'en-GB', 'english', '%FF') },
      { requiredKeys: [] },
    ),
    { seed: ctx.seed + 5, numRuns: 60 },
  );
  return [...values, ...articles].map(json);
}

/** `POST /api/articles` (admin key): fuzzed and mis-shaped batches (light); the 1,000,000-char word and 9 MB body (heavy). */
function writeCases(ctx: CaseContext): AttackCase[] {
  const post = (cls: string, body: Buffer, heavy = false, note?: string) =>
    request(cls, 'POST', '/api/articles', { headers: keyed(ctx.keys.admin, true), body, heavy, ...(note ? { note } : {}) });
  const word = consonants(1_000_000);
  const shapes: unknown[] = [[], {}, [null], [1, 2, 3], Array.from({ length: 1_001 }, () => ({ title: 't', body: 'b' })),
    { id: 'attack-formula', title: '=HYPERLINK("http://evil.example")', body: '+cmd|" /C calc"!A0 @SUM(1) -2+3', tags: ['=1+1'] }];
  return [
    ...articleFuzz(ctx).map((b) => post('write-admin', b)),
    ...shapes.map((s) => post('write-admin', json(s))),
    post('write-huge', json({ id: 'attack-word-1', title: 'T', body: word }), true, 'a 1,000,000-char word'),
    post('write-huge', json(Array.from({ length: 9 }, (_, i) => ({ id: `attack-word-9-${i}`, title: 'T', body: word }))), true,
      '9 MB: nine 1,000,000-char words'),
    post('write-huge', json({ title: 'T', body: 'x'.repeat(1_000_001) }), true, 'a 1,000,001-char body'),
    post('write-huge', json({ id: 'attack-prose', title: 'T', body: 'oil price '.repeat(100_000) }), true, '1,000,000 chars of words'),
  ];
}

/** Content types and encodings the JSON parser must refuse as the client's fault (415, 400, 413), never 500. */
function contentTypeCases(ctx: CaseContext): AttackCase[] {
  const types = ['application/json; charset=latin1', 'application/json; charset=iso-8859-1', 'application/json; charset=utf-16',
    'application/json; charset=bogus', 'application/json; charset=""', 'application/json; charset', 'text/plain',
    'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json, text/plain', '*/*', '%FF'];
  const bomb = zlib.gzipSync(Buffer.concat([Buffer.from('{"text":"'), Buffer.alloc(64 * 1024 * 1024, 0x61), Buffer.from('"}')]));
  const targets = [{ path: '/api/similar', key: ctx.keys.search, body: json({ text: 'oil prices' }) },
    { path: '/api/articles', key: ctx.keys.admin, body: json({ id: 'attack-ct', title: 't', body: 'b' }) }];
  return targets.flatMap(({ path, key, body }) => {
    const post = (headers: Record<string, string>, b: Buffer = body, note = JSON.stringify(headers)) =>
      request('content-type', 'POST', path, { headers: { 'x-api-key': key, ...headers }, body: b, note });
    const jsonType = { 'content-type': 'application/json' };
    const gzip = { ...jsonType, 'content-encoding': 'gzip' };
    return [
      ...types.map((t) => post({ 'content-type': t })),
      post({}, body, 'no content-type'), post(jsonType, Buffer.alloc(0), 'empty body'),
      ...['bogus', 'gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'x-gzip', '%FF'].map((e) => post({ ...jsonType, 'content-encoding': e })),
      post(gzip, zlib.gzipSync(body), 'valid gzip'), post(gzip, bomb, 'gzip bomb: 64 MiB inflated'),
    ];
  });
}

/** Every hostile POST: similar texts, article writes and content types. */
export function bodyCases(ctx: CaseContext): AttackCase[] {
  return [...similarPostCases(ctx), ...writeCases(ctx), ...contentTypeCases(ctx)];
}
