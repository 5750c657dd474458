import type { Request } from 'express';
import { isArticleWrite } from './article-write-routes.js';
import { isSavedSearchWrite } from './saved-search-routes.js';

/**
 * Whether a request is a write that may queue on the write thread behind other writers (an indexer's transactions):
 * an article write or a saved-search write. It gets HttpOptions.writeTimeoutMs instead of requestTimeoutMs, so that
 * a writer that queues is not told it failed.
 */
export const isQueuedWrite = (req: Request): boolean => isArticleWrite(req) || isSavedSearchWrite(req);
