import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Article } from '../../src/core/article.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';

/** What a finished indexer run printed and how it exited. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of an indexer run into `dataDir` on the embedded engine. */
export const indexerEnv = (dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  DATA_DIR: dataDir,
  SEARCH_ENGINE: 'sqlite',
  ...extra,
});

const INDEXER = ['--import', 'tsx', 'indexer/main.ts'];

/** Runs the indexer CLI (TypeScript through tsx) from the repository root and waits for it. */
export function runIndexer(args: readonly string[], dataDir: string, extraEnv: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [...INDEXER, ...args], {
    cwd: process.cwd(),
    env: indexerEnv(dataDir, extraEnv),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the indexer CLI without waiting (output ignored). */
export function startIndexer(args: readonly string[], dataDir: string): ChildProcess {
  return spawn(process.execPath, [...INDEXER, ...args], { cwd: process.cwd(), env: indexerEnv(dataDir), stdio: 'ignore' });
}

/** Opens the store a run wrote and reads some articles from it. */
export async function storedArticles(dataDir: string, ids: readonly string[]): Promise<Record<string, Article | undefined>> {
  const engine = SqliteEngine.open({ file: path.join(dataDir, 'newsfind.db') });
  try {
    const entries = await Promise.all(ids.map(async (id) => [id, await engine.get(id)] as const));
    return Object.fromEntries(entries);
  } finally {
    await engine.close();
  }
}

/** The number of articles in a run's store. */
export async function storedCount(dataDir: string): Promise<number> {
  const engine = SqliteEngine.open({ file: path.join(dataDir, 'newsfind.db') });
  try {
    return (await engine.stats()).articles;
  } finally {
    await engine.close();
  }
}

/** The fixtures written for the indexer tests. */
export const FIXTURES = path.resolve(process.cwd(), 'test', 'fixtures', 'indexer');
