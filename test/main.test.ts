import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bench/api-process.js';
import { spawnEntry } from './helpers/entry-process.js';

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
