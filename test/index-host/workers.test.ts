import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/api-process.js';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/storage/open-store.js';
import { spawnEntry } from '../helpers/entry-process.js';
import type { EntryProcess } from '../helpers/entry-process.js';
import { makeArticle } from '../helpers/make-article.js';

/** GET over a fresh connection (no keep-alive), so that successive requests are spread over the workers. */
function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

const pidOf = (output: string, msg: string): number => {
  const line = output.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
  return (JSON.parse(line!) as { pid: number }).pid;
};

/**
 * The service with two workers (`WORKERS=2`) and the OS spreading connections over them
 * (NODE_CLUSTER_SCHED_POLICY=none: the primary hands out no connections, so a stopped primary stops only what
 * the workers ask of it). The primary holds the one copy of the indexes; the workers ask it over IPC.
 */
const ADMIN_KEY = 'workers-test-admin-key-5f3a9c';

/** POST JSON with the admin key over a fresh connection. */
function post(url: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('the service with two workers and one index host', () => {
  let dataDir: string;
  let port: number;
  let service: EntryProcess;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-workers-'));
    port = await freePort();
    service = spawnEntry('src/main.ts', [], {
      DATA_DIR: dataDir,
      PORT: String(port),
      WORKERS: '2',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '0',
      NODE_CLUSTER_SCHED_POLICY: 'none',
      ADMIN_API_KEY: ADMIN_KEY,
    });
    const deadline = Date.now() + 60_000;
    while ((service.output().match(/"msg":"listening"/g) ?? []).length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 70_000);
  afterAll(async () => {
    service.stop();
    await service.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when another process commits an article, then both workers find it by search and by /similar within a second', async () => {
    const store = openStore(loadConfig({ DATA_DIR: dataDir, DEMO_DATA: 'off' }), 'indexer');
    const article = makeArticle({ id: 'quillfeather-1', title: 'Quillfeather gulls return to Valmora harbour', body: 'Keepers counted quillfeather gulls on the harbour wall of Valmora.' });
    try {
      await store.writes.upsert([article]);
    } finally {
      await store.close();
    }
    const committed = Date.now();
    let streak = 0;
    while (streak < 10 && Date.now() - committed < 5_000) {
      const search = await get(`http://127.0.0.1:${port}/api/search?q=quillfeather`);
      const similar = await get(`http://127.0.0.1:${port}/api/articles/quillfeather-1/similar`);
      const found = search.status === 200 && (JSON.parse(search.body) as { totalHits: number }).totalHits === 1;
      streak = found && similar.status === 200 ? streak + 1 : 0;
    }
    expect(streak).toBe(10); // ten answers in a row, over fresh connections spread on both workers
    expect(Date.now() - committed).toBeLessThan(1_000 + 10 * 100); // visible everywhere within a second (plus the ten checks)
  });

  it('when a search is exported through a worker, then its rows are the JSON pages in order (the host\'s order crossed the channel)', async () => {
    const store = openStore(loadConfig({ DATA_DIR: dataDir, DEMO_DATA: 'off' }), 'indexer');
    try {
      await store.writes.upsert(Array.from({ length: 40 }, (_, i) => makeArticle({
        id: `tidewater-${i}`,
        title: `Tidewater ${i % 3 === 0 ? 'lock ' : ''}bulletin ${i}`,
        body: `The tidewater ${'lock '.repeat(i % 4)}keepers logged day ${i}.`,
        publishedAt: new Date(Date.UTC(2026, 5, 1) + i * 86_400_000).toISOString(),
      })));
    } finally {
      await store.close();
    }
    const query = 'q=tidewater%20lock&collapse=false&freshness=off';
    let pages: string[] = [];
    for (const until = Date.now() + 5_000; pages.length < 40 && Date.now() < until; ) {
      pages = (JSON.parse((await get(`http://127.0.0.1:${port}/api/search?${query}&perPage=100`)).body) as { hits: { id: string }[] }).hits.map((h) => h.id);
    }
    expect(pages).toHaveLength(40);
    for (let i = 0; i < 4; i++) { // fresh connections: both workers
      const exported = await get(`http://127.0.0.1:${port}/api/search?${query}&format=jsonl`);
      expect(exported.status).toBe(200);
      expect(exported.body.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(pages);
    }
  });

  it('when articles are POSTed, then as soon as each answer arrives both workers find it by search and by /similar (read your writes)', async () => {
    for (let k = 0; k < 20; k++) {
      // a word no other article holds, and many edits from the other posts' words (no typo match between them)
      const word = `zq${[...`${k * 7919 + 104729}`].map((d) => String.fromCharCode(97 + ((Number(d) * 7 + k) % 26))).join('')}`;
      const id = `ravenmoor-${k}`;
      const article = makeArticle({ id, title: `${word} ferry timetable changes`, body: `The ${word} ferry will sail twice a day from Monday, the harbour office said.` });
      expect((await post(`http://127.0.0.1:${port}/api/articles`, article)).status).toBe(200);
      for (let i = 0; i < 4; i++) {
        const search = await get(`http://127.0.0.1:${port}/api/search?q=%22${word}%22`);
        expect([id, i, (JSON.parse(search.body) as { totalHits: number }).totalHits]).toEqual([id, i, 1]);
        expect((await get(`http://127.0.0.1:${port}/api/articles/${id}/similar`)).status).toBe(200);
      }
    }
  }, 30_000);

  it('when an article of 1,000,000 characters is being written, then other requests to either worker are answered before it is', async () => {
    // connections opened first and kept: the OS spread them over both workers (a worker busy with a write accepts no
    // new connection, so fresh ones would all go to the other), so some share the worker the write goes to
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const viaKept = (route: string) =>
      new Promise<number>((resolve, reject) => {
        http.get(`http://127.0.0.1:${port}${route}`, { agent }, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0))).on('error', reject);
      });
    try {
      expect(await Promise.all(Array.from({ length: 8 }, () => viaKept('/health')))).toEqual(Array(8).fill(200));
      const body = 'Valmora harbour keepers counted the quillfeather gulls again. '.repeat(16_000).slice(0, 999_000);
      const answered: string[] = [];
      const write = post(`http://127.0.0.1:${port}/api/articles`, makeArticle({ id: 'valmora-count', title: 'Valmora gull count', body })).then((r) => {
        answered.push('write');
        return r.status;
      });
      await new Promise((r) => setTimeout(r, 100)); // the write has reached its worker
      const others = Array.from({ length: 8 }, (_, i) => viaKept(i % 2 === 0 ? '/health' : '/api/search?q=ferry').then((status) => answered.push(`other ${status}`)));
      await Promise.all(others);
      expect(await write).toBe(200);
      // the write's validation, entities and term vectors run on the worker's write thread, never on its event loop
      expect(answered).toEqual([...Array.from({ length: 8 }, () => 'other 200'), 'write']);
    } finally {
      agent.destroy();
    }
  }, 30_000);

  it('when the primary is stopped, then workers answer searches 503 with Retry-After within the deadline (they hold no index) and articles from the store', async () => {
    const primary = pidOf(service.output(), 'store checked');
    process.kill(primary, 'SIGSTOP');
    try {
      const started = Date.now();
      const search = await get(`http://127.0.0.1:${port}/api/search?q=harbour`);
      expect(search.status).toBe(503);
      expect(JSON.parse(search.body)).toMatchObject({ code: 'engine_unavailable' });
      expect(search.headers['retry-after']).toBe('1');
      expect(Date.now() - started).toBeLessThan(5_000); // never a hang
      expect((await get(`http://127.0.0.1:${port}/api/articles/quillfeather-1`)).status).toBe(200);
    } finally {
      process.kill(primary, 'SIGCONT');
    }
    expect((await get(`http://127.0.0.1:${port}/api/search?q=harbour`)).status).toBe(200);
  });
});
