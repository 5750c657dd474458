import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * One structured line per answered request, with its request id, route, status and duration: failures (5xx) at
 * error, refusals (4xx) at info, successes at debug (LOG_LEVEL=debug shows them). Headers are never logged, so
 * neither are API keys. Lighter than pino-http on the hot path: nothing is built for a line below the log level.
 */
export function accessLog(logger: Logger, now: () => number): RequestHandler {
  return (req, res, next) => {
    const started = now();
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          reqId: res.getHeader('X-Request-Id'),
          method: req.method,
          url: req.originalUrl,
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
