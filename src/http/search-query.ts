import { z } from 'zod';
import { FACET_FIELDS } from '../engines/search-engine.js';
import type { SearchRequest } from '../engines/search-engine.js';
import { datesInOrder, isoDateRule } from './date-params.js';

/** Longest accepted query, in characters. */
export const MAX_QUERY_CHARS = 512;
/** Largest page. */
export const MAX_PER_PAGE = 100;
/** Deepest result reachable by paging (page × perPage); deeper pages are refused, not silently empty. */
export const MAX_RESULT_WINDOW = 10_000;

const single = (name: string) =>
  z.string({ error: `${name} must be given once` });
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
    format: z.enum(['json', 'csv', 'jsonl'], { error: 'format must be json, csv or jsonl' }).default('json'),
    facets: repeatable
      .transform((v) => [...new Set(v.flatMap((s) => s.split(',')).map((s) => s.trim()))])
      .pipe(z.array(z.enum(FACET_FIELDS, { error: `facets may list ${FACET_FIELDS.join(', ')}` })))
      .optional(),
  })
  .refine((p) => p.page * p.perPage <= MAX_RESULT_WINDOW, {
    message: `page × perPage must be at most ${MAX_RESULT_WINDOW}`,
    path: ['page'],
  })
  .refine(datesInOrder.check, datesInOrder.message);

/** Validated parameters as an engine request. */
export function toSearchRequest(params: z.output<typeof searchQuerySchema>): SearchRequest {
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
  };
}
