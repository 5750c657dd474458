import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What one closed-loop run measured: requests per second, latency quantiles (ms) and the requests that failed. */
export interface ClosedLoopResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

/** wrk's Lua script: cycles through the paths of the file given after `--`, and prints its summary as one JSON line. */
const SCRIPT = `
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nNEWSFIND {"requests":%d,"duration":%d,"p50":%d,"p99":%d,"failed":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

/** Whether Debian's `wrk` is on the PATH (the load generator; autocannon stands in when it is not). */
export function wrkPresent(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its usage: present; ENOENT: absent.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * Runs wrk (one thread, `connections` connections, closed loop) for `seconds` against `url`, each request the next of
 * `paths` in turn. wrk's C client spends a fraction of autocannon's CPU per request, so on a two-core machine more
 * of the cores is left to the service.
 */
export async function runWrk(url: string, paths: readonly string[], connections: number, seconds: number): Promise<ClosedLoopResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-wrk-'));
  try {
    const script = path.join(dir, 'paths.lua');
    const list = path.join(dir, 'paths.txt');
    fs.writeFileSync(script, SCRIPT);
    fs.writeFileSync(list, `${paths.join('\n')}\n`);
    const args = ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', script, url, '--', list];
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('wrk', args, { maxBuffer: 16 * 1024 * 1024 }, (error, out, err) => (error ? reject(new Error(`wrk: ${error.message}\n${err}`)) : resolve(out))),
    );
    const line = stdout.split('\n').find((l) => l.startsWith('NEWSFIND '));
    if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
    const s = JSON.parse(line.slice('NEWSFIND '.length)) as { requests: number; duration: number; p50: number; p99: number; failed: number };
    return { rps: s.requests / (s.duration / 1e6), p50: s.p50 / 1_000, p99: s.p99 / 1_000, failed: s.failed };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
