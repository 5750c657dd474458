import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../core/errors.js';
import type { HttpMetrics } from './metrics.js';
import { retryAfter, toProblem } from './problem.js';

/** Answers every route that does not exist with a problem, never Express's HTML page. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('route_not_found', `no route for ${req.method} ${req.path}`));
};

/** Errors thrown by body parsing, mapped to our codes (Express sets `type` and `status` on them). */
function fromParser(error: unknown): unknown {
  const e = error as { type?: string; status?: number };
  if (e?.type === 'entity.too.large') return new AppError('payload_too_large', 'the request body is too large');
  if (e?.type === 'entity.parse.failed') return new AppError('invalid_request', 'the request body is not valid JSON');
  return error;
}

/** The one error middleware: every failure leaves as application/problem+json, never with a stack trace. */
export function errorHandler(log: (error: unknown) => void, metrics?: HttpMetrics): ErrorRequestHandler {
  return (raw, req, res, _next) => {
    const error = fromParser(raw);
    const problem = toProblem(error, req.originalUrl);
    if (problem.status >= 500) log(error);
    metrics?.errors.inc({ code: problem.code });
    if (res.headersSent) return; // a timeout answered first
    const wait = retryAfter(error);
    if (wait !== undefined) res.setHeader('Retry-After', String(wait));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}
