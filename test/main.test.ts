import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bench/api-process.js';
import { damagePage } from './helpers/damaged-store.js';
import { exitWithin, spawnEntry } from './helpers/entry-process.js';
import { runIndexer } from './helpers/indexer-cli.js';

/** Fetches `url`, retrying until it answers or `deadline` (ms since the epoch) has passed. */
async function waitFor(url: string, deadline: number): Promise<Response> {
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The service as `npm start` runs it (from the sources, with tsx): a fresh store, the demo data, two workers. */
describe('the service process', () => {
  it('when started on an empty store, then it indexes the demo set, answers on every worker and stops on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-main-'));
    const port = await freePort();
    const service = spawnEntry('src/main.ts', [], { DATA_DIR: dataDir, PORT: String(port), WORKERS: '2', LOG_LEVEL: 'info' });
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/health`, Date.now() + 30_000);
      expect(await health.json()).toEqual({ status: 'ok', engine: 'sqlite', articles: 65 });
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => fetch(`http://127.0.0.1:${port}/api/search?q=Halvorson%20electon&perPage=1`)),
      );
      for (const answer of answers) {
        const body = (await answer.json()) as { hits: { id: string }[] };
        expect(body.hits[0]?.id).toBe('demo-009');
      }
      expect(service.output()).toContain('indexed the demo articles');
      const deadline = Date.now() + 20_000; // the second worker may still be loading its indexes
      while ((service.output().match(/"msg":"listening"/g) ?? []).length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(service.output().match(/"msg":"listening"/g)).toHaveLength(2);
    } finally {
      service.stop();
    }
    expect(await service.exited).toBe(0);
  });
});

describe('the service process, when it cannot serve', () => {
  const dirs: string[] = [];
  const tempDir = (name: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `newsfind-main-${name}-`));
    dirs.push(dir);
    return dir;
  };
  let demoStore: string;

  beforeAll(() => {
    demoStore = tempDir('demo');
    const indexed = runIndexer(['data/demo/articles.jsonl'], demoStore);
    if (indexed.status !== 0) throw new Error(`indexing the demo set failed: ${indexed.stderr}`);
  });

  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['newsfind.db', 'articles'],
    ['newsfind.db', 'sim_docs'],
    ['newsfind.db', 'ent_mentions'],
  ])('when %s has garbage written mid-file (in %s), then it exits 1 before forking any worker, naming the file and what to do', async (name, table) => {
    const dataDir = tempDir('damaged');
    fs.cpSync(demoStore, dataDir, { recursive: true });
    damagePage(path.join(dataDir, name), table);
    const service = spawnEntry('src/main.ts', [], { DATA_DIR: dataDir, PORT: String(await freePort()), WORKERS: '2', DEMO_DATA: 'off' });
    try {
      expect(await exitWithin(service, 60_000)).toBe(1);
      expect(service.output()).toContain(`the store file ${path.join(dataDir, name)} is damaged`);
      expect(service.output()).toContain('restore the file from a backup');
      expect(service.output()).toMatch(/index your articles again \(npm run index -- <sources>\)/);
      expect(service.output()).not.toMatch(/worker died|"msg":"listening"/);
    } finally {
      service.stop();
    }
  });

  it('when the port is taken (WORKERS=1), then it exits 1 naming the port instead of logging "listening"', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const dataDir = tempDir('port');
    const service = spawnEntry('src/main.ts', [], { DATA_DIR: dataDir, PORT: String(port), WORKERS: '1', DEMO_DATA: 'off' });
    try {
      expect(await exitWithin(service, 60_000)).toBe(1);
      expect(service.output()).toContain(`cannot listen on 127.0.0.1:${port}: the port is already in use`);
      expect(service.output()).not.toContain('"msg":"listening"');
    } finally {
      service.stop();
      taken.close();
    }
  });
});
