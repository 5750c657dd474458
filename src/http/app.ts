import cors from 'cors';
import express from 'express';
import type { Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { AppError } from '../core/errors.js';
import { accessLog } from './access-log.js';
import { articleWriteRoutes } from './article-write-routes.js';
import { requireApiKey } from './api-key.js';
import type { AppDeps } from './app-deps.js';
import { docsRoutes } from './docs-routes.js';
import { errorHandler, routeNotFound } from './error-handler.js';
import { healthRoutes } from './health-routes.js';
import { DEFAULT_HTTP_OPTIONS } from './http-options.js';
import { createMetrics, instrumentEngine, timeRequests } from './metrics.js';
import { requestId, requestTimeout } from './request-context.js';
import { searchRoutes } from './search-routes.js';
import { similarRoutes } from './similar-routes.js';
import { entityRoutes } from './entity-routes.js';
import { webRoutes } from './web-routes.js';

/** Routes never rate-limited nor key-protected: probes and scrapers must always get through. */
const OPERATIONS = ['/health', '/ready', '/metrics', '/openapi.json'];

/** The HTTP API as an Express app; it never listens (src/main.ts does). */
export function createApp(given: AppDeps): Express {
  const options = { ...DEFAULT_HTTP_OPTIONS, ...given.http };
  const metrics = createMetrics({ engine: given.engine, entities: given.entities, indexerRuns: given.indexerRuns, logError: given.logError });
  const deps: AppDeps = { ...given, engine: instrumentEngine(given.engine, metrics, given.now) };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (options.trustProxy > 0) app.set('trust proxy', options.trustProxy);
  app.use(requestId);
  if (deps.logger) app.use(accessLog(deps.logger, deps.now));
  app.use(timeRequests(metrics, deps.now));
  app.use(helmet());
  const allowed = new Set(options.corsOrigins);
  app.use(
    cors({
      origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );
  if (options.rateLimitPerMinute > 0) {
    app.use(
      rateLimit({
        windowMs: 60_000,
        limit: options.rateLimitPerMinute,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        skip: (req) => OPERATIONS.includes(req.path),
        handler: (req, res, next) => {
          const reset = (req as typeof req & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
          const seconds = reset ? Math.ceil((reset.getTime() - Date.now()) / 1000) : 60;
          res.setHeader('Retry-After', String(Math.max(1, seconds)));
          next(new AppError('rate_limited', `more than ${options.rateLimitPerMinute} requests a minute from this client`));
        },
      }),
    );
  }
  app.use(requestTimeout(options.requestTimeoutMs));
  app.use(express.json({ limit: options.maxBodyBytes }));
  app.use(healthRoutes(deps, metrics));
  app.use(docsRoutes());
  app.use(webRoutes(deps.webRoot));
  app.use(articleWriteRoutes(deps, options.adminApiKey));
  if (options.searchApiKey) app.use('/api', requireApiKey(options.searchApiKey, 'reading this API'));
  app.use(searchRoutes(deps));
  app.use(similarRoutes(deps));
  if (deps.entities) app.use(entityRoutes({ entities: deps.entities }));
  app.use(routeNotFound);
  app.use(errorHandler(deps.logError, metrics));
  return app;
}
