import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { redactUrl } from './redact-url.js';
import { stillArriving } from './request-context.js';

/**
 * One structured line per answered request, with its request id, route, status and duration: failures (5xx) at
 * error, refusals (4xx, and the 503 of a client still sending its body) at info, successes at debug (LOG_LEVEL=debug
 * shows them). Headers are never logged, so neither are API keys, and the value of a secret-looking query parameter
 * is redacted (redact-url.ts). Lighter than pino-http on the hot path: nothing is built for a line below the level.
 */
export function accessLog(logger: Logger, now: () => number): RequestHandler {
  return (req, res, next) => {
    const started = now();
    res.on('finish', () => {
      const failed = res.statusCode >= 500 && !(res.statusCode === 503 && stillArriving(req));
      const level = failed ? 'error' : res.statusCode >= 400 ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          reqId: res.getHeader('X-Request-Id'),
          method: req.method,
          url: redactUrl(req.originalUrl),
          route: req.route ? `${req.baseUrl}${String(req.route.path)}` : undefined,
          status: res.statusCode,
          ms: Math.round((now() - started) * 100) / 100,
        },
        'request',
      );
    });
    next();
  };
}
