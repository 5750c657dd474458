import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { deriveArticleId } from '../src/core/article.js';
import { startApi } from './api-process.js';
import { waitVisible } from './freshness-probe.js';

/**
 * Issue 16's feed path of the freshness measure: from an item appearing in a feed to it being found by search and
 * answered by /similar on every API worker, with the indexer in follow mode (`--every`, default 5s) polling the feed
 * over the loopback. The built API (dist/src/main.js, WORKERS=2) serves a temporary DATA_DIR; the indexer runs from
 * the sources (tsx) as a process of its own. Each round adds one item at a random moment of the poll interval, then
 * probes every worker (freshness-probe.ts: each worker must answer CONFIRM probes in a row). Target: p99 ≤ interval
 * + 1 s. Prints a table and PASS/FAIL (exit 1 on FAIL). Run: `node --import tsx bench/freshness-feeds.ts` after a
 * build (npm run build, or `npm run bench:freshness`'s own).
 */
const EVERY_S = Number(process.env.FEED_EVERY_S ?? 5);
const ROUNDS = Number(process.env.FEED_ROUNDS ?? 20);
const CONFIRM = Number(process.env.FRESHNESS_CONFIRM ?? 3);

/** A word no other article holds: `zq` and 12 random letters. */
const marker = (): string => `zq${Array.from({ length: 12 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;

interface Item {
  readonly slug: string;
  readonly title: string;
  readonly text: string;
}

function feedServer(items: Item[]): Promise<{ base: string; server: http.Server }> {
  let base = '';
  const server = http.createServer((_req, res) => {
    const xml = items
      .slice(-20)
      .map((i) => `<item><title>${i.title}</title><link>${base}/news/${i.slug}</link><description>${i.text}</description></item>`)
      .join('');
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Bench Wire</title>${xml}</channel></rss>`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ base, server });
    }),
  );
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

async function main(): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-feed-freshness-'));
  const items: Item[] = [{ slug: 'seed', title: 'Harbour board meets', text: 'The harbour board met on Monday about ferry fares.' }];
  const { base, server } = await feedServer(items);
  let indexer: ChildProcess | undefined;
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  try {
    api = await startApi(dataDir, { WORKERS: '2', SEARCH_ENGINE: 'sqlite' });
    const address = { host: '127.0.0.1', port: Number(new URL(api.url).port) };
    indexer = spawn(process.execPath, ['--import', 'tsx', 'indexer/main.ts', '--every', `${EVERY_S}s`, '--host-delay', '0', '--retries', '0', `${base}/feed.rss`], {
      env: { ...process.env, DATA_DIR: dataDir, SEARCH_ENGINE: 'sqlite' },
      stdio: 'ignore',
    });
    const lags: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((r) => setTimeout(r, Math.random() * EVERY_S * 1000)); // a random moment of the interval
      const word = marker();
      items.push({ slug: word, title: `Ferry timetable changes ${word}`, text: `The ferry timetable changes on Monday, the harbour board said. ${word}` });
      const added = performance.now();
      const id = deriveArticleId({ url: `${base}/news/${word}`, title: '', body: '' } as never);
      const seen = await waitVisible(address, { marker: word, size: 1, similarIds: [id] }, { timeoutMs: 60_000, confirm: CONFIRM, lanes: 2 });
      lags.push(seen.everywhereAt === undefined ? Infinity : seen.everywhereAt - added);
    }
    const sorted = [...lags].sort((a, b) => a - b);
    const p99 = quantile(sorted, 0.99);
    const target = (EVERY_S + 1) * 1000;
    console.log(`feed → searchable and in /similar on every worker: ${ROUNDS} items, --every ${EVERY_S}s, WORKERS=2\n`);
    console.log('| p50 ms | p90 ms | p99 ms | max ms | target (interval + 1 s) | verdict |');
    console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
    const f = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '∞');
    console.log(`| ${f(quantile(sorted, 0.5))} | ${f(quantile(sorted, 0.9))} | ${f(p99)} | ${f(sorted.at(-1)!)} | ${target} | ${p99 <= target ? 'PASS' : 'FAIL'} |`);
    return p99 <= target ? 0 : 1;
  } finally {
    indexer?.kill('SIGTERM');
    api?.stop();
    server.close();
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
