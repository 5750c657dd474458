import type { Request, RequestHandler } from 'express';
import { Router } from 'express';
import { isArticleId } from '../core/article.js';
import { AppError, ArticlesRejectedError, EngineUnavailableError, NotFoundError } from '../core/errors.js';
import { inProcessWriter, NO_ARTICLE, refusedWhole } from '../services/article-writer.js';
import { requireApiKey } from './api-key.js';
import { collectionWrite } from './collection-write.js';
import type { AppDeps } from './app-deps.js';
import { jsonBytesBody } from './json-body.js';

/**
 * Whether a request is an article write (POST /api/articles, DELETE /api/articles/:id): it may queue, see
 * HttpOptions.writeTimeoutMs. Matched as the router matches these routes (Express: any letter case, one trailing
 * slash).
 */
export const isArticleWrite: (req: Request) => boolean = collectionWrite('/api/articles');

/** Writes need ADMIN_API_KEY; with none configured, every write is refused (403), never let through. */
function adminOnly(key: string | undefined): RequestHandler {
  if (key) return requireApiKey(key, 'writing articles');
  return (_req, _res, next) => next(new AppError('forbidden', 'writes are disabled: the service has no ADMIN_API_KEY'));
}

/**
 * Read your writes: the answer waits until searches and "more like this" on every worker see the write (the index
 * host has applied it, usually within milliseconds). The write is committed either way: when the host does not
 * answer in time (a bulk catch-up), the answer is not held back further, and the write shows when it is applied.
 */
async function visible(deps: Pick<AppDeps, 'engine'>): Promise<void> {
  try {
    await deps.engine.sync();
  } catch (error) {
    if (!(error instanceof EngineUnavailableError)) throw error;
  }
}

/** Access rule and body limit of the write routes. */
export interface ArticleWriteOptions {
  /** ADMIN_API_KEY; undefined: every write is refused. */
  readonly adminKey: string | undefined;
  /** Largest accepted body of `POST /api/articles`, in bytes (413 beyond). */
  readonly maxBodyBytes: number;
}

/**
 * `POST /api/articles` (one article or an array of up to 1,000, parsed, validated and upserted through the same
 * pipeline as the indexer where the writer runs: a bad article is reported by index and field, and the others are
 * still indexed; when none is, a 422 `invalid_article` problem with the same counts and rejections) and
 * `DELETE /api/articles/:id`, both through the one write path (all or nothing per request on the embedded engine),
 * made by `deps.writer` (a serving process's write thread) or else where they are called; both need the admin key,
 * checked before the body is read.
 */
export function articleWriteRoutes(deps: AppDeps, options: ArticleWriteOptions): Router {
  const router = Router();
  const guard = adminOnly(options.adminKey);
  const writer = deps.writer ?? inProcessWriter(deps);
  router.post('/api/articles', guard, jsonBytesBody(options.maxBodyBytes), async (req, res) => {
    if (!(req.body instanceof Uint8Array)) throw new AppError('invalid_request', NO_ARTICLE);
    // a small body with no article to write is answered here, not after the write thread's queue
    const { summary, rejections } = refusedWhole(req.body) ?? (await writer.ingestBody(req.body));
    // nothing accepted: a 422 problem carrying the same counts and rejections, and nothing to wait for
    if (summary.indexed + summary.unchanged === 0) throw new ArticlesRejectedError(summary, rejections);
    await visible(deps);
    res.json({ ...summary, rejections });
  });
  router.delete('/api/articles/:id', guard, async (req, res) => {
    const id = String(req.params['id']);
    const unknown = () => new NotFoundError(`no article has the id "${id}"`);
    // an id no write accepts is unknown unless a store written before the rule holds it: told at once, not after
    // the write thread's queue
    if (!isArticleId(id) && !(await deps.engine.get(id))) throw unknown();
    const { deleted, fromSimilarity } = await writer.delete([id]);
    if (deleted === 0 && fromSimilarity === 0) throw unknown();
    await visible(deps);
    res.status(204).end();
  });
  return router;
}
