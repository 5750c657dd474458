import { NEWS_SYNONYMS } from '../../core/keyword/synonyms.js';
import type { SynonymMap } from '../../core/keyword/synonyms.js';
import { MAX_HISTOGRAM_BUCKETS } from '../../core/trends/date-histogram.js';

/**
 * Largest `totalHits` Meilisearch counts (its default is 1,000). Our totals are exact up to this many matches;
 * beyond it Meilisearch reports this number. Higher values cost search time on very broad queries only.
 */
export const MAX_TOTAL_HITS = 1_000_000;

/**
 * The index settings the adapter needs, written as Meilisearch returns them from `GET /indexes/{uid}/settings`, so
 * that comparing them with the current settings tells exactly what must change.
 *
 * - searchable: title above body (attribute order is the `attribute` rule's order);
 * - filterable: the facet fields, `about` (the entities an article is about: their articles first, see
 *   about-first.ts), `id` (get by id and the content-hash lookup with a search-only key) and the numeric
 *   `publishedAt` (ms since the epoch) for date ranges;
 * - ranking: `sort` right after `proximity` (so newest/oldest keep words, typos and proximity first), and a
 *   final `publishedAt:desc` so that equally relevant articles — and every article of an empty query — come
 *   newest first without a `sort` parameter;
 * - typos: 1 from 5 letters, 2 from 9, none on numbers (`2025` must not find `2026`);
 * - synonyms: the built-in news aliases here; {@link desiredSettings} puts SYNONYMS_FILE's in their place;
 * - filterable `copyGroup`: the `distinct` attribute of a collapsed search (search-translation.ts);
 * - filterable `publishedDay`, `publishedWeek`, `publishedMonth` (document.ts): histograms are their facet counts;
 * - faceting: up to {@link MAX_HISTOGRAM_BUCKETS} + 1 values per facet, so that a histogram is never cut (one more
 *   than allowed tells a histogram that is too long); the adapter keeps the MAX_FACET_VALUES most frequent values of
 *   the other facets itself (search-translation.ts);
 * - pagination limit: see {@link MAX_TOTAL_HITS};
 * - filterable and sortable `indexedAt` (mirror-fields.ts): replicas follow the documents in that order.
 */
export const DESIRED_SETTINGS = {
  searchableAttributes: ['title', 'body'],
  filterableAttributes: [
    'about', 'category', 'copyGroup', 'id', 'indexedAt', 'orgs', 'people', 'places', 'publishedAt', 'publishedDay', 'publishedMonth', 'publishedWeek',
    'source', 'tags',
  ],
  sortableAttributes: ['indexedAt', 'publishedAt'],
  rankingRules: ['words', 'typo', 'proximity', 'sort', 'attribute', 'exactness', 'publishedAt:desc'],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    disableOnWords: [],
    disableOnAttributes: [],
    disableOnNumbers: true,
  },
  faceting: { maxValuesPerFacet: MAX_HISTOGRAM_BUCKETS + 1, sortFacetValuesBy: { '*': 'count' } },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
  synonyms: NEWS_SYNONYMS as SynonymMap,
} as const;

export type DesiredSettings = typeof DESIRED_SETTINGS;

/** {@link DESIRED_SETTINGS} with the configured synonyms. */
export const desiredSettings = (synonyms: SynonymMap): DesiredSettings => ({ ...DESIRED_SETTINGS, synonyms });

/** Settings compared whole: a key gone from the desired value must go from the index too. */
const WHOLE = new Set(['synonyms']);

/** JSON with object keys sorted (Meilisearch may return an object's keys in another order). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);

/** Order-insensitive lists: Meilisearch may return filterable and sortable attributes in any order. */
const UNORDERED = new Set(['filterableAttributes', 'sortableAttributes']);

const sorted = (value: unknown): unknown =>
  Array.isArray(value) ? [...(value as unknown[])].map(String).sort() : value;

/** True when `current` already holds `desired` (each key of `desired`, recursively; extra current keys ignored). */
function holds(current: unknown, desired: unknown): boolean {
  if (desired !== null && typeof desired === 'object' && !Array.isArray(desired)) {
    if (current === null || typeof current !== 'object') return false;
    return Object.entries(desired).every(([k, v]) => holds((current as Record<string, unknown>)[k], v));
  }
  // Lists and scalars compare by their JSON text: order matters in lists, and values from another realm (a parsed
  // response) compare equal to ours.
  return JSON.stringify(current) === JSON.stringify(desired);
}

/**
 * The part of `wanted` ({@link DESIRED_SETTINGS} by default) that `current` (the index's settings) does not hold yet: an empty object
 * when nothing has to change, so that a second run sends no settings update (which would re-index everything).
 */
export function settingsToUpdate<S extends object = DesiredSettings>(
  current: Record<string, unknown>,
  wanted: S = DESIRED_SETTINGS as unknown as S,
): Partial<Record<keyof S, unknown>> {
  const out: Partial<Record<keyof S, unknown>> = {};
  for (const [key, desired] of Object.entries(wanted) as [keyof S & string, unknown][]) {
    const have = UNORDERED.has(key) ? sorted(current[key]) : current[key];
    const want = UNORDERED.has(key) ? sorted(desired) : desired;
    const same = WHOLE.has(key) ? canonical(have ?? {}) === canonical(want) : holds(have, want);
    if (!same) out[key] = desired;
  }
  return out;
}
