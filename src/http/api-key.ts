import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../core/errors.js';

/** The key a request presents: `Authorization: Bearer KEY` or `X-Api-Key: KEY`; undefined with neither. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

/** Compares two secrets in constant time (digests first, so lengths leak nothing either). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Requires `key` on every request it guards: 401 without a key, 403 with another one. Keys are never logged. */
export function requireApiKey(key: string, what: string): RequestHandler {
  return (req, _res, next) => {
    const presented = presentedKey(req);
    if (presented === undefined || presented === '') {
      next(new AppError('unauthorized', `${what} needs an API key (Authorization: Bearer … or X-Api-Key)`));
      return;
    }
    if (!sameSecret(presented, key)) {
      next(new AppError('forbidden', `the API key is not valid for ${what}`));
      return;
    }
    next();
  };
}
