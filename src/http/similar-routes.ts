import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Router } from 'express';
import { findSimilar, findSimilarToText } from '../services/find-similar.js';
import type { AppDeps } from './app-deps.js';
import { jsonBody } from './json-body.js';
import { similarBodySchema, similarQuerySchema, toSimilarQuery } from './similar-query.js';
import { parseInput } from './validate.js';

/**
 * Largest body of `POST /api/similar`, whatever MAX_BODY_BYTES says: its longest text (200,000 characters) fits even
 * written wholly as `\uXXXX` escapes (1.2 MB). The body is parsed in the worker, so a larger one would only cost the
 * requests beside it there.
 */
export const SIMILAR_BODY_BYTES = 2 * 1024 * 1024;

/** How long a widget (or a CDN in front of it) may reuse an answer, in seconds. */
export const SIMILAR_MAX_AGE = 60;

/** Body limit and caching rule of the similarity routes. */
export interface SimilarRoutesOptions {
  /** Largest accepted body of `POST /api/similar`, in bytes (413 beyond; at most {@link SIMILAR_BODY_BYTES}). */
  readonly maxBodyBytes: number;
  /**
   * Reads need an API key: answers are `Cache-Control: private` (the client's own cache only), since a shared cache
   * would hand them to clients without a key; otherwise `public`, so that a CDN may keep them too.
   */
  readonly keyRequired: boolean;
}

/** Sends JSON with a content-hash ETag, answering 304 when the client already holds it. */
export function sendCacheable(req: Request, res: Response, body: unknown, scope: 'public' | 'private'): void {
  const json = JSON.stringify(body);
  const etag = `W/"${createHash('sha1').update(json).digest('base64url')}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', `${scope}, max-age=${SIMILAR_MAX_AGE}, stale-while-revalidate=${5 * SIMILAR_MAX_AGE}`);
  const held = req.headers['if-none-match'];
  if (held !== undefined && held.split(',').some((tag) => tag.trim() === etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(json);
}

/** `GET /api/articles/:id/similar` and `POST /api/similar`: related articles by TF-IDF cosine. */
export function similarRoutes(deps: AppDeps, options: SimilarRoutesOptions): Router {
  const router = Router();
  const scope = options.keyRequired ? 'private' : 'public';
  router.get('/api/articles/:id/similar', async (req, res) => {
    const params = parseInput(similarQuerySchema, req.query, 'similarity parameters');
    const found = await findSimilar(deps, req.params.id, toSimilarQuery(params, deps.clock()));
    sendCacheable(req, res, { id: found.source.id, title: found.source.title, hits: found.hits }, scope);
  });
  router.post('/api/similar', jsonBody(Math.min(options.maxBodyBytes, SIMILAR_BODY_BYTES)), async (req, res) => {
    const body = parseInput(similarBodySchema, req.body ?? {}, 'similarity request');
    const hits = await findSimilarToText(deps, { title: body.title, body: body.text }, toSimilarQuery(body, deps.clock()));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ hits });
  });
  return router;
}
