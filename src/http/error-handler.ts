import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
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

/** Answers a request with the problem for an error (see {@link problemResponder}). */
export type ProblemResponder = (error: unknown, req: Request, res: Response) => void;

/**
 * Sends every failure as application/problem+json, never with a stack trace. Failures of the service (5xx) go to
 * `log`, except a timeout while the client was still sending its body (its own slowness). A route that fails only
 * because it answers after another answer went out (its timeout's) is not a failure: it is dropped silently.
 */
export function problemResponder(log: (error: unknown) => void, metrics?: HttpMetrics): ProblemResponder {
  return (raw, req, res) => {
    if (res.headersSent && (raw as { code?: unknown })?.code === 'ERR_HTTP_HEADERS_SENT') return;
    const error = fromFrameworkError(raw);
    const problem = toProblem(error, redactUrl(req.originalUrl));
    if (problem.status >= 500 && !(problem.code === 'timeout' && stillArriving(req))) log(error);
    metrics?.errors.inc({ code: problem.code });
    if (res.headersSent) return; // the answer is under way (an export): it can only be cut short
    const wait = retryAfter(error);
    if (wait !== undefined) res.setHeader('Retry-After', String(wait));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}

/** The one error middleware: every failure that reaches it is answered by `respond`. */
export function errorHandler(respond: ProblemResponder): ErrorRequestHandler {
  return (raw, req, res, _next) => respond(raw, req, res);
}
