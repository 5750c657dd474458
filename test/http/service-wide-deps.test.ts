import { performance } from 'node:perf_hooks';
import { MemoryStore } from 'express-rate-limit';
import type { Store } from 'express-rate-limit';
import request from 'supertest';
import { AppError } from '../../src/core/errors.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/app-deps.js';
import { Similarity } from '../../src/similarity/similarity.js';

const SEARCH_KEY = 'a-search-key-of-some-length';
const PUBLIC_KEY = 'a-public-key-of-some-length';

function appWith(overrides: Partial<AppDeps> = {}) {
  const engine = SqliteEngine.open({ file: ':memory:' });
  const similarity = Similarity.open(':memory:', { serve: true });
  return createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, ...overrides });
}

/**
 * Two apps (two workers) whose limits count in the same counts, one per limit, as the cluster primary keeps them:
 * each app has a store of its own (as each worker has its ClusterMemoryStoreWorker) passing on to the shared one.
 */
function twoWorkers(http: AppDeps['http']) {
  const counts = new Map<string, MemoryStore>();
  const rateLimitStore = (limit: 'global' | 'public'): Store => {
    if (!counts.has(limit)) counts.set(limit, new MemoryStore());
    const shared = counts.get(limit)!;
    return {
      localKeys: false,
      prefix: `${limit}:`, // as the workers' stores have: the two limits' keys differ
      init: (options) => shared.init(options),
      increment: (key) => shared.increment(key),
      decrement: (key) => shared.decrement(key),
      resetKey: (key) => shared.resetKey(key),
    };
  };
  return [appWith({ rateLimitStore, http }), appWith({ rateLimitStore, http })] as const;
}

describe('HTTP dependencies shared by the workers of a service', () => {
  it('when two apps share the global limit\'s store, then a client gets the limit once across them', async () => {
    const [a, b] = twoWorkers({ rateLimitPerMinute: 3 });
    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await request(app).get('/api/search?q=x')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('when two apps share the public limit\'s store, then the public key gets its limit once across them', async () => {
    const [a, b] = twoWorkers({ searchApiKey: SEARCH_KEY, publicApiKey: PUBLIC_KEY, publicRateLimitPerMinute: 2 });
    const statuses = [];
    for (const app of [a, b, a]) statuses.push((await request(app).get('/api/search?q=x').set('X-Api-Key', PUBLIC_KEY)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await request(b).get('/api/search?q=x').set('X-Api-Key', SEARCH_KEY)).status).toBe(200); // counted apart
  });

  it('when service metrics are given, then /metrics answers them and hands them the app registry', async () => {
    let attached = false;
    const app = appWith({ serviceMetrics: { attach: () => (attached = true), scrape: async () => 'service_figures 1\n' } });
    const res = await request(app).get('/metrics');
    expect(attached).toBe(true);
    expect(res.status).toBe(200);
    expect(res.text).toBe('service_figures 1\n');
  });

  it('when the service metrics cannot be gathered in time, then /metrics is a 503 metrics_unavailable problem', async () => {
    const scrape = async (): Promise<string> => {
      throw new AppError('metrics_unavailable', 'the primary process did not gather the metrics within 3000 ms');
    };
    const res = await request(appWith({ serviceMetrics: { attach: () => undefined, scrape } })).get('/metrics');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'metrics_unavailable', status: 503 });
  });
});
