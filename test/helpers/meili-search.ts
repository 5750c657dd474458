import { FilterError, filterFields, matchesFilter, parseFilterParam, valuesAt } from './meili-filter.js';
import type { FilterNode } from './meili-filter.js';

/**
 * The search of the Meilisearch stub (test/helpers/meili-stub.ts): `POST /indexes/{uid}/search` validated as the
 * v1.50 server validates it (codes and messages from its tests, search/errors.rs), then answered from the stored
 * documents: the filter grammar (meili-filter.ts), words with typos (1 from `oneTypo` letters, 2 from `twoTypos`,
 * none on numbers when `disableOnNumbers`), the last word as a prefix, `"phrases"`, `-exclusions`, the three
 * matching strategies, the `sort` parameter and custom `field:asc|desc` ranking rules, exact totals up to
 * `maxTotalHits`, `facetDistribution`/`facetStats` (a facet no match has is left out), and `_formatted` (numbers
 * become strings, matches highlighted, crops with the marker), `_rankingScore` (see rankingScore).
 *
 * Deliberate differences from the server: proximity, attribute and exactness are not ranked (ties keep insertion
 * order); words are split on anything but letters and digits (no language-specific segmentation).
 */

type Json = Record<string, unknown>;

/** An error the handler answers with (status, Meilisearch code and type). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly type = 'invalid_request') {
    super(message);
  }
}

export const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? (value < 0 ? 'a negative integer' : 'a positive integer') : 'a number';
  return `a ${typeof value}`;
}

/** A JSON type a field must have, in deserr's words (`object`: a nested shape, checked field by field). */
export type Expected = 'string' | 'array' | 'boolean' | 'unsigned' | 'number' | 'object' | 'filter' | 'any';

/** The 400 deserr gives a value of the wrong type at `path` (e.g. `.pagination.maxTotalHits`). */
export function typeError(code: string, path: string, expected: Expected, value: unknown): ApiError {
  return new ApiError(400, code, `Invalid value type at \`${path}\`: expected ${EXPECTED_TEXT[expected]}, but found ${kindOf(value)}: \`${JSON.stringify(value)}\``);
}

/** True when `value` has the type (null passes for strings, arrays and objects: it resets or clears them). */
export function fits(value: unknown, expected: Expected): boolean {
  switch (expected) {
    case 'string': return typeof value === 'string' || value === null;
    case 'array': return Array.isArray(value) || value === null;
    case 'boolean': return typeof value === 'boolean';
    case 'unsigned': return typeof value === 'number' && Number.isInteger(value) && value >= 0;
    case 'number': return typeof value === 'number';
    case 'object': return value === null || (typeof value === 'object' && !Array.isArray(value));
    default: return true;
  }
}
const SEARCH_FIELDS: Record<string, Expected> = {
  q: 'string', offset: 'unsigned', limit: 'unsigned', page: 'unsigned', hitsPerPage: 'unsigned',
  attributesToRetrieve: 'array', retrieveVectors: 'boolean', attributesToCrop: 'array', cropLength: 'unsigned',
  attributesToHighlight: 'array', showMatchesPosition: 'boolean', showRankingScore: 'boolean',
  showRankingScoreDetails: 'boolean', showPerformanceDetails: 'boolean', filter: 'filter', sort: 'array',
  distinct: 'string', facets: 'array', highlightPreTag: 'string', highlightPostTag: 'string', cropMarker: 'string',
  matchingStrategy: 'string', attributesToSearchOn: 'array', rankingScoreThreshold: 'number', locales: 'array',
  hybrid: 'any', vector: 'any', media: 'any', personalize: 'any', useNetwork: 'boolean',
};
const EXPECTED_TEXT: Record<Expected, string> = {
  string: 'a string', array: 'an array', boolean: 'a boolean', unsigned: 'a positive integer', number: 'a number', object: 'an object', filter: '', any: '',
};

/** Checks a search body as deserr does: unknown fields, types, enumerations. */
export function validateSearchBody(body: unknown): Json {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'bad_request', `Invalid value type: expected an object, but found ${kindOf(body)}: \`${JSON.stringify(body)}\``);
  }
  for (const [field, value] of Object.entries(body)) {
    const expected = SEARCH_FIELDS[field];
    if (expected === undefined) {
      throw new ApiError(400, 'bad_request', `Unknown field \`${field}\`: expected one of ${Object.keys(SEARCH_FIELDS).map((f) => `\`${f}\``).join(', ')}`);
    }
    const code = `invalid_search_${snake(field)}`;
    if (!fits(value, expected)) throw typeError(code, `.${field}`, expected, value);
  }
  const strategy = (body as Json).matchingStrategy;
  if (typeof strategy === 'string' && !['last', 'all', 'frequency'].includes(strategy)) {
    throw new ApiError(400, 'invalid_search_matching_strategy', `Unknown value \`${strategy}\` at \`.matchingStrategy\`: expected one of \`last\`, \`all\`, \`frequency\``);
  }
  const threshold = (body as Json).rankingScoreThreshold;
  if (typeof threshold === 'number' && (threshold < 0 || threshold > 1)) {
    throw new ApiError(400, 'invalid_search_ranking_score_threshold', 'Invalid value at `.rankingScoreThreshold`: the value of `rankingScoreThreshold` is invalid, expected a float between `0.0` and `1.0`.');
  }
  return body as Json;
}

/** The index as the search sees it. */
export interface SearchableIndex {
  readonly uid: string;
  readonly settings: Json;
  readonly docs: readonly Json[];
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const words = (text: string): string[] => fold(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');

/** Damerau–Levenshtein distance, stopping early past `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

interface Term {
  readonly words: string[];
  readonly prefix: boolean;
}

/** The query's terms (a phrase is one term) and its excluded words. */
function parseQ(q: string): { terms: Term[]; excluded: string[][] } {
  const terms: Term[] = [];
  const excluded: string[][] = [];
  const re = /(-?)"([^"]*)"?|(-?)(\S+)/g;
  for (const m of q.matchAll(re)) {
    const negative = (m[1] ?? m[3]) === '-';
    const phrase = m[2] !== undefined;
    const ws = words(phrase ? m[2]! : m[4]!);
    if (ws.length === 0) continue;
    if (negative) excluded.push(ws);
    else if (phrase) terms.push({ words: ws, prefix: false });
    else for (const w of ws) terms.push({ words: [w], prefix: false });
  }
  const last = terms.at(-1);
  if (last && last.words.length === 1 && !/\s$/.test(q) && !q.trimEnd().endsWith('"')) terms[terms.length - 1] = { ...last, prefix: true };
  return { terms, excluded };
}

/** Fields a search reads: `searchableAttributes` (`*`: every field) and what `attributesToSearchOn` keeps. */
function searchedText(doc: Json, settings: Json, on: unknown): string[][] {
  const searchable = settings.searchableAttributes as string[];
  const fields = searchable.includes('*') ? Object.keys(doc) : searchable;
  const kept = Array.isArray(on) ? fields.filter((f) => (on as string[]).includes(f)) : fields;
  return kept.map((f) => valuesAt(doc, f).values.filter((v) => typeof v === 'string' || typeof v === 'number').flatMap((v) => words(String(v))));
}

/** Typos a word may hold under the index's typo settings. */
function allowedTypos(word: string, settings: Json): number {
  const typo = settings.typoTolerance as { enabled: boolean; minWordSizeForTypos: { oneTypo: number; twoTypos: number }; disableOnNumbers: boolean; disableOnWords: string[] };
  if (!typo.enabled || typo.disableOnWords.includes(word) || (typo.disableOnNumbers && /^\d+$/.test(word))) return 0;
  return word.length >= typo.minWordSizeForTypos.twoTypos ? 2 : word.length >= typo.minWordSizeForTypos.oneTypo ? 1 : 0;
}

/** The typos of the best match of `term` in the document's fields, or undefined when it does not match. */
function matchTerm(term: Term, fields: string[][], settings: Json): number | undefined {
  let best: number | undefined;
  for (const field of fields) {
    for (let i = 0; i < field.length; i++) {
      let typos = 0;
      let ok = true;
      for (const [k, w] of term.words.entries()) {
        const word = field[i + k];
        if (word === undefined) { ok = false; break; }
        const max = term.words.length > 1 ? 0 : allowedTypos(w, settings);
        const candidate = term.prefix && word.length > w.length ? word.slice(0, w.length) : word;
        const d = candidate === w ? 0 : distance(w, candidate, max);
        if (d > max) { ok = false; break; }
        typos += d;
      }
      if (ok && (best === undefined || typos < best)) best = typos;
    }
  }
  return best;
}

/** Checks that every field of the filter is filterable, as the server does. */
function checkFilterable(index: SearchableIndex, fields: string[], code: string): void {
  const filterable = (index.settings.filterableAttributes as unknown[]).filter((f): f is string => typeof f === 'string');
  for (const field of fields) {
    if (filterable.some((f) => f === '*' || field === f || field.startsWith(`${f}.`))) continue;
    const available = filterable.length === 0
      ? 'This index does not have configured filterable attributes.'
      : `Available filterable attribute patterns are: \`${[...filterable].sort().join(', ')}\`.`;
    throw new ApiError(400, code, `Index \`${index.uid}\`: Attribute \`${field}\` is not filterable. ${available}`);
  }
}

/** `CONTAINS` and `STARTS WITH` need an experimental feature (off, as on a default server): 400 feature_not_enabled. */
function checkFeatures(node: FilterNode, filter: unknown): void {
  const uses = (n: FilterNode): FilterNode | undefined =>
    n.kind === 'contains' || n.kind === 'startsWith' ? n
      : n.kind === 'not' ? uses(n.inner)
        : n.kind === 'and' || n.kind === 'or' ? n.items.map(uses).find((u) => u !== undefined) : undefined;
  const found = uses(node);
  if (found === undefined) return;
  const keyword = found.kind === 'contains' ? 'CONTAINS' : 'STARTS WITH';
  // the position is within the string (of an array filter: the element) that holds the operator
  const strings = typeof filter === 'string' ? [filter] : (filter as unknown[]).flat(2).map(String);
  const text = strings.find((s) => s.includes(keyword.split(' ')[0]!)) ?? String(filter);
  const at = text.indexOf(keyword.split(' ')[0]!);
  throw new ApiError(400, 'feature_not_enabled', `Using \`${keyword}\` in a filter requires enabling the \`contains filter\` experimental feature. See https://github.com/orgs/meilisearch/discussions/763\n${at + 1}:${at + 1 + keyword.length} ${text}`);
}

/** The documents a `filter` parameter selects (search: `invalid_search_filter`; documents: `invalid_document_filter`). */
export function filtered(index: SearchableIndex, filter: unknown, code: string): Json[] {
  let node;
  try {
    node = parseFilterParam(filter);
    if (node === undefined) return [...index.docs];
    checkFeatures(node, filter);
    checkFilterable(index, filterFields(node), code);
    return index.docs.filter((d) => matchesFilter(d, node!));
  } catch (error) {
    if (error instanceof FilterError) throw new ApiError(400, code, error.message);
    throw error;
  }
}

function checkSort(index: SearchableIndex, sort: unknown): [string, 1 | -1][] {
  const sortable = index.settings.sortableAttributes as string[];
  return ((sort as string[] | undefined) ?? []).map((clause) => {
    const m = /^(.+):(asc|desc)$/.exec(clause);
    if (!m) throw new ApiError(400, 'invalid_search_sort', `Invalid syntax for the sort parameter: expected expression ending by \`:asc\` or \`:desc\`, found \`${clause}\`.`);
    if (!sortable.includes(m[1]!)) {
      const available = sortable.length === 0
        ? 'This index does not have configured sortable attributes.'
        : `Available sortable attributes are: \`${[...sortable].sort().join(', ')}\`.`;
      throw new ApiError(400, 'invalid_search_sort', `Attribute \`${m[1]}\` is not sortable. ${available}`);
    }
    return [m[1]!, m[2] === 'asc' ? 1 : -1];
  });
}

function checkFacets(index: SearchableIndex, facets: unknown): string[] {
  const filterable = (index.settings.filterableAttributes as unknown[]).filter((f): f is string => typeof f === 'string');
  const asked = (facets as string[] | undefined) ?? [];
  if (asked.includes('*')) return filterable;
  for (const facet of asked) {
    if (filterable.includes(facet) || filterable.includes('*')) continue;
    const available = filterable.length === 0
      ? 'This index does not have configured filterable attributes.'
      : `Available filterable attributes patterns are: \`${[...filterable].sort().join(', ')}\`.`;
    throw new ApiError(400, 'invalid_search_facets', `Invalid facet distribution: Pattern \`${facet}\` is not filterable. ${available}`);
  }
  return asked;
}

const compareValues = (a: unknown, b: unknown): number => {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1; // missing values last
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
};

/** Facet counts and numeric stats over every match; a facet no match has is omitted. */
function facetsOf(docs: readonly Json[], facets: readonly string[], settings: Json): { distribution: Json; stats: Json } {
  const faceting = settings.faceting as { maxValuesPerFacet: number; sortFacetValuesBy: Record<string, string> };
  const distribution: Json = {};
  const stats: Json = {};
  for (const facet of facets) {
    const counts = new Map<string, { shown: string; count: number }>();
    const numbers: number[] = [];
    for (const doc of docs) {
      const seen = new Set<string>();
      for (const v of valuesAt(doc, facet).values) {
        if (v === null || typeof v === 'object') continue;
        if (typeof v === 'number') numbers.push(v);
        const key = fold(String(v));
        if (seen.has(key)) continue;
        seen.add(key);
        const entry = counts.get(key) ?? { shown: String(v), count: 0 };
        entry.count++;
        counts.set(key, entry);
      }
    }
    if (counts.size === 0) continue;
    const byCount = (faceting.sortFacetValuesBy[facet] ?? faceting.sortFacetValuesBy['*']) === 'count';
    const entries = [...counts.values()].sort((a, b) => (byCount && b.count !== a.count ? b.count - a.count : a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
    distribution[facet] = Object.fromEntries(entries.slice(0, faceting.maxValuesPerFacet).map((e) => [e.shown, e.count]));
    if (numbers.length > 0) stats[facet] = { min: Math.min(...numbers), max: Math.max(...numbers) };
  }
  return { distribution, stats };
}

/** A field with its matched words wrapped, and cropped to `cropLength` words around the first match. */
function format(text: string, matched: (word: string) => boolean, options: { highlight: boolean; crop?: number; pre: string; post: string; marker: string }): string {
  const parts = text.split(/([^\p{L}\p{N}]+)/u); // words at even indexes
  const wordIndexes = parts.map((_, i) => i).filter((i) => i % 2 === 0 && parts[i] !== '');
  let from = 0;
  let to = parts.length;
  if (options.crop !== undefined && wordIndexes.length > options.crop) {
    const first = wordIndexes.findIndex((i) => matched(fold(parts[i]!)));
    const start = Math.max(0, Math.min(first === -1 ? 0 : first - Math.floor((options.crop - 1) / 2), wordIndexes.length - options.crop));
    from = wordIndexes[start]!;
    to = wordIndexes[start + options.crop - 1]! + 1;
  }
  const body = parts.slice(from, to).map((p, k) => ((from + k) % 2 === 0 && p !== '' && options.highlight && matched(fold(p)) ? `${options.pre}${p}${options.post}` : p)).join('');
  return `${from > 0 ? options.marker : ''}${body}${to < parts.length && options.crop !== undefined ? options.marker : ''}`;
}

const stringified = (value: unknown): unknown => {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(stringified);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringified(v)]));
  return value;
};

function pick(doc: Json, fields: readonly string[] | undefined, displayed: readonly string[]): Json {
  const shown = displayed.includes('*') ? Object.keys(doc) : displayed;
  const wanted = fields === undefined || fields.includes('*') ? shown : shown.filter((f) => fields.includes(f));
  return Object.fromEntries(wanted.filter((f) => f in doc).map((f) => [f, doc[f]]));
}

/**
 * `_rankingScore` over the rules the stub ranks (words, then typo), combined as the server combines its rules
 * (milli's score_details.rs): each rule is a rank out of its maximum, and the score is 1 − Σ (max − rank) / (product
 * of the maxima so far). Words: terms kept out of the query's terms (the server's `matchingWords`/`maxMatchingWords`;
 * "Badman" for a six-word query scores 1/6 in its test_score); typo: typos out of the typos the kept words allow,
 * plus one. A query without terms scores 1.
 */
function rankingScore(match: { kept: number; typos: number }, terms: readonly Term[], order: readonly number[], settings: Json): number {
  if (terms.length === 0) return 1;
  const maxTypos = order.slice(0, match.kept)
    .reduce((sum, i) => sum + (terms[i]!.words.length === 1 ? allowedTypos(terms[i]!.words[0]!, settings) : 0), 0);
  const ranks = [
    { rank: match.kept, max: terms.length },
    { rank: maxTypos + 1 - match.typos, max: maxTypos + 1 },
  ];
  let score = 1;
  let product = 1;
  for (const { rank, max } of ranks) {
    product *= max;
    score -= (max - rank) / product;
  }
  return score;
}

/** Runs a validated search on `index`. */
/**
 * `distinct` at search time (Meilisearch's test `distinct_at_search_time`): the attribute must be filterable; of the
 * ranked matches, the first of each value stays (a document without the attribute always stays); totals and facets
 * then count what stayed. Filters `matches` in place.
 */
function keepDistinct(index: SearchableIndex, matches: { doc: Json }[], field: string): void {
  const filterable = (index.settings.filterableAttributes as unknown[]).filter((f): f is string => typeof f === 'string');
  if (!filterable.some((f) => f === '*' || f === field || field.startsWith(`${f}.`))) {
    const available = filterable.length === 0
      ? 'This index does not have configured filterable attributes.'
      : `Available filterable attributes patterns are: \`${[...filterable].sort().join(', ')}\`.`;
    throw new ApiError(400, 'invalid_search_distinct', `Index \`${index.uid}\`: Attribute \`${field}\` is not filterable and thus, cannot be used as distinct attribute. ${available}`);
  }
  const seen = new Set<string>();
  const kept = matches.filter(({ doc }) => {
    const value = valuesAt(doc, field).values.find((v) => v !== null);
    if (value === undefined) return true;
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  matches.splice(0, matches.length, ...kept);
}

export function runSearch(index: SearchableIndex, body: Json): Json {
  const { settings } = index;
  const q = typeof body.q === 'string' ? body.q : '';
  const sort = checkSort(index, body.sort);
  const facets = body.facets === undefined || body.facets === null ? undefined : checkFacets(index, body.facets);
  const candidates = filtered(index, body.filter, 'invalid_search_filter');
  const { terms, excluded } = parseQ(q);
  const strategy = (body.matchingStrategy as string | undefined) ?? 'last';
  // each match: how many terms it keeps (in the strategy's order) and its typos
  const frequency = terms.map((t) => candidates.filter((d) => matchTerm(t, searchedText(d, settings, body.attributesToSearchOn), settings) !== undefined).length);
  // `frequency` drops the most frequent words first; a word no document has goes first of all
  const weight = (i: number) => (frequency[i] === 0 ? Infinity : frequency[i]!);
  const order = strategy === 'frequency' ? terms.map((_, i) => i).sort((a, b) => weight(a) - weight(b) || a - b) : terms.map((_, i) => i);
  const matches: { doc: Json; kept: number; typos: number; at: number }[] = [];
  for (const [at, doc] of candidates.entries()) {
    const fields = searchedText(doc, settings, body.attributesToSearchOn);
    if (excluded.some((ws) => matchTerm({ words: ws, prefix: false }, fields, settings) !== undefined)) continue;
    if (terms.length === 0) {
      matches.push({ doc, kept: 0, typos: 0, at });
      continue;
    }
    const typos = order.map((i) => matchTerm(terms[i]!, fields, settings));
    let kept = 0;
    while (kept < typos.length && typos[kept] !== undefined) kept++;
    const all = typos.every((t) => t !== undefined);
    if (strategy === 'all' ? !all : kept === 0) continue;
    matches.push({ doc, kept: all ? terms.length : kept, typos: typos.slice(0, kept).reduce<number>((s, t) => s + (t ?? 0), 0), at });
  }
  const custom = (settings.rankingRules as string[]).flatMap((r) => {
    const m = /^(.+):(asc|desc)$/.exec(r);
    return m ? [[m[1]!, m[2] === 'asc' ? 1 : -1] as [string, 1 | -1]] : [];
  });
  const sortValue = (doc: Json, field: string) => valuesAt(doc, field).values.find((v) => v !== null);
  matches.sort((a, b) => {
    if (a.kept !== b.kept) return b.kept - a.kept;
    if (a.typos !== b.typos) return a.typos - b.typos;
    for (const [field, dir] of [...sort, ...custom]) {
      const [x, y] = [sortValue(a.doc, field), sortValue(b.doc, field)];
      const c = x === undefined || y === undefined ? compareValues(x, y) : dir * compareValues(x, y);
      if (c !== 0) return c;
    }
    return a.at - b.at;
  });
  if (typeof body.distinct === 'string') keepDistinct(index, matches, body.distinct);
  const maxTotalHits = (settings.pagination as { maxTotalHits: number }).maxTotalHits;
  const total = Math.min(matches.length, maxTotalHits);
  const paged = body.page !== undefined || body.hitsPerPage !== undefined;
  const hitsPerPage = Number(body.hitsPerPage ?? 20);
  const page = Number(body.page ?? 1);
  const offset = paged ? (page - 1) * hitsPerPage : Number(body.offset ?? 0);
  const limit = paged ? (page === 0 ? 0 : hitsPerPage) : Number(body.limit ?? 20);
  const selected = matches.slice(0, total).slice(offset, offset + limit);

  const queryWords = terms.flatMap((t) => t.words.map((w, k) => ({ w, prefix: t.prefix && k === t.words.length - 1 })));
  const matched = (word: string) => queryWords.some(({ w, prefix }) => word === w || (prefix && word.startsWith(w)) || distance(w, prefix ? word.slice(0, w.length) : word, allowedTypos(w, settings)) <= allowedTypos(w, settings));
  const toHighlight = (body.attributesToHighlight as string[] | undefined) ?? [];
  const toCrop = ((body.attributesToCrop as string[] | undefined) ?? []).map((a) => a.split(':'));
  const displayed = settings.displayedAttributes as string[];
  const hits = selected.map(({ doc }) => {
    const hit = pick(doc, body.attributesToRetrieve as string[] | undefined, displayed);
    if (toHighlight.length === 0 && toCrop.length === 0) return hit;
    const retrieved = (body.attributesToRetrieve as string[] | undefined) ?? ['*'];
    const fields = [...retrieved, ...toHighlight, ...toCrop.map(([f]) => f!)];
    const shown = pick(doc, fields.includes('*') ? ['*'] : fields, displayed);
    const formatted: Json = {};
    for (const [field, value] of Object.entries(shown)) {
      const highlight = toHighlight.includes('*') || toHighlight.includes(field);
      const crop = toCrop.find(([f]) => f === '*' || f === field);
      formatted[field] = typeof value === 'string' && (highlight || crop)
        ? format(value, matched, {
            highlight,
            ...(crop ? { crop: Number(crop[1] ?? body.cropLength ?? 10) } : {}),
            pre: (body.highlightPreTag as string | undefined) ?? '<em>',
            post: (body.highlightPostTag as string | undefined) ?? '</em>',
            marker: (body.cropMarker as string | undefined) ?? '…',
          })
        : stringified(value);
    }
    return { ...hit, _formatted: formatted };
  });
  if (body.showRankingScore === true) {
    const byDoc = new Map(matches.map((m) => [m.doc, m]));
    selected.forEach(({ doc }, i) => {
      hits[i] = { ...hits[i], _rankingScore: rankingScore(byDoc.get(doc)!, terms, order, settings) };
    });
  }
  const pagination = paged
    ? { hitsPerPage, page, totalPages: hitsPerPage === 0 ? 0 : Math.ceil(total / hitsPerPage), totalHits: total }
    : { limit, offset, estimatedTotalHits: total };
  const response: Json = { hits, query: q, processingTimeMs: 0, ...pagination };
  if (facets !== undefined) {
    const { distribution, stats } = facetsOf(matches.map((m) => m.doc), facets, settings);
    response.facetDistribution = distribution;
    response.facetStats = stats;
  }
  return response;
}
