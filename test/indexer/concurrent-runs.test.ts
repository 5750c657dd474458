import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CliRun } from '../helpers/indexer-cli.js';
import { indexerEnv, runIndexer } from '../helpers/indexer-cli.js';

/**
 * Another process writing to the same DATA_DIR (a second indexer, the API): the test holds the store file's write
 * lock, as another indexer does while it writes a batch, and runs the indexer meanwhile. (Articles, term vectors
 * and entities share that one file; the legacy similarity.db and entities.db are merged into it.)
 */
const stories = (prefix: string, n: number): string =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ id: `${prefix}${i}`, title: `Harbour story ${prefix}${i}`, body: `The ferry ${prefix}${i} left.` }))
    .join('\n');

/** Runs the indexer while `file`'s write lock is held, releasing it after `holdMs` or when the indexer exits. */
async function runWhileLocked(file: string, holdMs: number, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const lock = new Database(file);
  lock.exec('BEGIN IMMEDIATE');
  const child = spawn(process.execPath, ['--import', 'tsx', 'indexer/main.ts', ...args], {
    env: indexerEnv(path.dirname(file), env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, holdMs)))]);
  clearTimeout(timer);
  lock.exec('COMMIT');
  lock.close();
  return { status: await exited, stdout, stderr };
}

describe('indexer runs beside another writer', () => {
  let tmp: string;
  let dataDir: string;
  let batch = 0;
  const source = (n: number) => {
    const file = path.join(tmp, `batch-${++batch}.jsonl`);
    fs.writeFileSync(file, stories(`b${batch}-`, n));
    return file;
  };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-concurrent-'));
    dataDir = path.join(tmp, 'data');
    expect(runIndexer([source(3)], dataDir).status).toBe(0); // the stores exist before anyone holds them
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each(['newsfind.db'])(
    'when another process is writing to %s, then the indexer waits for it and indexes everything',
    async (name) => {
      const run = await runWhileLocked(path.join(dataDir, name), 5_000, ['--json', source(20)]);
      expect(run.stderr).not.toMatch(/indexing (failed|stopped)/);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ read: 20, indexed: 20, rejected: 0 });
    },
  );

  it.each(['newsfind.db'])(
    'when %s stays locked longer than INDEXER_BUSY_TIMEOUT_MS, then the indexer exits 3 and --json says so on stdout',
    async (name) => {
      const run = await runWhileLocked(path.join(dataDir, name), 60_000, ['--json', source(5)], { INDEXER_BUSY_TIMEOUT_MS: '300' });
      expect(run.status).toBe(3);
      const answer = JSON.parse(run.stdout) as { error: string; message: string; exitStatus: number };
      expect(answer).toEqual({ error: 'store_busy', exitStatus: 3, message: expect.stringContaining(`${path.join(dataDir, name)} is busy`) });
      expect(answer.message).toContain('locked for more than 0.3 s');
      expect(run.stderr).toContain('indexing stopped:');
      expect(run.stderr).toContain('run the indexer again once the other process is done');
    },
  );
});
