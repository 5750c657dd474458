import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/api-process.js';
import { DEFAULT_REUSE_MS } from '../../src/cluster/service-metrics.js';
import type { EntryProcess } from '../helpers/entry-process.js';
import { spawnEntry } from '../helpers/entry-process.js';

/** The answer to one GET on a connection of its own (no keep-alive), so that the cluster spreads them over the workers. */
function getOnNewConnection(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** The pid of the process that logged the request `requestId` (LOG_LEVEL=debug logs every request with its pid). */
function answeredBy(service: EntryProcess, requestId: string): number | undefined {
  const line = service.output().split('\n').find((l) => l.includes(`"reqId":"${requestId}"`));
  return line === undefined ? undefined : (JSON.parse(line) as { pid: number }).pid;
}

/** Requests timed in a /metrics answer: the sum of every `newsfind_http_request_duration_seconds_count` series. */
const requestsCounted = (metrics: string): number =>
  [...metrics.matchAll(/^newsfind_http_request_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);

/** Two workers, as `npm start` runs them: the rate limit and the /metrics figures are the service's, not a worker's. */
describe('the service with WORKERS=2', () => {
  const LIMIT = 10;
  const PUBLIC_LIMIT = 4;
  const SEARCH_KEY = 'a-search-key-of-some-length';
  const PUBLIC_KEY = 'a-public-key-of-some-length';
  let dataDir: string;
  let service: EntryProcess;
  let base: string;
  let sent = 0;
  /** A GET with the search key (or `key`), its request id `t-<n>`, n counting every request sent. */
  const get = (route: string, key = SEARCH_KEY) => getOnNewConnection(`${base}${route}`, { 'X-Request-Id': `t-${++sent}`, 'X-Api-Key': key });
  /** Whether the requests `ids` were answered by two processes (the access log names the pid of each). */
  const answeredByBoth = async (ids: number[]) => {
    await service.waitForOutput(`"reqId":"t-${Math.max(...ids)}"`, 5_000);
    return new Set(ids.map((id) => answeredBy(service, `t-${id}`))).size === 2;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-service-state-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawnEntry('src/main.ts', [], {
      DATA_DIR: dataDir,
      PORT: String(port),
      WORKERS: '2',
      DEMO_DATA: 'off',
      LOG_LEVEL: 'debug',
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(PUBLIC_LIMIT),
      SEARCH_API_KEY: SEARCH_KEY,
      PUBLIC_API_KEY: PUBLIC_KEY,
    });
    const deadline = Date.now() + 60_000;
    while ((service.output().match(/"msg":"listening"/g) ?? []).length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(service.output().match(/"msg":"listening"/g)).toHaveLength(2);
  });

  afterAll(async () => {
    service.stop();
    await service.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sends `n` GETs of a search on new connections; the ids of those answered `status` (each is expected to be). */
  const searchN = async (n: number, status: number, key?: string) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const answer = await get('/api/search?q=anything', key);
      expect({ request: sent, status: answer.status }).toEqual({ request: sent, status });
      if (status === 429) expect(JSON.parse(answer.body)).toMatchObject({ code: 'rate_limited' });
      ids.push(sent);
    }
    return ids;
  };

  it('when one client makes PUBLIC_RATE_LIMIT_PER_MINUTE + 1 requests with the public key, then the last gets a 429 whichever worker answers', async () => {
    expect(await answeredByBoth(await searchN(PUBLIC_LIMIT, 200, PUBLIC_KEY))).toBe(true);
    expect(await answeredByBoth(await searchN(2, 429, PUBLIC_KEY))).toBe(true);
  });

  it('when one client makes RATE_LIMIT_PER_MINUTE + 1 requests, then the last gets a 429 whichever worker answers', async () => {
    // The global limit has counted the public key's requests too (it applies to every request).
    expect(await answeredByBoth(await searchN(LIMIT - PUBLIC_LIMIT - 2, 200))).toBe(true);
    expect(await answeredByBoth(await searchN(4, 429))).toBe(true);
  });

  it('when requests are made between scrapes a second apart, then the requests counted by /metrics never go down and include every worker', async () => {
    let previous = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) await get('/api/search?q=anything'); // 429 by now: counted all the same
      // a gathered answer serves the scrapes of the next second (DEFAULT_REUSE_MS): wait it out
      await new Promise((resolve) => setTimeout(resolve, DEFAULT_REUSE_MS + 100));
      const scrape = await get('/metrics');
      expect(scrape.status).toBe(200);
      const counted = requestsCounted(scrape.body);
      expect(counted).toBeGreaterThanOrEqual(previous);
      // Every request this file sent before this scrape (one worker alone has seen about half of them).
      expect(counted).toBeGreaterThanOrEqual(sent - 1);
      previous = counted;
    }
    const scrape = await get('/metrics');
    expect(scrape.body).toMatch(/^newsfind_metrics_processes\{state="answered"\} 3$/m);
    expect(scrape.body).toMatch(/^newsfind_metrics_processes\{state="missing"\} 0$/m);
    expect(scrape.body).toMatch(/^newsfind_articles 0$/m); // the workers' gauges of one store: not summed
  });
});
