import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { follow } from '../indexer/follow.js';
import type { RunOptions } from '../indexer/run-index.js';

/**
 * Issue 16's memory check of follow mode: FOLLOW_POLLS polls (1,000) of FOLLOW_FEEDS feeds (20) served on the
 * loopback, in this process, on a temporary DATA_DIR (embedded engine). Each feed holds a window of 20 items; on
 * every poll one feed (in turn) gains an item and loses its oldest, so every poll writes, and the other feeds answer
 * 304 to their ETag. Prints the process's RSS and heap every tenth of the run: they must stay flat, not grow with
 * the polls. Run: `node --expose-gc --import tsx bench/follow-memory.ts`.
 */
const POLLS = Number(process.env.FOLLOW_POLLS ?? 1_000);
const FEEDS = Number(process.env.FOLLOW_FEEDS ?? 20);
const WINDOW = 20;

const itemXml = (base: string, feed: number, n: number) =>
  `<item><title>Feed ${feed} story ${n}</title><link>${base}/f${feed}/s${n}</link><pubDate>${new Date(Date.UTC(2026, 0, 1) + n * 60_000).toUTCString()}</pubDate>` +
  `<content:encoded><![CDATA[<p>Story ${n} of feed ${feed}: the harbour council met on ${n % 7 === 0 ? 'Monday' : 'Tuesday'} about ferry fares and the new breakwater.</p>]]></content:encoded></item>`;

function serve(newest: number[]): Promise<{ base: string; server: http.Server }> {
  let base = '';
  const server = http.createServer((req, res) => {
    const feed = Number(/^\/feed(\d+)\.rss$/.exec(req.url ?? '')?.[1] ?? NaN);
    if (Number.isNaN(feed) || feed >= newest.length) return void res.writeHead(404).end();
    const top = newest[feed]!;
    const items = Array.from({ length: WINDOW }, (_, i) => itemXml(base, feed, top - i)).join('');
    const body = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Feed ${feed}</title>${items}</channel></rss>`;
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ base, server });
    }),
  );
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-follow-bench-'));
  const newest = Array.from({ length: FEEDS }, () => WINDOW);
  const { base, server } = await serve(newest);
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, SEARCH_ENGINE: 'sqlite' });
  const stop = new AbortController();
  const options: RunOptions & { everyMs: number } = {
    batchSize: 100, json: true, map: new Map(), prune: false, dryRun: false, reset: false, reconcile: false,
    everyMs: 1, http: { hostDelayMs: 0, perHost: 4, userAgent: 'newsfind-bench/1 (follow-memory)' },
  };
  const rows: string[] = [];
  let polls = 0;
  const started = performance.now();
  const origWrite = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write; // the progress line of every poll
  try {
    await follow(config, Array.from({ length: FEEDS }, (_, i) => `${base}/feed${i}.rss`), options, {
      stop: stop.signal,
      onError: (error) => {
        origWrite(`poll failed: ${(error as Error).message}\n`);
        return true;
      },
      onReport: (report) => {
        polls++;
        newest[polls % FEEDS]! += 1; // one feed gains an item before the next poll
        if (polls % Math.max(1, Math.floor(POLLS / 10)) === 0 || polls === 1) {
          (globalThis as { gc?: () => void }).gc?.();
          const m = process.memoryUsage();
          rows.push(`| ${polls} | ${((performance.now() - started) / 1000).toFixed(0)} | ${mib(m.rss)} | ${mib(m.heapUsed)} | ${report.indexed} |`);
        }
        if (polls >= POLLS) stop.abort();
      },
    });
  } finally {
    process.stderr.write = origWrite;
    server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`follow mode: ${POLLS} polls of ${FEEDS} feeds (${WINDOW} items each, one feed changes per poll)\n`);
  console.log('| poll | s | RSS MiB | heap used MiB | indexed in that poll |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
}

await main();
