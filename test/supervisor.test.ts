import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bench/api-process.js';
import type { EntryProcess } from './helpers/entry-process.js';
import { exitWithin, spawnEntry } from './helpers/entry-process.js';
import { runIndexer } from './helpers/indexer-cli.js';

/** The supervisor of `WORKERS` processes (src/supervisor.ts), driven through the service as `npm start` runs it. */
describe('the worker supervisor', () => {
  const dirs: string[] = [];
  const tempDir = (name: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `newsfind-supervisor-${name}-`));
    dirs.push(dir);
    return dir;
  };
  const start = async (dataDir: string, env: Record<string, string> = {}): Promise<EntryProcess> =>
    spawnEntry('src/main.ts', [], { DATA_DIR: dataDir, PORT: String(await freePort()), WORKERS: '2', DEMO_DATA: 'off', ...env });
  const lines = (service: EntryProcess, msg: string) => (service.output().match(new RegExp(`"msg":"${msg}`, 'g')) ?? []).length;

  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when every worker dies at start, then it pauses longer each time and, after 5 in a row, exits 1 saying so', async () => {
    const dataDir = tempDir('crash');
    expect(runIndexer(['data/demo/articles.jsonl'], dataDir).status).toBe(0);
    // Workers that cannot start, whatever the reason: a script preloaded into every process of the service ends each
    // worker as it starts (the primary, which holds the store and the indexes, is left alone).
    const preload = path.join(dataDir, 'worker-dies.cjs');
    fs.writeFileSync(preload, "if (require('node:cluster').isWorker) process.exit(1);\n");
    const service = await start(dataDir, { NODE_OPTIONS: `--require ${preload}` });
    try {
      expect(await exitWithin(service, 90_000)).toBe(1);
      expect(service.output()).toContain('workers keep dying at start (5 in a row');
      expect(lines(service, 'worker died at start; starting another after a pause')).toBe(4);
      const pauses = [...service.output().matchAll(/"pauseMs":(\d+)/g)].map((m) => Number(m[1]));
      expect(pauses).toEqual([500, 1000, 2000, 4000]);
    } finally {
      service.stop();
    }
  });

  it('when the port is taken, then the workers cannot listen and it exits 1 naming the port, starting no others', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const service = await start(tempDir('port'), { PORT: String(port) });
    try {
      expect(await exitWithin(service, 60_000)).toBe(1);
      expect(service.output()).toContain(`cannot listen on 127.0.0.1:${port}: the port is already in use`);
      expect(service.output()).toContain(`a worker cannot listen on 127.0.0.1:${port}`);
      expect(service.output()).not.toMatch(/worker died|"msg":"listening"/);
    } finally {
      service.stop();
      taken.close();
    }
  });

  it('when a worker ignores SIGTERM, then it is killed after the grace period and the primary still exits', async () => {
    const service = await start(tempDir('stuck'));
    let stuck: number | undefined;
    try {
      await service.waitForOutput('"msg":"listening"', 60_000);
      const listening = service.output().split('\n').filter((l) => l.includes('"msg":"listening"'));
      stuck = (JSON.parse(listening[0]!) as { pid: number }).pid;
      // A stopped process is the extreme of a worker busy in a long computation: it never runs its SIGTERM handler.
      process.kill(stuck, 'SIGSTOP');
      service.stop();
      expect(await exitWithin(service, 60_000)).toBe(1);
      expect(service.output()).toMatch(new RegExp(`"worker":${stuck},"graceMs":15000,"msg":"worker still running after the grace period; killing it"`));
      expect(() => process.kill(stuck!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    } finally {
      if (stuck !== undefined) {
        try {
          process.kill(stuck, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      service.stop();
    }
  });
});
