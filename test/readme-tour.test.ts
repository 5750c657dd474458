import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The README's first steps and its 5-minute tour, followed as a newcomer would on a clean state: `npm start` (which
 * builds dist/ when the sources changed) serves the demo set from an empty DATA_DIR; `npm run index -- FILE` with the
 * same DATA_DIR adds an article of one's own; the running service finds it, relates it, and serves the widget that
 * embeds it. The commands are the README's own, run through npm.
 */

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
}

/** Polls `check` every 200 ms until it returns a value, or gives up after `ms` (a bound on a hang, not a timing). */
async function eventually<T>(check: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const OWN_ARTICLE = {
  id: 'tour-001',
  title: 'Glassblowers of Quellmoor revive a lost cobalt recipe',
  body: 'In the workshops of Quellmoor, glassblowers have revived a cobalt glaze recipe lost for two centuries. '.repeat(5),
  url: 'https://news.example/quellmoor-glass',
  publishedAt: '2026-05-02T08:00:00Z',
  category: 'culture',
};

describe('the README tour, from a clean state', () => {
  let dataDir: string;
  let service: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-tour-'));
  });

  afterAll(async () => {
    if (service?.pid !== undefined && service.exitCode === null) {
      const exited = new Promise((r) => service!.on('exit', r));
      process.kill(-service.pid, 'SIGTERM'); // npm, the launcher, the service and its workers
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a newcomer runs npm start, then indexes a file of their own into the same DATA_DIR, then the service finds it', async () => {
    const port = await freePort();
    const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', WORKERS: '2' };
    const base = `http://127.0.0.1:${port}`;

    // Step 1: npm start, on an empty DATA_DIR: the demo set is indexed and served.
    service = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    service.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    service.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const healthy = await eventually(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 240_000);
    expect({ healthy, output: healthy ? '' : output }).toEqual({ healthy: true, output: '' });
    const demo = await getJson(`${base}/api/search?q=Halvorson%20electon`);
    expect(demo.status).toBe(200);
    expect((demo.body as { totalHits: number }).totalHits).toBeGreaterThan(0);

    // Step 2: npm run index -- my-articles.jsonl, with the same DATA_DIR, while the service runs.
    const file = path.join(dataDir, '..', `${path.basename(dataDir)}-mine.jsonl`);
    fs.writeFileSync(file, `${JSON.stringify(OWN_ARTICLE)}\n`);
    try {
      const run = spawnSync('npm', ['run', '--silent', 'index', '--', file], { env, encoding: 'utf8', timeout: 240_000 });
      expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toMatch(/indexed/);
    } finally {
      fs.rmSync(file, { force: true });
    }

    // Step 3: the running service finds it (another process's commit: within a second or so), and relates it.
    const found = await eventually(async () => {
      const { body } = await getJson(`${base}/api/search?q=Quellmoor%20glassblowers`);
      const hits = (body as { hits: { id: string }[] }).hits;
      return hits.some((h) => h.id === OWN_ARTICLE.id) ? hits : undefined;
    }, 20_000);
    expect(found?.[0]?.id).toBe(OWN_ARTICLE.id);
    const similar = await getJson(`${base}/api/articles/${OWN_ARTICLE.id}/similar`);
    expect(similar.status).toBe(200);
    const article = await getJson(`${base}/api/articles/${OWN_ARTICLE.id}`);
    expect(article.body).toMatchObject({ id: OWN_ARTICLE.id, url: OWN_ARTICLE.url });

    // Step 4: the widget a publisher embeds is served.
    const widget = await fetch(`${base}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
  }, 600_000);
});
