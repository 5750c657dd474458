import { Counter, Gauge, Registry } from 'prom-client';
import type { PrimaryChannels, WorkerChannel, WorkerLink } from '../../src/cluster/service-metrics.js';
import { hostServiceMetrics, serviceMetricsOverIpc } from '../../src/cluster/service-metrics.js';
import type { ServiceMetrics } from '../../src/http/metrics.js';

type Listener = (message: unknown) => void;

/**
 * A primary and workers in this process, their messages passed on asynchronously and copied like IPC's. A `stuck`
 * worker never reads its messages (a worker busy in a long computation); a `deaf` primary never reads any.
 */
function inProcessCluster(options: { stuck?: number[]; deaf?: boolean; collectTimeoutMs?: number; timeoutMs?: number; now?: () => number } = {}) {
  const toPrimary: ((from: WorkerLink, message: unknown) => void)[] = [];
  const links: WorkerLink[] = [];
  const primary: PrimaryChannels = { workers: () => links, onMessage: (l) => toPrimary.push(l) };
  if (!options.deaf) hostServiceMetrics(primary, { collectTimeoutMs: options.collectTimeoutMs ?? 1_000, ...(options.now ? { now: options.now } : {}) });
  /** `collect` messages the workers received (one per worker per gathering). */
  const collects = { count: 0 };
  const worker = (id: number, registry: Registry): ServiceMetrics => {
    const listeners: Listener[] = [];
    const link: WorkerLink = {
      id,
      send: (m) => {
        if ((m as { kind?: string }).kind === 'collect') collects.count++;
        return options.stuck?.includes(id) || setImmediate(() => listeners.forEach((l) => l(structuredClone(m))));
      },
    };
    links.push(link);
    const channel: WorkerChannel = {
      send: (m) => setImmediate(() => toPrimary.forEach((l) => l(link, structuredClone(m)))),
      onMessage: (l) => listeners.push(l),
    };
    const metrics = serviceMetricsOverIpc(channel, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    metrics.attach(registry);
    return metrics;
  };
  return { worker, collects };
}

/** A worker's registry: `requests` answered and `articles` in the store it reads (a gauge every worker reports). */
function workerRegistry(requests: number, articles: number): Registry {
  const registry = new Registry();
  new Counter({ name: 'test_requests_total', help: 'requests', registers: [registry] }).inc(requests);
  new Gauge({ name: 'test_articles', help: 'articles', aggregator: 'max', registers: [registry] }).set(articles);
  return registry;
}

const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('service metrics over IPC', () => {
  it('when any worker is scraped, then it answers the sum of every worker counter and the gauges by their aggregator', async () => {
    const { worker } = inProcessCluster();
    const first = worker(1, workerRegistry(3, 65));
    const second = worker(2, workerRegistry(4, 64));
    for (const scraped of [first, second]) {
      const text = await scraped.scrape();
      expect(value(text, 'test_requests_total')).toBe(7);
      expect(value(text, 'test_articles')).toBe(65);
      expect(value(text, 'newsfind_metrics_processes{state="answered"}')).toBe(3); // the primary's process metrics too
      expect(value(text, 'newsfind_metrics_processes{state="missing"}')).toBe(0);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    }
  });

  it('when a worker does not answer, then the scrape answers after the collect timeout with the others, counting it missing', async () => {
    const { worker } = inProcessCluster({ stuck: [2], collectTimeoutMs: 300 });
    const first = worker(1, workerRegistry(3, 65));
    worker(2, workerRegistry(4, 65));
    const started = Date.now();
    const text = await first.scrape();
    expect(Date.now() - started).toBeLessThan(2_000); // a bound on a hang, not a timing
    expect(value(text, 'test_requests_total')).toBe(3);
    expect(value(text, 'newsfind_metrics_processes{state="missing"}')).toBe(1);
  });

  it('when the primary does not answer, then the scrape fails with metrics_unavailable instead of hanging', async () => {
    const { worker } = inProcessCluster({ deaf: true, timeoutMs: 200 });
    await expect(worker(1, workerRegistry(1, 1)).scrape()).rejects.toMatchObject({ code: 'metrics_unavailable' });
  });

  it('when scrapes come together or within a second of the last, then they share one gathering; a later one gathers again', async () => {
    let clock = 1_000_000;
    const { worker, collects } = inProcessCluster({ now: () => clock });
    const first = worker(1, workerRegistry(3, 65));
    const second = worker(2, workerRegistry(4, 64));
    const together = await Promise.all([first.scrape(), second.scrape(), first.scrape()]);
    expect(collects.count).toBe(2); // one gathering: a collect to each of the two workers
    expect(new Set(together).size).toBe(1);
    clock += 999;
    await second.scrape();
    expect(collects.count).toBe(2);
    clock += 1;
    expect(value(await second.scrape(), 'test_requests_total')).toBe(7);
    expect(collects.count).toBe(4);
  });
});
