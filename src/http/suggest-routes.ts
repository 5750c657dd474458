import { Router } from 'express';
import { z } from 'zod';
import type { Suggestion } from '../core/suggest/suggest-index.js';
import type { QuerySuggester } from '../services/suggest-queries.js';
import { suggestQueries } from '../services/suggest-queries.js';
import { TYPE_OF } from './entity-routes.js';
import { parseInput } from './validate.js';

/** Longest `q` of a completion request: a search box asks while a few words are typed. */
export const MAX_SUGGEST_QUERY_CHARS = 100;

export const suggestQuerySchema = z.strictObject({
  q: z
    .string({ error: 'q is required, once' })
    .max(MAX_SUGGEST_QUERY_CHARS, `q must be at most ${MAX_SUGGEST_QUERY_CHARS} characters`)
    .refine((q) => /[\p{L}\p{N}]/u.test(q), 'q must hold a letter or a digit'),
  limit: z
    .string({ error: 'limit must be given once' })
    .regex(/^\d+$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'limit must be at least 1').max(20, 'limit must be at most 20'))
    .default(8),
});

/** A completion as the API names it: entity kinds by their API type (`person`, `org`, `place`). */
const present = (s: Suggestion) => ({
  text: s.text,
  type: s.kind === 'phrase' || s.kind === 'title' ? s.kind : TYPE_OF[s.kind],
  articles: s.articles,
});

/** `GET /api/suggest?q=&limit=`: completions for the search box. */
export function suggestRoutes(deps: { suggestions: QuerySuggester }): Router {
  const router = Router();
  router.get('/api/suggest', async (req, res) => {
    const params = parseInput(suggestQuerySchema, req.query, 'suggest parameters');
    const found = await suggestQueries(deps, params.q, params.limit);
    res.json({ query: params.q, suggestions: found.map(present) });
  });
  return router;
}
