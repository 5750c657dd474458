import fc from 'fast-check';
import type { AttackCase } from './attack-http.js';
import type { CaseContext } from './attack-kit.js';
import { BAD_PERCENT, exclusions, pct, read } from './attack-kit.js';

/** Queries that are odd for a parser, a tokenizer, FTS5 syntax or a highlighter (sent percent-encoded). */
const ODD_QUERIES: readonly string[] = [
  '"', '""', '"""', '"oil', 'oil"', '*', '**', 'a*', '*a', 'oil*', '^oil', 'title:oil', 'body:oil', '{oil price}', '(', ')',
  '()', 'oil AND', 'AND', 'OR OR OR', 'NOT', 'NEAR(oil price, 2)', 'oil + price', 'oil:', ':', ';', "'", "' OR 1=1 --",
  '"; DROP TABLE articles; --', '\\', '\\"', '%', '_', '\u0000', 'oil\u0000price', '\u200b', '\u202eoil', '\ud83d\udca5',
  '\ud800', '\udfff', 'e\u0301'.repeat(200), 'ñ'.repeat(512), '中'.repeat(512), '-', '--', '---oil', '-"', '- -',
  '-"a b c d e f g h i j k l"', '"-a"', 'oil -', 'oil OR', '+oil', 'oil~2', 'oil^2', '[oil]', '<script>alert(1)</script>',
  '${7*7}', '{{7*7}}', '0', '1e308', 'NaN', '\t\n\r', ' '.repeat(512), 'a '.repeat(256), 'oil '.repeat(128),
  'x'.repeat(512), 'x'.repeat(513), 'x'.repeat(100_000), '7'.repeat(512), 'bcdfghjklmnpqrstvwxz'.repeat(25),
  '"'.repeat(512), '-'.repeat(512), '*'.repeat(512), '"oil price" "crude oil" -"oil price"', 'oil oil oil oil oil',
];

/** Query strings whose shape is odd: repeated, bracketed, empty or enormous keys. */
const ODD_SHAPES: readonly string[] = [
  'q=oil&q=gas', 'q[]=oil', 'q[a]=b', 'q', '=oil', '&&&&', 'q=', '', '&'.repeat(5_000), 'q=oil&' + 'x=1&'.repeat(1_500),
  'q=oil+price', 'q=oil%2Bprice', 'q=%26q%3Dx', 'Q=oil', 'q%00=oil', 'q=oil;perPage=100',
];

/** Words for the query fuzzer: operators, quotes, exclusions and common terms. */
const QUERY_TOKENS = ['-', '"', '*', 'oil', 'said', 'AND', 'OR', 'NOT', '(', ')', ':', 'NEAR', '^', '~', '+', '-w', '-"a', 'x*', '%', 'é'];

/** `q` abused: odd queries, raw bad percent-encodings and odd query-string shapes. */
function oddQueryCases(ctx: CaseContext): AttackCase[] {
  const search = (qs: string) => read(ctx, 'search-q', `/api/search?${qs}`);
  return [
    ...ODD_QUERIES.map((q) => search(`q=${pct(q)}`)),
    ...BAD_PERCENT.map((q) => search(`q=${q}`)),
    ...BAD_PERCENT.map((q) => search(`q=oil${q}price`)),
    ...ODD_SHAPES.map(search),
  ];
}

/** Seeded fuzzing of `q`: arbitrary byte strings, and sequences of query operators and words. */
function fuzzQueryCases(ctx: CaseContext): AttackCase[] {
  const bytes = fc.sample(fc.string({ unit: 'binary', maxLength: 600 }), { seed: ctx.seed, numRuns: 120 });
  const tokens = fc.sample(
    fc.tuple(fc.array(fc.constantFrom(...QUERY_TOKENS), { maxLength: 160 }), fc.constantFrom(' ', '', '  ')).map(([t, sep]) => t.join(sep)),
    { seed: ctx.seed + 1, numRuns: 150 },
  );
  return [...bytes, ...tokens].map((q) => read(ctx, 'search-fuzz', `/api/search?q=${pct(q)}`));
}

/** Misspelled (and correct) words with 100 distinct exclusions each, on every path that corrects typos. */
function typoExclusionCases(ctx: CaseContext): AttackCase[] {
  const words = ['oil', 'oill', 'petroluem', 'crued', 'bankk', 'tradde', 'goldd', 'xyzzy', 'coffe', 'dollr'];
  const variants = ['', '&match=all', '&sort=newest', '&facets=category,source'];
  return words.flatMap((w) =>
    variants.map((v) => read(ctx, 'search-typo-exclusions', `/api/search?q=${pct(`${w} ${exclusions(100)}`)}${v}`)),
  );
}

/** The issue's `"-a" × 256` and its spaced and distinct forms, as searches and as exports (heavy). */
function manyExclusionCases(ctx: CaseContext): AttackCase[] {
  const queries = ['-a'.repeat(256), '-a '.repeat(170).trim(), exclusions(120), `said ${exclusions(110)}`];
  return queries.flatMap((q) =>
    ['', '&format=csv', '&format=jsonl'].map((f) => read(ctx, 'search-256-exclusions', `/api/search?q=${pct(q)}${f}`, true)),
  );
}

/**
 * Repeated filter values with distinct counts (`category=x&category=x…&tag=y…`): `combos` requests, each with its
 * own (category count, tag count) pair, half with one value repeated and half with distinct values, with facets (all
 * six on one in eight). The query is empty: the path that filters in SQL, where every distinct shape may cost the
 * API prepared statements (one for the page, one for the count, one per facet).
 */
function filterCases(ctx: CaseContext, combos: number): AttackCase[] {
  const side = Math.ceil(Math.sqrt(combos));
  return Array.from({ length: combos }, (_, i) => {
    const same = i % 2 === 0;
    const values = (name: string, n: number, v: string) => Array.from({ length: n }, (_, k) => `${name}=${same ? v : `${v}${k}`}`).join('&');
    const facets = i % 8 === 0 ? 'category,source,tags,people,orgs,places' : 'category,source,tags';
    const path = `/api/search?q=&perPage=5&facets=${facets}&${values('category', 1 + (i % side), 'x')}&${values('tag', 1 + Math.floor(i / side), 'y')}`;
    return read(ctx, 'search-filters', path);
  });
}

/** Every other search parameter abused (paging, sorting, facets, format, filters, unknown and polluting names). */
const PARAM_ABUSE: readonly string[] = [
  'page=0', 'page=-1', 'page=1.5', 'page=1e3', 'page=abc', 'page=99999999999999999999', 'page=10001', 'page=1&page=2',
  'page=100&perPage=100', 'page=101&perPage=100', 'perPage=0', 'perPage=101', 'perPage=-5', 'perPage=', 'perPage=1e2',
  'sort=bogus', 'sort=RELEVANCE', 'sort=newest&sort=oldest', 'sort=', 'match=bogus', 'match=all&match=last',
  'facets=bogus', 'facets=category,bogus', `facets=${'category,'.repeat(500)}`, `facets=${','.repeat(2_000)}`,
  'facets=category&facets=source&facets=tags&facets=people&facets=orgs&facets=places', 'facets[]=category',
  'format=xml', 'format=CSV', 'format=csv&format=json', 'format=', 'bogus=1', '__proto__=x', '__proto__[polluted]=1',
  'constructor[prototype][x]=1', 'hasOwnProperty=1', 'toString=1', 'valueOf=1', 'category=', 'category=%FF',
  'source=%00', `tag=${'x'.repeat(5_000)}`, 'person=%ED%A0%80', 'org[]=x', 'place[a]=b', `category=x${'&category=x'.repeat(990)}`,
  `source=${pct('é'.repeat(2_000))}`, 'person=Reagan&person=%FF&org=%C0%AF&place=%', 'perPage=100&facets=category,source,tags,people,orgs,places',
];

const BAD_DATES: readonly string[] = [
  '2024-13-45', '2024-02-30', '2023-02-29', 'abc', '', '99999-01-01', '+099999-01-01', '-000001-01-01', '0000-00-00',
  '2024-01-01T25:00:00Z', '2024-01-01T00:00:00+99:99', '2024-1-1', '1700000000000', 'Infinity', 'NaN', 'null',
  'x'.repeat(500), '2024-01-01T00:00:00.0000000000000000001Z', '1987-02-26', '1987-02-26T15:02:20Z', '2024-W01', '24-01-01',
];

/** Paging, sorting, facet, format and filter parameters abused. */
function paramCases(ctx: CaseContext): AttackCase[] {
  return PARAM_ABUSE.map((p) => read(ctx, 'search-params', `/api/search?q=oil&${p}`));
}

/** Bad, reversed, repeated and raw-encoded `from`/`to`. */
function dateCases(ctx: CaseContext): AttackCase[] {
  const search = (qs: string) => read(ctx, 'search-dates', `/api/search?q=oil&${qs}`);
  return [
    ...BAD_DATES.flatMap((d) => [search(`from=${pct(d)}`), search(`to=${pct(d)}`), search(`from=${pct(d)}&to=${pct(d)}`)]),
    ...BAD_PERCENT.map((d) => search(`from=${d}`)),
    search('from=2025-01-01&to=1987-01-01'),
    search('from=1987-01-01&from=1988-01-01'),
    search('from[]=1987-01-01'),
  ];
}

/** Exports of broad and odd queries in both formats (heavy: an export reads many articles). */
function exportCases(ctx: CaseContext): AttackCase[] {
  const queries = ['', 'said', 'oil', 'the', 'a*', '"', `oil ${exclusions(100)}`, 'x*'];
  return queries.flatMap((q) =>
    ['csv', 'jsonl'].map((f) => read(ctx, 'search-export', `/api/search?q=${pct(q)}&format=${f}&sort=newest`, true)),
  );
}

/** Every hostile `GET /api/search`; `filterCombos` sets the size of the statement-cache probe. */
export function searchCases(ctx: CaseContext, filterCombos: number): AttackCase[] {
  return [
    ...oddQueryCases(ctx),
    ...fuzzQueryCases(ctx),
    ...typoExclusionCases(ctx),
    ...manyExclusionCases(ctx),
    ...filterCases(ctx, filterCombos),
    ...paramCases(ctx),
    ...dateCases(ctx),
    ...exportCases(ctx),
  ];
}
