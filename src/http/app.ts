import cors from 'cors';
import express from 'express';
import type { Express } from 'express';
import type { Store } from 'express-rate-limit';
import helmet from 'helmet';
import { registerAlertMetrics } from '../alerts/alert-metrics.js';
import { accessLog } from './access-log.js';
import { analyticsRoutes } from './analytics-routes.js';
import { articleWriteRoutes } from './article-write-routes.js';
import type { AppDeps } from './app-deps.js';
import { docsRoutes } from './docs-routes.js';
import { errorHandler, problemResponder, routeNotFound } from './error-handler.js';
import { healthRoutes } from './health-routes.js';
import { DEFAULT_HTTP_OPTIONS } from './http-options.js';
import { createMetrics, instrumentEngine, timeRequests } from './metrics.js';
import { clientRateLimit } from './rate-limit.js';
import { readAccess } from './read-access.js';
import { requestId, requestTimeout, varyOnOrigin } from './request-context.js';
import { searchRoutes } from './search-routes.js';
import { isSavedSearchWrite, savedSearchAdminRoutes, savedSearchFeedRoutes } from './saved-search-routes.js';
import { isQueuedWrite } from './queued-writes.js';
import { SAVED_SEARCH_ANSWER_GRACE_MS } from '../alerts/saved-searches.js';
import { similarRoutes } from './similar-routes.js';
import { entityRoutes } from './entity-routes.js';
import { suggestRoutes } from './suggest-routes.js';
import { storyRoutes } from './story-routes.js';
import { webRoutes } from './web-routes.js';

/** Routes never rate-limited nor key-protected: probes and scrapers must always get through. */
const OPERATIONS = ['/health', '/ready', '/metrics', '/openapi.json'];

/** The HTTP API as an Express app; it never listens (src/main.ts does). */
export function createApp(given: AppDeps): Express {
  const options = { ...DEFAULT_HTTP_OPTIONS, ...given.http };
  const metrics = createMetrics({
    engine: given.engine,
    entities: given.entities,
    indexerRuns: given.indexerRuns,
    outbox: given.local?.outbox,
    mirror: given.mirror && { status: () => given.mirror!.status(given.clock()) },
    logError: given.logError,
  });
  const deps: AppDeps = { ...given, engine: instrumentEngine(given.engine, metrics, given.now) };
  if (given.savedSearches) registerAlertMetrics(metrics.registry, given.savedSearches, given.logError);
  given.serviceMetrics?.attach(metrics.registry);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (options.trustProxy > 0) app.set('trust proxy', options.trustProxy);
  app.use(requestId);
  if (deps.logger) app.use(accessLog(deps.logger, deps.now));
  app.use(timeRequests(metrics, deps.now));
  app.use(helmet());
  const allowed = new Set(options.corsOrigins);
  // cors adds `Vary: Origin` only to the answers it allows; every answer depends on Origin when origins are listed,
  // or a browser reuses the one it cached without CORS headers for the widget on a listed origin.
  if (allowed.size > 0) app.use(varyOnOrigin);
  app.use(
    cors({
      origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );
  if (options.rateLimitPerMinute > 0) {
    app.use(
      clientRateLimit({
        perMinute: options.rateLimitPerMinute,
        who: 'from this client',
        skip: (req) => OPERATIONS.includes(req.path),
        store: deps.rateLimitStore?.('global'),
      }),
    );
  }
  const respond = problemResponder(deps.logError, metrics);
  const limit = (req: express.Request) => (isQueuedWrite(req) ? options.writeTimeoutMs : options.requestTimeoutMs);
  app.use(requestTimeout(limit, respond, Date.now, (req) => (isSavedSearchWrite(req) ? SAVED_SEARCH_ANSWER_GRACE_MS : 0)));
  app.use(healthRoutes(deps, metrics));
  app.use(docsRoutes());
  app.use(webRoutes(deps.webRoot, options.publicApiKey));
  app.use(articleWriteRoutes(deps, { adminKey: options.adminApiKey, maxBodyBytes: options.maxBodyBytes }));
  if (deps.analytics) {
    // the beacon's own count: the cluster store keeps one per name it is given (src/cluster/service-state.ts)
    const limitStore = (deps.rateLimitStore as ((limit: string) => Store) | undefined)?.('events');
    app.use(analyticsRoutes(deps.analytics, { adminKey: options.adminApiKey, eventsPerMinute: deps.eventsPerMinute ?? 120, limitStore, clock: deps.clock, webRoot: deps.webRoot }));
  }
  if (deps.savedSearches) {
    app.use(savedSearchAdminRoutes(deps.savedSearches, { adminKey: options.adminApiKey, entities: deps.entities, writer: deps.savedSearchWriter }));
  }
  app.use('/api', readAccess({ ...options, publicLimitStore: options.publicRateLimitPerMinute > 0 ? deps.rateLimitStore?.('public') : undefined }));
  app.use(searchRoutes(deps));
  app.use(similarRoutes(deps, { maxBodyBytes: options.maxBodyBytes, keyRequired: Boolean(options.searchApiKey) }));
  if (deps.stories) app.use(storyRoutes({ stories: deps.stories }, { keyRequired: Boolean(options.searchApiKey) }));
  if (deps.entities) app.use(entityRoutes({ entities: deps.entities }));
  if (deps.suggestions) app.use(suggestRoutes({ suggestions: deps.suggestions }));
  if (deps.savedSearches) app.use(savedSearchFeedRoutes(deps.savedSearches));
  app.use(routeNotFound);
  app.use(errorHandler(respond));
  return app;
}
