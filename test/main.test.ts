import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bench/api-process.js';

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
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), WORKERS: '2', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
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
      expect(output).toContain('indexed the demo articles');
      const deadline = Date.now() + 20_000; // the second worker may still be loading its indexes
      while ((output.match(/"msg":"listening"/g) ?? []).length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(output.match(/"msg":"listening"/g)).toHaveLength(2);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
