import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ALERT_SCHEMA } from '../src/alerts/alert-schema.js';
import { AlertService } from '../src/alerts/alert-service.js';
import type { NewSavedSearch } from '../src/alerts/saved-searches.js';
import { SavedSearches } from '../src/alerts/saved-searches.js';
import { loadConfig, storeFile } from '../src/config.js';
import { tokenize } from '../src/core/normalize.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import { openStore } from '../src/storage/open-store.js';
import { openSqliteFile } from '../src/storage/sqlite-file.js';
import { readJsonl, sharedCorpus } from './corpus.js';

/**
 * Issue 18's alert benchmark: SAVED (default 10,000) saved searches made from Reuters headlines, then an ingest of
 * ARTICLES (default 1,000) other Reuters articles through the one write path into a temporary store; then the
 * alert matcher (src/alerts/, in this process, as the alert thread runs it) matches the whole ingest against every
 * saved search, records the matches and queues the webhook deliveries; finally every queued delivery is sent to a
 * local receiver. Prints one table. Queries: 35% two title words, 20% one word, 15% a two-word phrase, 10% a word
 * and an exclusion, 10% a word and a place filter, 5% three words with a typo, 5% a place and a date range only.
 */
const SAVED = Number(process.env.ALERTS_SAVED ?? 10_000);
const ARTICLES = Number(process.env.ALERTS_ARTICLES ?? 1_000);
/** One saved search in this many has a webhook. */
const WEBHOOK_EVERY = Number(process.env.ALERTS_WEBHOOK_EVERY ?? 10);
const SEED = Number(process.env.ALERTS_SEED ?? 18);
const PLACES = ['United States', 'Japan', 'Brazil', 'United Kingdom', 'West Germany', 'France', 'Canada', 'China', 'Argentina', 'Australia'];

interface Doc {
  id: string;
  title: string;
  body: string;
  publishedAt?: string;
}

/** mulberry32: a small seeded generator, so that runs are comparable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A saved query made from a headline (see the kinds above). */
function makeQuery(doc: Doc, rnd: () => number): Extract<NewSavedSearch, { search: unknown }>['search'] | undefined {
  const words = tokenize(doc.title).filter((w) => w.length >= 4 && !/\d/.test(w));
  if (words.length < 3) return undefined;
  const pick = () => words[Math.floor(rnd() * words.length)]!;
  const place = PLACES[Math.floor(rnd() * PLACES.length)]!;
  const r = rnd();
  if (r < 0.35) return { q: `${pick()} ${pick()}`, filters: {} };
  if (r < 0.55) return { q: pick(), filters: {} };
  if (r < 0.7) {
    const i = Math.floor(rnd() * (words.length - 1));
    return { q: `"${words[i]} ${words[i + 1]}"`, filters: {} };
  }
  if (r < 0.8) return { q: `${words[0]} -${words[1]}`, filters: {} };
  if (r < 0.9) return { q: pick(), filters: { places: [place] } };
  if (r < 0.95) {
    const w = words.reduce((a, b) => (b.length > a.length ? b : a));
    const typo = `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}`;
    return { q: `${typo} ${pick()} ${pick()}`, filters: {} };
  }
  return { q: '', filters: { places: [place], from: '1987-03-01', to: '1987-03-31' } };
}

async function receiver(): Promise<{ url: string; count: () => number; close: () => void }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, count: () => count, close: () => server.close() };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const file = sharedCorpus('reuters21578.jsonl');
  if (!file) process.exit(2);
  const docs = readJsonl<Doc>(file);
  const ingest = docs.slice(0, ARTICLES);
  const pool = docs.slice(ARTICLES);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-bench-alerts-'));
  const hook = await receiver();
  try {
    const config = loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' });
    const store = openStore(config, 'indexer');
    const saved = SavedSearches.open(storeFile(config), () => Date.now());
    const rnd = random(SEED);
    let t = performance.now();
    for (let made = 0; made < SAVED; ) {
      const search = makeQuery(pool[Math.floor(rnd() * pool.length)]!, rnd);
      if (!search) continue;
      const webhook = made % WEBHOOK_EVERY === 0 ? { webhook: { url: hook.url, secret: 'a-bench-secret-of-some-size' } } : {};
      saved.create({ name: `bench ${made}`, query: { q: search.q }, search, ...webhook });
      made++;
    }
    const saveMs = performance.now() - t;
    t = performance.now();
    const db = openSqliteFile(storeFile(config), { what: 'store', schema: ALERT_SCHEMA });
    const alerts = new AlertService(db, { clock: () => Date.now(), maxInFlight: 16, perHost: 16 });
    const loadMs = performance.now() - t;
    t = performance.now();
    const deps = { engine: store.engine, similarity: store.similarity, entities: store.entities, local: store.local };
    const summary = await ingestArticles(deps, ingest.map((value, i) => ({ location: `record ${i}`, value })));
    const ingestMs = performance.now() - t;
    const before = process.memoryUsage().heapUsed;
    t = performance.now();
    alerts.matchAll();
    const matchMs = performance.now() - t;
    const after = saved.depth();
    const matches = (db.prepare('SELECT count(*) FROM alert_matches').pluck().get() as number) ?? 0;
    const alerted = (db.prepare('SELECT count(DISTINCT search_id) FROM alert_matches').pluck().get() as number) ?? 0;
    t = performance.now();
    const queued = after.pending;
    while (saved.depth().pending > 0) {
      alerts.deliverer.tick();
      await alerts.deliverer.settle();
    }
    const deliverMs = performance.now() - t;
    const mib = (b: number) => (b / 2 ** 20).toFixed(0);
    const rows: [string, string][] = [
      ['saved searches', SAVED.toLocaleString('en')],
      ['articles ingested (indexed)', `${ARTICLES.toLocaleString('en')} (${summary.indexed})`],
      ['save the searches (s)', seconds(saveMs)],
      ['load and index the searches at start (s)', seconds(loadMs)],
      ['ingest through the write path (s, not alerts)', seconds(ingestMs)],
      ['match the ingest against every search, record, queue (s)', seconds(matchMs)],
      ['  articles matched per second', Math.round((ARTICLES * 1000) / matchMs).toLocaleString('en')],
      ['  matches recorded', matches.toLocaleString('en')],
      ['  saved searches alerted', alerted.toLocaleString('en')],
      ['  webhook deliveries queued', queued.toLocaleString('en')],
      ['send every queued delivery to a local receiver (s)', seconds(deliverMs)],
      ['  deliveries received', hook.count().toLocaleString('en')],
      ['heap growth while matching (MiB)', mib(process.memoryUsage().heapUsed - before)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`alerts: ${SAVED} saved searches × ${ARTICLES}-article Reuters ingest (seed ${SEED})\n`);
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    process.stdout.write(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, ${new Date().toISOString()}\n`,
    );
    await alerts.stop();
    db.close();
    saved.close();
    await store.close();
  } finally {
    hook.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
