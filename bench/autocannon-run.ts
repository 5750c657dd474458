import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';

/** Runs autocannon in its own process (bench/load-client.ts), so that the bench's own heap never stalls it. */
export async function runAutocannon(options: autocannon.Options): Promise<autocannon.Result> {
  const file = path.join(os.tmpdir(), `newsfind-load-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(options));
  try {
    const client = path.join(path.dirname(new URL(import.meta.url).pathname), 'load-client.js');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [client, file], { maxBuffer: 64 * 1024 * 1024 }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    return JSON.parse(stdout) as autocannon.Result;
  } finally {
    fs.rmSync(file, { force: true });
  }
}
