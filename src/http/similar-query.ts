import { z } from 'zod';
import { inclusiveRange } from '../core/iso-date.js';
import { DEFAULT_MIN_COSINE } from '../core/similarity/find-similar.js';
import type { SimilarQuery } from '../similarity/similarity-port.js';
import { datesInOrder, isoDateRule } from './date-params.js';
import { flagParam, freshnessParam, MAX_FILTER_VALUES, MAX_HALF_LIFE_DAYS } from './search-query.js';

/** Most results a similarity query returns. */
export const MAX_SIMILAR = 100;
/** Longest text accepted by POST /api/similar, in characters. */
export const MAX_SIMILAR_TEXT = 200_000;


const date = (name: string) => z.string().refine(...isoDateRule(name));
const repeatable = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
  .pipe(z.array(z.string()).max(MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} distinct values per filter`));

/** The options both similarity routes share, as query-string values. */
const optionFields = {
  limit: z.string().regex(/^\d+$/, 'limit must be a whole number').transform(Number)
    .pipe(z.number().min(1, 'limit must be at least 1').max(MAX_SIMILAR, `limit must be at most ${MAX_SIMILAR}`)).default(10),
  sameCategory: flagParam('sameCategory').default(false),
  source: repeatable.optional(),
  from: date('from').optional(),
  to: date('to').optional(),
  freshness: freshnessParam.optional(),
  includeDuplicates: flagParam('includeDuplicates').default(false),
  minCosine: z.string().regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'minCosine must be a number from 0 to 1, e.g. 0.1').transform(Number)
    .default(DEFAULT_MIN_COSINE),
  explain: flagParam('explain').default(false),
};

/** `GET /api/articles/:id/similar` parameters; unknown ones are refused. */
export const similarQuerySchema = z.strictObject(optionFields).refine(datesInOrder.check, datesInOrder.message);

/** `POST /api/similar` body: the text, an optional title, and the same options (numbers and booleans as JSON). */
export const similarBodySchema = z.strictObject({
  text: z.string().trim().min(1, 'text must not be empty').max(MAX_SIMILAR_TEXT),
  title: z.string().max(1_000).optional(),
  limit: z.number().int().min(1).max(MAX_SIMILAR).default(10),
  source: z.array(z.string()).max(MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} values per filter`).optional(),
  from: date('from').optional(),
  to: date('to').optional(),
  freshness: z.number().positive().max(MAX_HALF_LIFE_DAYS).optional(),
  includeDuplicates: z.boolean().default(false),
  minCosine: z.number({ error: 'minCosine must be a number from 0 to 1' }).min(0, 'minCosine must be at least 0')
    .max(1, 'minCosine must be at most 1').default(DEFAULT_MIN_COSINE),
  explain: z.boolean().default(false),
}).refine(datesInOrder.check, datesInOrder.message);

/**
 * Validated options as a similarity query; `now` is the wall clock in ms (for freshness), rounded down to the
 * minute: decay moves by less than 0.002% a minute for a one-month half-life, and equal queries can share an answer.
 */
export function toSimilarQuery(
  p: { limit: number; sameCategory?: boolean; source?: string[] | undefined; from?: string | undefined; to?: string | undefined;
    freshness?: number | undefined; includeDuplicates: boolean; minCosine: number; explain: boolean },
  now: number,
): SimilarQuery {
  const filter = { ...(p.source ? { source: p.source } : {}), ...inclusiveRange(p.from, p.to) };
  return {
    limit: p.limit,
    sameCategory: p.sameCategory ?? false,
    includeDuplicates: p.includeDuplicates,
    minCosine: p.minCosine,
    explain: p.explain,
    ...(Object.keys(filter).length > 0 ? { filter } : {}),
    ...(p.freshness === undefined ? {} : { freshness: { halfLifeDays: p.freshness, now: now - (now % 60_000) } }),
  };
}
