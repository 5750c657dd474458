import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
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

/** Answers 503 `timeout` when a request is still unanswered after `ms` (a slow engine must not hold clients). */
export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) next(new AppError('timeout', `no answer within ${ms} ms; try again`));
    }, ms);
    timer.unref();
    res.on('close', () => clearTimeout(timer));
    next();
  };
}
