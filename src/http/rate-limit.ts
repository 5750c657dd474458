import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Store } from 'express-rate-limit';
import { AppError } from '../core/errors.js';

/** One per-client request limit (see {@link clientRateLimit}). */
export interface ClientRateLimitOptions {
  /** Requests a minute per client address; must be > 0 (callers mount nothing for 0, "disabled"). */
  readonly perMinute: number;
  /** Who is counted, as the problem's detail ends: "from this client", "from this client with the public key". */
  readonly who: string;
  /** Requests left uncounted (probes). */
  readonly skip?: (req: Request) => boolean;
  /**
   * Where the counts are kept; absent, in this process's memory. One store per limit: two limits never share one.
   * A store that fails (the cluster primary does not answer) lets the request through, logged, rather than fail it.
   */
  readonly store?: Store | undefined;
}

/**
 * A fixed one-minute window per client address (`req.ip`, so TRUST_PROXY decides which address that is), with its
 * own counters (in `store`): two limits never share a count. Beyond the limit: a 429 `rate_limited` problem with `Retry-After`
 * (whole seconds until the window resets, at least 1) and the draft-7 `RateLimit` headers.
 */
export function clientRateLimit(options: ClientRateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(options.skip ? { skip: options.skip } : {}),
    ...(options.store ? { store: options.store } : {}),
    passOnStoreError: true,
    handler: (req, res, next) => {
      const reset = (req as typeof req & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.ceil((reset.getTime() - Date.now()) / 1000) : 60;
      res.setHeader('Retry-After', String(Math.max(1, seconds)));
      next(new AppError('rate_limited', `more than ${options.perMinute} requests a minute ${options.who}`));
    },
  });
}
