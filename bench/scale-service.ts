import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './attack-kit.js';
import { quantile, readJsonl, sharedCorpus } from './corpus.js';
import { freePort } from './api-process.js';

/**
 * The whole service at scale (issue 13: "1M synthetic articles served by 2 workers with one copy of the indexes"):
 * ARTICLES (default 1,000,000) synthetic news articles are written as JSONL, indexed by the real indexer into a
 * fresh DATA_DIR, and served by the built API with WORKERS=2; the bench reports each process's memory (the primary
 * holds the indexes, the workers must not), the time to serve, and search and /similar latency through HTTP.
 *
 * An article is made from a real Reuters or BBC article (its seed): its title, and its sentences each kept with
 * probability 0.6, mixed with as many sentences of other random articles, so that articles cluster by story as
 * real news does and the vocabulary, names and lengths are those of real text. Seeded: the same run, the same set.
 * The indexer and API run are the ones built beside this script (dist/).
 */
const ARTICLES = Number(process.env.ARTICLES ?? 1_000_000);
const QUERIES = Number(process.env.SCALE_QUERIES ?? 300);
const KEEP = process.env.SCALE_KEEP === '1'; // keep the DATA_DIR (and the JSONL) for another look

interface Seed {
  readonly title: string;
  readonly sentences: readonly string[];
}

const sentencesOf = (body: string): string[] => body.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter((s) => s.length > 20);

function seeds(): Seed[] {
  const files = ['reuters21578.jsonl', 'bbc.jsonl'].map((f) => sharedCorpus(f));
  if (files.some((f) => f === undefined)) throw new Error('the shared corpora (../shared/corpus) are needed to make the synthetic articles');
  return files.flatMap((f) => readJsonl<{ title: string; body: string }>(f!))
    .map((a) => ({ title: a.title, sentences: sentencesOf(a.body) }))
    .filter((s) => s.sentences.length >= 2);
}

/** Writes ARTICLES synthetic articles to `file`; returns the titles, for queries. */
async function writeArticles(file: string): Promise<string[]> {
  const all = seeds();
  const rand = seededRandom(13);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out = fs.createWriteStream(file);
  const titles: string[] = [];
  const start = Date.UTC(2025, 0, 1);
  const sources = ['Reuters', 'BBC', 'Wire', 'Courier', 'Herald', 'Gazette'];
  for (let i = 0; i < ARTICLES; i++) {
    const seed = pick(all);
    const own = seed.sentences.filter(() => rand() < 0.6);
    const mixed = [...own];
    for (let k = 0; k < Math.max(1, own.length); k++) mixed.splice(Math.floor(rand() * (mixed.length + 1)), 0, pick(pick(all).sentences));
    const article = {
      id: `syn-${i}`,
      title: seed.title,
      body: mixed.join(' '),
      publishedAt: new Date(start + Math.floor(rand() * 700 * 86_400_000)).toISOString(),
      source: pick(sources),
    };
    if (i % Math.max(1, Math.floor(ARTICLES / QUERIES)) === 0) titles.push(seed.title);
    if (!out.write(`${JSON.stringify(article)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return titles;
}

/** Runs the built indexer on `file` into `dataDir`; its last line is its summary. */
function index(file: string, dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../indexer/main.js', import.meta.url)), file], {
      env: { ...process.env, DATA_DIR: dataDir, DEMO_DATA: 'off', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => {
      const last = output.trim().split(/[\r\n]+/).pop() ?? '';
      if (code === 0) resolve(last);
      else reject(new Error(`the indexer exited ${code}: ${output.slice(-2_000)}`));
    });
  });
}

/** VmRSS in MiB of a process and each of its children. */
function rss(pid: number): { primary: number; workers: number[] } {
  const of = (p: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  return { primary: of(pid), workers: children.map(of) };
}

async function timed(urls: readonly string[]): Promise<{ p50: number; p99: number; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  for (const url of urls) {
    const t = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (!res.ok) failed++;
    times.push(performance.now() - t);
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), failed };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-scale-'));
  const file = path.join(dir, 'synthetic.jsonl');
  const dataDir = path.join(dir, 'data');
  console.log(`bench:scale — ${ARTICLES.toLocaleString('en')} synthetic articles, the built indexer, then the API with WORKERS=2 (${dir})`);
  let t = performance.now();
  const titles = await writeArticles(file);
  console.log(`written: ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB of JSONL in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  t = performance.now();
  const summary = await index(file, dataDir);
  const indexS = (performance.now() - t) / 1000;
  console.log(`indexed in ${indexS.toFixed(0)} s: ${summary}`);
  const port = await freePort();
  t = performance.now();
  const api = spawn(process.execPath, [fileURLToPath(new URL('../src/main.js', import.meta.url))], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), WORKERS: '2', DEMO_DATA: 'off', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (api.exitCode !== null) throw new Error(`the API exited ${api.exitCode}`);
      const health = await fetch(`${url}/health`).then((r) => (r.ok ? r.json() : undefined), () => undefined) as { articles?: number } | undefined;
      if (health?.articles !== undefined && (await fetch(`${url}/api/search?q=market`).then((r) => r.ok, () => false))) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const readyS = (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 5_000)); // settled
    const atRest = rss(api.pid!);
    const words = titles.map((title) => title.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 3).slice(0, 2).join(' ')).filter(Boolean);
    const search = await timed(words.map((q) => `${url}/api/search?q=${encodeURIComponent(q)}`));
    const rand = seededRandom(29);
    const similar = await timed(Array.from({ length: QUERIES }, () => `${url}/api/articles/syn-${Math.floor(rand() * ARTICLES)}/similar`));
    const afterQueries = rss(api.pid!);
    const line = (name: string, value: string) => console.log(`${name.padEnd(52)} ${value}`);
    console.log('');
    line('machine', `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
    line('articles indexed', summary);
    line('indexing time (indexer, entities included)', `${indexS.toFixed(0)} s (${(ARTICLES / indexS).toFixed(0)} articles/s)`);
    line('start to serving (the primary builds the one copy)', `${readyS.toFixed(0)} s`);
    line('RSS at rest, primary (indexes) / workers, MiB', `${atRest.primary} / ${atRest.workers.join(', ')}`);
    line(`RSS after ${words.length} searches + ${QUERIES} similar, MiB`, `${afterQueries.primary} / ${afterQueries.workers.join(', ')}`);
    line(`search, ${words.length} two-word title queries, one at a time`, `p50 ${search.p50.toFixed(1)} ms, p99 ${search.p99.toFixed(1)} ms, ${search.failed} failed`);
    line(`/similar, ${QUERIES} random ids, one at a time`, `p50 ${similar.p50.toFixed(1)} ms, p99 ${similar.p99.toFixed(1)} ms, ${similar.failed} failed`);
    const oneCopy = Math.max(...afterQueries.workers) * 4 < afterQueries.primary;
    console.log(`\n${oneCopy ? 'PASS' : 'FAIL'}  one copy of the indexes: every worker under a quarter of the primary's RSS`);
  } finally {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
