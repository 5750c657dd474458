import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../../bench/api-process.js';
import type { EntryProcess } from '../helpers/entry-process.js';
import { spawnEntry } from '../helpers/entry-process.js';

/** One GET on a connection of its own (no keep-alive), so that the cluster spreads them over the workers. */
function getOnNewConnection(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The search events the analytics file holds (0 while it has no table yet). */
function searchEvents(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM search_events').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

/**
 * What an HTTP worker keeps out of its memory (docs/BENCHMARKS.md, "Memory whatever WORKERS"), seen from the real
 * service, WORKERS=2, every module each process loads logged by a loader hook (test/helpers/module-log.mjs).
 */
describe('the service with WORKERS=2, what a worker loads', () => {
  let dataDir: string;
  let log: string;
  let service: EntryProcess;
  let base: string;

  /** The modules of the sources (src/…) each process loaded so far, by pid. */
  const loaded = (): Map<number, Set<string>> => {
    const byPid = new Map<number, Set<string>>();
    for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
      const m = /^(\d+) .*\/(src\/[^?]+)/.exec(line);
      if (!m) continue;
      const pid = Number(m[1]);
      if (!byPid.has(pid)) byPid.set(pid, new Set());
      byPid.get(pid)!.add(m[2]!);
    }
    return byPid;
  };
  /** The pids of the processes that loaded the HTTP app without being the primary. */
  const workers = (): number[] => [...loaded()].filter(([pid, mods]) => pid !== service.pid && mods.has('src/http/app.ts')).map(([pid]) => pid);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-worker-memory-'));
    log = path.join(dataDir, 'modules.log');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawnEntry('src/main.ts', [], { DATA_DIR: dataDir, PORT: String(port), WORKERS: '2', LOG_LEVEL: 'info', MODULE_LOG: log }, [
      '--import',
      './test/helpers/module-log.mjs',
    ]);
    const deadline = Date.now() + 90_000;
    while ((service.output().match(/"msg":"listening"/g) ?? []).length < 2 && Date.now() < deadline) await sleep(200);
    expect(service.output().match(/"msg":"listening"/g)).toHaveLength(2);
  }, 120_000);

  afterAll(async () => {
    service.stop();
    await service.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when searches are answered, then their events are written by the primary, not by a writer thread of each worker', async () => {
    for (let i = 0; i < 12; i++) expect((await getOnNewConnection(`${base}/api/search?q=election&perPage=3`)).status).toBe(200);
    const file = path.join(dataDir, 'analytics.db');
    const deadline = Date.now() + 20_000;
    while (searchEvents(file) < 12 && Date.now() < deadline) await sleep(200);
    expect(searchEvents(file)).toBe(12);
    expect(workers()).toHaveLength(2);
    // written, and by no worker's thread: the primary's (its thread boots tsx on its own, which the log does not see)
    for (const pid of workers()) expect(loaded().get(pid)).not.toContain('src/analytics/writer-thread.ts');
  }, 60_000);

  it('when /openapi.json has not been asked, then no worker has built the document; when it is, then it is served', async () => {
    for (const pid of workers()) expect(loaded().get(pid)).not.toContain('src/http/openapi.ts');
    const answers = await Promise.all([1, 2, 3, 4].map(() => getOnNewConnection(`${base}/openapi.json`)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.body) as { openapi: string }).openapi).toBe('3.1.0');
    }
    expect(workers().some((pid) => loaded().get(pid)?.has('src/http/openapi.ts'))).toBe(true);
  }, 60_000);
});
