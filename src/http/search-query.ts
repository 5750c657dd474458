import { z } from 'zod';
import { FACET_FIELDS } from '../engines/search-engine.js';
import type { SearchRequest } from '../engines/search-engine.js';
import { HISTOGRAM_INTERVALS } from '../core/trends/date-histogram.js';
import { SIGNIFICANT_KINDS, SIGNIFICANT_SAMPLE } from '../services/significant.js';
import { datesInOrder, isoDateRule } from './date-params.js';

/** Longest accepted query, in characters. */
export const MAX_QUERY_CHARS = 512;
/** Largest page. */
export const MAX_PER_PAGE = 100;
/** Deepest result reachable by paging (page × perPage); deeper pages are refused, not silently empty. */
export const MAX_RESULT_WINDOW = 10_000;
/** Longest freshness half-life, in days (a century). */
export const MAX_HALF_LIFE_DAYS = 36_500;
/**
 * The freshness half-life of a search sorted by relevance when none is given (`freshness=off` turns it off):
 * chosen by `npm run bench:relevance` as the shortest half-life tried (365, 90, 30, 14, 7 days) that costs at most
 * 0.01 of known-item MRR on any kind of query on either corpus (docs/BENCHMARKS.md, "Recency").
 */
export const DEFAULT_HALF_LIFE_DAYS = 7;

const single = (name: string) =>
  z.string({ error: `${name} must be given once` });
/** A true/false query parameter (`1`/`0` too). */
export const flagParam = (name: string) =>
  z.enum(['true', 'false', '1', '0'], { error: `${name} must be true or false` }).transform((v) => v === 'true' || v === '1');
/** Most distinct values one filter parameter may OR (`category=a&category=b…`); repeats of a value count once. */
export const MAX_FILTER_VALUES = 100;

const repeatable = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [...new Set((Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== ''))])
  .pipe(z.array(z.string()).max(MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} distinct values per filter`));
const date = (name: string) => single(name).refine(...isoDateRule(name));
const int = (name: string, min: number, max: number) =>
  single(name)
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));

/** `freshness=<half-life in days>` in a query string (search and the similarity routes). */
export const freshnessParam = single('freshness')
  .regex(/^\d+(\.\d+)?$/, 'freshness must be a half-life in days, e.g. 30')
  .transform(Number)
  .pipe(z.number().positive('freshness must be more than 0 days').max(MAX_HALF_LIFE_DAYS, `freshness must be at most ${MAX_HALF_LIFE_DAYS} days`));

const isDays = (v: string) => /^\d+(\.\d+)?$/.test(v);

/** Search's `freshness`: a half-life in days as {@link freshnessParam}, or `off`. */
const searchFreshness = single('freshness')
  .refine((v) => v === 'off' || isDays(v), 'freshness must be a half-life in days, e.g. 30, or off')
  .refine((v) => !isDays(v) || Number(v) > 0, 'freshness must be more than 0 days')
  .refine((v) => !isDays(v) || Number(v) <= MAX_HALF_LIFE_DAYS, `freshness must be at most ${MAX_HALF_LIFE_DAYS} days`)
  .transform((v) => (v === 'off' ? ('off' as const) : Number(v)));
const ENTITY_FILTER =
  'an entity name (repeat to OR); case and accents folded, a surname or alias of one entity stands for it, one of several answers 400 with the candidates (see resolvedFilters)';

/** `GET /api/search` parameters. Unknown parameters are refused so that a typo in a name never goes unnoticed. */
export const searchQuerySchema = z
  .strictObject({
    q: single('q').max(MAX_QUERY_CHARS, `q must be at most ${MAX_QUERY_CHARS} characters`).default(''),
    page: int('page', 1, MAX_RESULT_WINDOW).default(1),
    perPage: int('perPage', 1, MAX_PER_PAGE).default(20),
    sort: z.enum(['relevance', 'newest', 'oldest']).default('relevance'),
    match: z.enum(['last', 'all']).default('last'),
    category: repeatable.optional(),
    source: repeatable.optional(),
    tag: repeatable.optional(),
    person: repeatable.optional().describe(ENTITY_FILTER),
    org: repeatable.optional().describe(ENTITY_FILTER),
    place: repeatable.optional().describe(ENTITY_FILTER),
    from: date('from').optional(),
    to: date('to').optional(),
    freshness: searchFreshness.optional(),
    collapse: flagParam('collapse')
      .optional()
      .describe(
        'one hit per copy group (syndicated copies, near-duplicates), carrying `copies` and `copyIds`; totals, facets and histogram then count one per group. Default: true with format=json, false for exports (every article)',
      ),
    format: z.enum(['json', 'csv', 'jsonl'], { error: 'format must be json, csv or jsonl' }).default('json'),
    facets: repeatable
      .transform((v) => [...new Set(v.flatMap((s) => s.split(',')).map((s) => s.trim()))])
      .pipe(z.array(z.enum(FACET_FIELDS, { error: `facets may list ${FACET_FIELDS.join(', ')}` })))
      .optional(),
    histogram: z
      .enum(HISTOGRAM_INTERVALS, { error: `histogram must be ${HISTOGRAM_INTERVALS.join(', ')}` })
      .optional()
      .describe('count every match per UTC day, ISO week (from Monday) or month of publication'),
    significant: repeatable
      .transform((v) => [...new Set(v.flatMap((s) => s.split(',')).map((s) => s.trim()))])
      .pipe(z.array(z.enum(SIGNIFICANT_KINDS, { error: `significant may list ${SIGNIFICANT_KINDS.join(', ')}` })))
      .optional()
      .describe(
        `comma-separated ${SIGNIFICANT_KINDS.join(', ')}: what is unusually frequent in the best ${SIGNIFICANT_SAMPLE} matches against the whole corpus (JLH score)`,
      ),
  })
  .refine((p) => p.format === 'json' || (p.histogram === undefined && (p.significant ?? []).length === 0), {
    message: 'histogram and significant are answered with format=json only',
    path: ['format'],
  })
  .refine((p) => p.page * p.perPage <= MAX_RESULT_WINDOW, {
    message: `page × perPage must be at most ${MAX_RESULT_WINDOW}`,
    path: ['page'],
  })
  .refine(datesInOrder.check, datesInOrder.message);

/**
 * Validated parameters as an engine request; `now` is the wall clock in ms (for freshness), rounded down to the
 * minute as the similarity routes round it (see similar-query.ts).
 */
export function toSearchRequest(params: z.output<typeof searchQuerySchema>, now: number): SearchRequest {
  return {
    q: params.q,
    page: params.page,
    perPage: params.perPage,
    sort: params.sort,
    match: params.match,
    filters: {
      ...(params.category ? { category: params.category } : {}),
      ...(params.source ? { source: params.source } : {}),
      ...(params.tag ? { tags: params.tag } : {}),
      ...(params.person ? { people: params.person } : {}),
      ...(params.org ? { orgs: params.org } : {}),
      ...(params.place ? { places: params.place } : {}),
      ...(params.from ? { from: params.from } : {}),
      ...(params.to ? { to: params.to } : {}),
    },
    facets: params.facets ?? [],
    ...(params.freshness === 'off' ? {} : { freshness: { halfLifeDays: params.freshness ?? DEFAULT_HALF_LIFE_DAYS, now: now - (now % 60_000) } }),
    ...(params.histogram ? { histogram: params.histogram } : {}),
    ...((params.collapse ?? params.format === 'json') ? { collapse: true } : {}),
  };
}
