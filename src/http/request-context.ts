import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../core/errors.js';

const CLIENT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The request id: the client's `X-Request-Id` when it is a sane token, else a new UUID; echoed in the response. */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
  res.locals['requestId'] = id;
  res.setHeader('X-Request-Id', id);
  next();
};

/**
 * Whether the request was still arriving (its body incomplete) when it was answered: a timeout then is the client's
 * slowness, logged as a refusal (info, no stack), not as a failure of the service.
 */
export const stillArriving = (req: IncomingMessage): boolean => !req.complete;

const DEADLINE = 'deadline';

/**
 * The request's deadline, in ms since the epoch (wall clock: a write thread compares it with its own Date.now), or
 * undefined without {@link requestTimeout}: when it answers 503 if still unanswered, or, for a request given a grace,
 * when its work must have given up by itself. A write that cannot be undone takes it along, so that a request answered
 * 503 has not made it (alerts/saved-searches.ts WriteBound).
 */
export const requestDeadline = (res: Response): number | undefined => res.locals[DEADLINE] as number | undefined;

/**
 * Answers 503 `timeout` through `respond` when a request is still unanswered after `ms` (a number, or the limit
 * for this request): a slow engine must not hold clients, nor a client that sends its body slowly hold a worker
 * (that case is the client's slowness: see {@link stillArriving}). The answer goes out directly, not through
 * `next`: the route still owns the request, and its late answer or failure reaches the error middleware, which
 * drops it (not Express's default handler). The time it answers at is the request's {@link requestDeadline}
 * (`clock`: ms since the epoch, default Date.now), plus the request's `grace` (default none): a request whose work
 * answers by itself by its deadline (a saved-search write, which gives up by then and otherwise commits) is given one,
 * so that the answer that says whether the write was made is the work's own, not a timer's that may race its commit.
 */
export function requestTimeout(
  ms: number | ((req: Request) => number),
  respond: (error: unknown, req: Request, res: Response) => void,
  clock: () => number = Date.now,
  grace: (req: Request) => number = () => 0,
): RequestHandler {
  return (req, res, next) => {
    const limit = typeof ms === 'number' ? ms : ms(req);
    res.locals[DEADLINE] = clock() + limit;
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      const detail = stillArriving(req) ? `the request body did not arrive within ${limit} ms` : `no answer within ${limit} ms; try again`;
      respond(new AppError('timeout', detail), req, res);
    }, limit + grace(req));
    timer.unref();
    res.on('close', () => clearTimeout(timer));
    next();
  };
}

/**
 * Adds `Vary: Origin` to every answer, so that a cache (the browser's, a CDN) keeps answers to different origins
 * apart: whether CORS headers are sent depends on Origin, including on answers sent without them (no Origin, or an
 * origin not listed), on problems and on 304s.
 */
export const varyOnOrigin: RequestHandler = (_req, res, next) => {
  res.vary('Origin');
  next();
};
