import type { RequestHandler } from 'express';
import express from 'express';

/**
 * Parses a JSON body of at most `limitBytes` into `req.body` (413 beyond; 400 for bad JSON; 415 for another charset
 * or an unknown `Content-Encoding`: src/http/framework-errors.ts maps them). Mounted by the routes that read a body,
 * after their key check, so that a request refused for its key is answered without its body being read.
 *
 * A request already answered while its body was still arriving (REQUEST_TIMEOUT_MS ran out on a slow client) goes
 * no further, whether its body then arrives or fails to ("request aborted"): the client has its 503, and neither is
 * a failure of the service.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (res.headersSent) return;
      next(error);
    });
  };
}
