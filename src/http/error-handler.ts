import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../core/errors.js';
import { fromFrameworkError } from './framework-errors.js';
import type { HttpMetrics } from './metrics.js';
import { retryAfter, toProblem } from './problem.js';
import { redactUrl } from './redact-url.js';
import { stillArriving } from './request-context.js';

/** Answers every route that does not exist with a problem, never Express's HTML page. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('route_not_found', `no route for ${req.method} ${req.path}`));
};

/**
 * The one error middleware: every failure leaves as application/problem+json, never with a stack trace. Failures of
 * the service (5xx) go to `log`, except a timeout while the client was still sending its body (its own slowness).
 */
export function errorHandler(log: (error: unknown) => void, metrics?: HttpMetrics): ErrorRequestHandler {
  return (raw, req, res, _next) => {
    const error = fromFrameworkError(raw);
    const problem = toProblem(error, redactUrl(req.originalUrl));
    if (problem.status >= 500 && !(problem.code === 'timeout' && stillArriving(req))) log(error);
    metrics?.errors.inc({ code: problem.code });
    if (res.headersSent) return; // a timeout answered first
    const wait = retryAfter(error);
    if (wait !== undefined) res.setHeader('Retry-After', String(wait));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}
