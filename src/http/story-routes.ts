import { Router } from 'express';
import { z } from 'zod';
import { inclusiveRange } from '../core/iso-date.js';
import { biggestStories, storyOf } from '../services/stories.js';
import type { StoryReader } from '../stories/story-port.js';
import { datesInOrder, isoDateRule } from './date-params.js';
import { sendCacheable } from './similar-routes.js';
import { parseInput } from './validate.js';

/** Most articles of a story one answer lists (around the article asked). */
export const MAX_STORY_ARTICLES = 100;
/** Most stories one `GET /api/stories` lists. */
export const MAX_STORIES = 50;

const count = (max: number, fallback: number) =>
  z.string({ error: 'limit must be given once' }).regex(/^\d+$/, 'limit must be a whole number').transform(Number)
    .pipe(z.number().min(1, 'limit must be at least 1').max(max, `limit must be at most ${max}`)).default(fallback);
const date = (name: string) => z.string({ error: `${name} must be given once` }).refine(...isoDateRule(name));

/** `GET /api/articles/:id/story` parameters. */
export const storyQuerySchema = z.strictObject({
  limit: count(MAX_STORY_ARTICLES, 20).describe('articles listed, as many before the article as after where the story has them'),
});

/** `GET /api/stories` parameters: an inclusive period (a date alone covers its whole UTC day) and how many stories. */
export const storiesQuerySchema = z
  .strictObject({
    from: date('from').optional().describe('first day of the period (default: 6 days before to)'),
    to: date('to').optional().describe('last day of the period (default: the newest article; 7 days after from when only from is given); at most 92 days'),
    limit: count(MAX_STORIES, 10),
  })
  .refine(datesInOrder.check, datesInOrder.message);

/** `GET /api/articles/:id/story` and `GET /api/stories`: story threads (the index host's, stories/story-state.ts). */
export function storyRoutes(deps: { stories: StoryReader }, options: { keyRequired: boolean }): Router {
  const router = Router();
  const scope = options.keyRequired ? 'private' : 'public';
  router.get('/api/articles/:id/story', async (req, res) => {
    const params = parseInput(storyQuerySchema, req.query, 'story parameters');
    sendCacheable(req, res, await storyOf(deps, req.params.id, params.limit), scope);
  });
  router.get('/api/stories', async (req, res) => {
    const params = parseInput(storiesQuerySchema, req.query, 'stories parameters');
    const range = inclusiveRange(params.from, params.to);
    sendCacheable(req, res, await biggestStories(deps, { from: range.from, to: range.to, limit: params.limit }), scope);
  });
  return router;
}
