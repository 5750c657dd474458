import { Router } from 'express';
import type { AppDeps } from './app-deps.js';
import type { HttpMetrics } from './metrics.js';

/**
 * `GET /health` (the process answers), `GET /ready` (the engine and the similarity index answer; 503 otherwise, so
 * a load balancer stops sending traffic) and `GET /metrics` (Prometheus text format).
 */
export function healthRoutes(deps: AppDeps, metrics: HttpMetrics): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const stats = await deps.engine.stats();
    res.json({ status: 'ok', engine: stats.engine, articles: stats.articles });
  });
  router.get('/ready', async (_req, res) => {
    await deps.engine.health();
    deps.similarity.generation();
    res.json({ status: 'ready' });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
