import { Router } from 'express';
import type { AppDeps } from './app-deps.js';
import type { HttpMetrics } from './metrics.js';

/**
 * `GET /health` (the process answers), `GET /ready` (the engine and the similarity index answer; 503 otherwise, so
 * a load balancer stops sending traffic; with Meilisearch, also the outbox's depth: `outbox: {pending, dead,
 * oldestPendingSeconds}`, shown, never a reason to be unready; a replica's mirror: `mirror: {cursorMs, lagSeconds, documents}`) and `GET /metrics` (Prometheus text format: the whole service's figures
 * when `deps.serviceMetrics` gathers them, else this app's; 503 `metrics_unavailable` when they are not gathered in time).
 */
export function healthRoutes(deps: AppDeps, metrics: HttpMetrics): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const stats = await deps.engine.stats();
    res.json({ status: 'ok', engine: stats.engine, articles: stats.articles });
  });
  router.get('/ready', async (_req, res) => {
    await deps.engine.health();
    await deps.similarity.generation(); // the index host answers (the primary, with several workers)
    // Meilisearch: how far the engine lags the store; a lag never makes the API unready (alert on /metrics)
    const outbox = deps.local?.outbox?.depth();
    // a replica's mirror: how far behind Meilisearch it may be; shown, never a reason to be unready either
    const mirror = deps.mirror?.status(deps.clock());
    res.json({ status: 'ready', ...(outbox ? { outbox } : {}), ...(mirror ? { mirror } : {}) });
  });
  router.get('/metrics', async (_req, res) => {
    // Several processes: the whole service's figures, gathered by the primary; one: this app's own.
    const text = deps.serviceMetrics ? await deps.serviceMetrics.scrape() : await metrics.registry.metrics();
    res.type(metrics.registry.contentType).send(text);
  });
  return router;
}
