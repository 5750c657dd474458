import type { Request, RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import { AppError } from '../core/errors.js';
import { presentedKey, sameSecret } from './api-key.js';
import { clientRateLimit } from './rate-limit.js';

/** The keys that open /api reads, and the public key's own limit (see {@link readAccess}). */
export interface ReadAccessOptions {
  /** SEARCH_API_KEY, the private key of back-end callers; unset: reads are open to everyone. */
  readonly searchApiKey?: string | undefined;
  /** PUBLIC_API_KEY, the key the bundled pages and the widget send; only read in the public scope. */
  readonly publicApiKey?: string | undefined;
  /** Requests a minute per client address made with the public key; 0 disables this limit. */
  readonly publicRateLimitPerMinute: number;
  /** Where the public limit's counts are kept (see rate-limit.ts); absent, in this process's memory. */
  readonly publicLimitStore?: Store | undefined;
}

/** Methods the public key may use: reads only. */
const PUBLIC_METHODS = new Set(['GET', 'HEAD']);

/**
 * Why the public scope may not make this request, or undefined when it may. The rules look at the method and the
 * `format` parameter only, never at the path (Express matches paths case-insensitively and with a trailing
 * slash, so a path test would be easy to miss): every non-GET needs the search key (`POST /api/similar` analyses
 * any text, the costliest request there is), and so does any `format` other than `json` (exports stream every match).
 */
export function publicScopeRefusal(req: Request): string | undefined {
  if (!PUBLIC_METHODS.has(req.method)) {
    return /^\/similar\/?$/i.test(req.path)
      ? 'POST /api/similar needs the search key (SEARCH_API_KEY): the public key only reads articles that are indexed'
      : `${req.method} needs the search key (SEARCH_API_KEY): the public key only reads (GET)`;
  }
  const format = req.query['format'];
  if (format !== undefined && format !== 'json') {
    return 'exports (format=csv or jsonl) need the search key (SEARCH_API_KEY): the public key reads JSON only';
  }
  return undefined;
}

/**
 * The guard of every `/api` read (writes are guarded by the admin key before it). Without a search key, reads are
 * open, whatever key is sent. With one: no key → 401; the search key → everything (the private scope, under the
 * global RATE_LIMIT_PER_MINUTE only); the public key → the public scope: GET reads in JSON (search, articles,
 * similar, entities), anything else 403 ({@link publicScopeRefusal}), and a second per-client limit, counted apart
 * from the global one; any other key → 403. Both keys are compared in constant time, each time, and never logged.
 */
export function readAccess(options: ReadAccessOptions): RequestHandler {
  const { searchApiKey, publicApiKey } = options;
  if (!searchApiKey) return (_req, _res, next) => next();
  const publicLimit =
    options.publicRateLimitPerMinute > 0
      ? clientRateLimit({
          perMinute: options.publicRateLimitPerMinute,
          who: 'from this client with the public key',
          store: options.publicLimitStore,
        })
      : undefined;
  return (req, res, next) => {
    const presented = presentedKey(req);
    if (presented === undefined || presented === '') {
      next(new AppError('unauthorized', 'reading this API needs an API key (Authorization: Bearer … or X-Api-Key)'));
      return;
    }
    const isSearchKey = sameSecret(presented, searchApiKey);
    const isPublicKey = publicApiKey !== undefined && sameSecret(presented, publicApiKey);
    if (isSearchKey) {
      next();
      return;
    }
    if (!isPublicKey) {
      next(new AppError('forbidden', 'the API key is not valid for reading this API'));
      return;
    }
    const refusal = publicScopeRefusal(req);
    if (refusal !== undefined) {
      next(new AppError('forbidden', refusal));
      return;
    }
    if (publicLimit) return publicLimit(req, res, next);
    next();
  };
}
