import express from 'express';
import type { Express } from 'express';
import type { AppDeps } from './app-deps.js';
import { errorHandler, routeNotFound } from './error-handler.js';
import { healthRoutes } from './health-routes.js';
import { searchRoutes } from './search-routes.js';
import { similarRoutes } from './similar-routes.js';

/** The HTTP API as an Express app; it never listens (src/main.ts does). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ limit: '10mb' }));
  app.use(healthRoutes(deps));
  app.use(searchRoutes(deps));
  app.use(similarRoutes(deps));
  app.use(routeNotFound);
  app.use(errorHandler(deps.logError));
  return app;
}
