import { spawn } from 'node:child_process';

/** A TypeScript entry point run from the sources (with tsx), its stdout and stderr collected together. */
export interface EntryProcess {
  /** Its process id. */
  readonly pid: number;
  /** Everything it has printed so far. */
  output(): string;
  /** Its exit code, once it has exited. */
  readonly exited: Promise<number | null>;
  /** Resolves when the output holds `text`, or after `ms` (the caller's expectations then fail on what is there). */
  waitForOutput(text: string, ms: number): Promise<void>;
  /** Sends SIGTERM. */
  stop(): void;
  /** Sends `signal` (SIGKILL: a kill -9). */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts `entry` (a path such as `src/main.ts`) with `args`, and `env` on top of this process's environment;
 * `nodeArgs` go on node's command line after tsx's loader (a cluster's workers inherit them).
 */
export function spawnEntry(entry: string, args: readonly string[], env: Record<string, string>, nodeArgs: readonly string[] = []): EntryProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    pid: child.pid ?? 0,
    output: () => output,
    exited,
    async waitForOutput(text, ms) {
      const deadline = Date.now() + ms;
      while (!output.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    },
    stop: () => child.kill('SIGTERM'),
    kill: (signal) => child.kill(signal),
  };
}

/** The exit code of `entry`, or `'running'` when it has not exited within `ms` (a bound on a hang, not a timing). */
export function exitWithin(entry: EntryProcess, ms: number): Promise<number | null | 'running'> {
  return Promise.race([entry.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), ms).unref())]);
}
