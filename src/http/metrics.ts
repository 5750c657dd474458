import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SearchEngine } from '../engines/search-engine.js';

/** The Prometheus metrics of one app (its own registry, so that apps and tests never share counters). */
export interface HttpMetrics {
  readonly registry: Registry;
  readonly requests: Histogram<'method' | 'route' | 'status'>;
  readonly errors: Counter<'code'>;
}

/** Request latency per route, errors per code, the article count, and the process's default metrics. */
export function createMetrics(engine: SearchEngine): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'newsfind_http_request_duration_seconds',
    help: 'HTTP request latency by route (the matched pattern, not the raw path) and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'newsfind_http_errors_total',
    help: 'Problems answered, by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  new Gauge({
    name: 'newsfind_articles',
    help: 'Articles in the search engine',
    registers: [registry],
    async collect() {
      this.set((await engine.stats()).articles);
    },
  });
  return { registry, requests, errors };
}

/** Times every request and records it under its route pattern once it is answered. */
export function timeRequests(metrics: HttpMetrics, now: () => number): RequestHandler {
  return (req, res, next) => {
    const started = now();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.requests.observe({ method: req.method, route, status: String(res.statusCode) }, (now() - started) / 1000);
    });
    next();
  };
}
