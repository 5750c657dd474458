import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resident memory, in MB (Linux /proc), of the largest of a process and its children, and of all together. */
function rssMb(pid: number): { largest: number; total: number } {
  const pids = [pid, ...fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)];
  const kbs = pids.map((p) => {
    const line = fs.readFileSync(`/proc/${p}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Number(line?.replace(/\D+/g, '') ?? 0);
  });
  return { largest: Math.round(Math.max(...kbs) / 1024), total: Math.round(kbs.reduce((a, b) => a + b, 0) / 1024) };
}

/** How long {@link startApi} waits for the API's first answer, in ms. */
const START_TIMEOUT_MS = 120_000;

/** Starts the built API (dist/src/main.js) on `dataDir` in a child process and waits until it answers. */
export async function startApi(dataDir: string, env: Record<string, string> = {}): Promise<{ url: string; stop: () => void; rssMb: () => { largest: number; total: number } }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve('dist/src/main.js')], {
    // One load generator is one client: the per-client rate limit would answer most requests with 429.
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), DEMO_DATA: 'off', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  // up to two minutes: on two cores shared with other work, the primary's index build alone can take half of that
  for (const until = Date.now() + START_TIMEOUT_MS; Date.now() < until; ) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, stop: () => child.kill('SIGTERM'), rssMb: () => rssMb(child.pid!) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100)); // after an error answer too, which used to be retried at once
  }
  child.kill('SIGKILL');
  throw new Error('the API did not start');
}
