import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { indexerEnv } from './indexer-cli.js';
import type { CliRun } from './indexer-cli.js';

/** A route's answer: status, headers and body, or a handler that writes the response itself. */
export type Route =
  | { status?: number; headers?: Record<string, string>; body?: string | Buffer }
  | ((req: http.IncomingMessage, res: http.ServerResponse, hits: number) => void);

/** One request the site received. */
export interface Hit {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * A web site on the loopback for the indexer's HTTP tests: routes by path (changed while it runs), a log of every
 * request with its headers, 404 for the rest. Nothing leaves 127.0.0.1.
 */
export class HttpSite {
  readonly routes = new Map<string, Route>();
  readonly hits: Hit[] = [];
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.answer(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The requests made for a path. */
  hitsOf(path: string): Hit[] {
    return this.hits.filter((h) => h.path === path);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    this.hits.push({ path, headers: req.headers });
    const route = this.routes.get(path);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') {
      route(req, res, this.hitsOf(path).length);
      return;
    }
    res.writeHead(route.status ?? 200, route.headers ?? {}).end(route.body ?? '');
  }
}

/** Runs the indexer CLI (tsx) without blocking this process's event loop (the site answers meanwhile). */
export function runIndexerAsync(args: readonly string[], dataDir: string): Promise<CliRun> {
  const child = startIndexerPiped(args, dataDir);
  return finished(child);
}

/** Starts the indexer CLI, its output collected (see {@link finished}). */
export function startIndexerPiped(args: readonly string[], dataDir: string): ChildProcess & { out: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'indexer/main.ts', ...args], {
    cwd: process.cwd(),
    env: indexerEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { out: { stdout: string; stderr: string } };
  child.out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (child.out.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (child.out.stderr += d.toString()));
  return child;
}

/** How a started indexer ended (killed after 120 s: a bound on a hang, not a timed assertion). */
export function finished(child: ChildProcess & { out: { stdout: string; stderr: string } }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout: child.out.stdout, stderr: child.out.stderr });
    });
  });
}

/** Waits until `check` holds, polling every 100 ms; throws after `boundMs` (a bound on a hang). */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, boundMs = 60_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
