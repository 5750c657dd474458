import fc from 'fast-check';
import type { AttackCase, AttackMethod } from './attack-http.js';
import type { CaseContext } from './attack-kit.js';
import { BAD_PERCENT, keyed, pct, read, request, seededRandom } from './attack-kit.js';

/** Path segments that are badly encoded, traversing, injecting, enormous or simply absent from the store. */
const BAD_SEGMENTS: readonly string[] = [
  ...BAD_PERCENT, 'reuters-1%00', '%2F', '..%2F..%2Fetc%2Fpasswd', '..', '.', '%2e%2e', 'a'.repeat(600), 'a'.repeat(12_000),
  '\u00ff', '\u00e9t\u00e9', "reuters-1'", 'reuters-1%27%20OR%201%3D1--', 'reuters-1;DROP', 'reuters-999999999', '-', '_',
  '%20', '%0d%0aX-Injected:%201', 'reuters-1%0A', '*', '%2A', pct('<script>alert(1)</script>'), pct('名前'),
];

/** `GET /api/articles/:id`, its similar route, its page and DELETE (admin, no key, search key) on bad ids. */
function articlePathCases(ctx: CaseContext): AttackCase[] {
  return BAD_SEGMENTS.flatMap((s) => [
    read(ctx, 'articles-path', `/api/articles/${s}`),
    read(ctx, 'articles-path', `/api/articles/${s}/similar`),
    request('web-path', 'GET', `/article/${s}`),
    request('articles-delete', 'DELETE', `/api/articles/${s}`, { headers: keyed(ctx.keys.admin) }),
  ]).concat([
    request('articles-delete', 'DELETE', '/api/articles/reuters-1'),
    request('articles-delete', 'DELETE', '/api/articles/reuters-1', { headers: keyed(ctx.keys.search) }),
    request('articles-delete', 'DELETE', '/api/articles/', { headers: keyed(ctx.keys.admin) }),
    request('articles-delete', 'DELETE', '/api/articles/attack-none?x=%FF', { headers: keyed(ctx.keys.admin) }),
  ]);
}

/** The web pages and static files with bad encodings and traversal attempts. */
function webPathCases(): AttackCase[] {
  const paths = [
    '/', '/?q=%FF', '/?q=' + 'x'.repeat(10_000), '/widget.js?%FF', '/widget.js%FF', '/assets/%FF', '/assets/..%2F..%2Fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json', '/assets/../../package.json', `/assets/${'a'.repeat(5_000)}`, '/assets/', '/assets',
    '/docs', '/docs/init.js', '/docs/%FF', '/openapi.json?x=%FF', '/metrics?%FF', '/ready', '/health?%FF', '/%FF', '//',
    ...BAD_PERCENT.flatMap((s) => [`/entity/person/${s}`, `/entity/${s}/x`, `/entity/${s}/${s}`]),
    '/entity/person/', `/entity/person/${'a'.repeat(12_000)}`, '/entity/bogus/x', '/entity/person/x/extra',
  ];
  return paths.map((p) => request('web-path', 'GET', p));
}

/** Options of `GET /api/articles/:id/similar` abused. */
const SIMILAR_PARAMS: readonly string[] = [
  'limit=0', 'limit=101', 'limit=-1', 'limit=abc', 'limit=1e2', 'limit=10&limit=20', 'limit=99999999999999999999999',
  'sameCategory=maybe', 'sameCategory=', 'freshness=0', 'freshness=-1', 'freshness=1e400', 'freshness=NaN', 'freshness=36501',
  'freshness=0.0000001', 'from=2024-13-01', 'to=abc', 'from=2025-01-01&to=2024-01-01', `source=x${'&source=x'.repeat(500)}`,
  'explain=2', 'includeDuplicates=yes', 'bogus=1', 'limit[]=1', '__proto__[x]=1', 'explain=true&limit=100',
  'explain=true&freshness=1&sameCategory=true&includeDuplicates=true&limit=100&from=1900-01-01&to=2100-01-01',
  'source=%FF', 'from=%ED%A0%80', `source=${pct('é'.repeat(3_000))}`, 'limit=%00',
];

/** Bad options on real ids, odd If-None-Match headers, and ids that do not exist. */
function similarGetCases(ctx: CaseContext): AttackCase[] {
  const random = seededRandom(ctx.seed + 2);
  const id = () => ctx.ids[Math.floor(random() * ctx.ids.length)]!;
  const tags = ['*', `W/"${'x'.repeat(8_000)}"`, Array.from({ length: 500 }, (_, i) => `"t${i}"`).join(','), '%FF', ','.repeat(4_000)];
  return [
    ...SIMILAR_PARAMS.map((p) => read(ctx, 'similar-get', `/api/articles/${id()}/similar?${p}`)),
    ...tags.map((t) => request('similar-get', 'GET', `/api/articles/${id()}/similar`, { headers: { ...keyed(ctx.keys.search), 'if-none-match': t } })),
    ...Array.from({ length: 20 }, (_, i) => read(ctx, 'similar-get', `/api/articles/${id()}/similar?limit=${1 + (i * 5) % 100}&explain=true`)),
  ];
}

/** Autocomplete parameters abused: odd and long prefixes, bad limits and types, repeated names. */
const ENTITY_PARAMS: readonly string[] = [
  'limit=0', 'limit=51', 'limit=-1', 'limit=abc', 'limit=10&limit=20', 'limit=1e2', 'limit=99999999999999999999', 'type=bogus',
  'type=PERSON', 'type=person&type=org', 'type=%FF', 'q=a&q=b', 'q[]=a', `q=${'x'.repeat(200)}`, `q=${'x'.repeat(201)}`,
  `q=${'x'.repeat(100_000)}`, 'q=%25', 'q=_', 'q=.*', `q=${pct("' OR 1=1 --")}`, `q=${pct('é'.repeat(200))}`, 'q=%00', 'bogus=1',
  ...BAD_PERCENT.map((s) => `q=${s}`), 'q=&limit=50', 'q=a&limit=50&type=place',
];

/** Autocomplete with abused parameters and seeded fuzzed prefixes. */
function entitySuggestCases(ctx: CaseContext): AttackCase[] {
  const fuzz = fc.sample(fc.string({ unit: 'binary', maxLength: 220 }), { seed: ctx.seed + 3, numRuns: 120 });
  return [
    ...ENTITY_PARAMS.map((p) => read(ctx, 'entities', `/api/entities?${p}`)),
    ...fuzz.map((q) => read(ctx, 'entities', `/api/entities?q=${pct(q)}&limit=50`)),
  ];
}

/** Profiles of long, odd, badly encoded and real names, of bad types, with query strings they do not take. */
function entityProfileCases(ctx: CaseContext): AttackCase[] {
  const odd = ['a'.repeat(200), 'a'.repeat(5_000), 'a'.repeat(12_000), pct('.*'), pct("' OR 1=1 --"), '%25', '_', pct(' '.repeat(1_000)),
    pct('é'.repeat(300)), '%00', pct('<script>alert(1)</script>'), ...BAD_PERCENT];
  const profile = (type: string, name: string, qs = '') => read(ctx, 'entity-profile', `/api/entities/${type}/${name}${qs}`);
  return [
    ...odd.flatMap((n) => ['person', 'org', 'place'].map((t) => profile(t, n))),
    ...ctx.names.slice(0, 20).flatMap((e) => [profile(e.type, pct(e.name), '?limit=0'), profile(e.type, pct(e.name), '?limit=99999')]),
    ...['people', 'PERSON', '%FF', 'x'.repeat(5_000), '__proto__', 'constructor'].map((t) => profile(t, 'Reagan')),
    profile('person', ''), profile('person', 'Reagan/extra'),
  ];
}

/** Unknown routes and methods, CORS preflights and odd headers. */
function miscCases(ctx: CaseContext): AttackCase[] {
  const origin = (o: string, extra: Record<string, string> = {}) => ({ origin: o, 'access-control-request-method': 'GET', ...extra });
  const misc = (method: AttackMethod, path: string, headers: Record<string, string> = {}) =>
    request('misc', method, path, { headers: { ...keyed(ctx.keys.search), ...headers } });
  return [
    misc('PUT', '/api/search?q=oil'), misc('PATCH', '/api/search'), misc('DELETE', '/api/search'), misc('TRACE', '/api/search'),
    misc('GET', '/api'), misc('GET', '/api/'), misc('GET', '/api/nope'), misc('GET', '/API/SEARCH?q=oil'),
    misc('GET', '/api/search;jsessionid=x'), misc('GET', '/api/search%00'), misc('GET', '/api/articles/reuters-1/similar/extra'),
    misc('OPTIONS', '/api/search', origin('https://news.example')), misc('OPTIONS', '/api/search', origin('https://evil.example')),
    misc('OPTIONS', '/api/similar', origin('https://news.example', { 'access-control-request-headers': 'x-a,'.repeat(2_000) })),
    misc('GET', '/api/search?q=oil', { origin: 'https://news.example' }), misc('GET', '/api/search?q=oil', { origin: 'null' }),
    misc('GET', '/api/search?q=oil', { host: 'evil.example' }), misc('GET', '/api/search?q=oil', { 'x-forwarded-for': '%FF, '.repeat(500) }),
    misc('GET', '/widget.js', { range: 'bytes=0-0' }), misc('GET', '/widget.js', { range: 'bytes=99999999999999999999-' }),
    misc('GET', '/api/search?q=oil', { accept: 'x/y;q=%FF, */*;q=2' }), misc('GET', '/api/search?q=oil', { cookie: 'c='.padEnd(12_000, 'x') }),
    misc('GET', '/api/search?q=oil', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x-h-${i}`, 'v']))),
    misc('GET', '/api/search?q=oil', { 'x-request-id': 'x'.repeat(8_000) }), misc('GET', '/api/search?q=oil', { 'x-request-id': '%FF' }),
  ];
}

/** Every hostile request to the article, page, similar-by-id, entity, static and unknown routes. */
export function pathCases(ctx: CaseContext): AttackCase[] {
  return [
    ...articlePathCases(ctx),
    ...webPathCases(),
    ...similarGetCases(ctx),
    ...entitySuggestCases(ctx),
    ...entityProfileCases(ctx),
    ...miscCases(ctx),
  ];
}
