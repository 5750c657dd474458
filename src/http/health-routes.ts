import { Router } from 'express';
import type { AppDeps } from './app-deps.js';

/** `GET /health`: 200 with the engine and article count when the engine answers, else 503 (problem+json). */
export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    await deps.engine.health();
    const stats = await deps.engine.stats();
    res.json({ status: 'ok', engine: stats.engine, articles: stats.articles });
  });
  return router;
}
