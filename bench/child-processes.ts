import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** How a tracked child ended; `endedAt` is performance.now() (ms) when it exited. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly endedAt: number;
  /** Whether it was killed for running past its time limit. */
  readonly timedOut: boolean;
}

/** A running child: its process and its end (never rejects). */
export interface TrackedChild {
  readonly child: ChildProcess;
  readonly startedAt: number;
  readonly exited: Promise<ChildExit>;
}

/**
 * The child processes a bench starts (indexers, load generators), so that every one of them is killed however the
 * run ends: each is killed with SIGKILL past its own time limit, and all that still run by {@link killAll}.
 */
export class ChildProcesses {
  private readonly running = new Set<ChildProcess>();

  /** Starts `node <script> ...args` with `env`, collecting its output; killed after `timeoutMs`. */
  node(script: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; timeoutMs: number }): TrackedChild {
    const startedAt = performance.now();
    const child = spawn(process.execPath, [script, ...args], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.running.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const exited = new Promise<ChildExit>((resolve) => {
      const end = (code: number | null, signal: NodeJS.Signals | null): void => {
        clearTimeout(timer);
        this.running.delete(child);
        resolve({ code, signal, stdout, stderr, endedAt: performance.now(), timedOut });
      };
      child.on('close', end);
      child.on('error', (error) => {
        stderr += `${error.message}\n`;
        end(null, null);
      });
    });
    return { child, startedAt, exited };
  }

  /** Kills (SIGKILL) every child still running. */
  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL');
    this.running.clear();
  }
}
