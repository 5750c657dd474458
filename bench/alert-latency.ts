import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AttackApi } from './attack-api.js';
import { startAttackApi } from './attack-api.js';
import { seededRandom } from './attack-kit.js';
import type { SignedReceiver } from './alert-receiver.js';
import { startSignedReceiver } from './alert-receiver.js';
import { quantile, readJsonl, SHARED } from './corpus.js';
import { ms, printRows } from './freshness-report.js';
import type { ApiAddress } from './http-json.js';
import { requestJson } from './http-json.js';
import { prepareStore } from './prepare-store.js';

/**
 * Issue 18's "what it must show", timed: a matching article is delivered, signed, to a webhook within 2 s of its
 * commit, again after a receiver outage, and a non-matching one never. Indexes CORPUS Reuters articles (generated
 * ones without ../shared) into a temporary DATA_DIR, starts the built API there (WORKERS=2, an admin key, default
 * alert settings), a local receiver that checks `X-Newsfind-Signature`, and saves through the API one search on a
 * marker word with the receiver as webhook, beside DECOYS searches on words no article holds (same webhook). Then:
 * 1. RUNS times: POST one matching article (the marker in its body) and one non-matching; the latency is from the
 *    POST's 2xx answer (the commit happened before it: a lower bound) and from the POST's start (an upper bound)
 *    to the signed delivery's acknowledged arrival;
 * 2. an outage: the receiver answers 503 for OUTAGE_SECONDS while OUTAGE_POSTS matching articles are posted, then
 *    204 again; latency of those from their commit and from the receiver's return;
 * 3. AFTER matching articles posted after the outage, timed as in 1.
 * Counts deliveries of non-matching articles (or under a decoy) and bad signatures: both must be 0. Exit 1 when a
 * target is missed, 2 when it cannot run.
 */
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const CORPUS = num('ALERT_LATENCY_CORPUS', 300);
const RUNS = num('ALERT_LATENCY_RUNS', 30);
const DECOYS = num('ALERT_LATENCY_DECOYS', 50);
const OUTAGE_SECONDS = num('ALERT_LATENCY_OUTAGE_SECONDS', 10);
const OUTAGE_POSTS = num('ALERT_LATENCY_OUTAGE_POSTS', 5);
const AFTER = num('ALERT_LATENCY_AFTER', 10);
/** Longest wait for one delivery (s); beyond it the delivery counts as never (∞). */
const WAIT_SECONDS = num('ALERT_LATENCY_WAIT_SECONDS', 60);
const SEED = num('ALERT_LATENCY_SEED', 18);
const TARGET_MS = 2_000;
const ADMIN_KEY = 'alert-latency-admin-key-5c1e9a';
const SECRET = 'alert-latency-webhook-secret-7d20';

interface Doc {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

/** A posted article: when its POST started and answered 2xx (performance.now(), ms). */
interface Posted {
  readonly id: string;
  readonly sentAt: number;
  readonly answeredAt: number;
}

const sleep = (msecs: number) => new Promise((r) => setTimeout(r, msecs));
const note = (line: string): void => void process.stderr.write(`bench:alert-latency: ${line}\n`);

/** A word no article holds (`zq` and 12 random letters: typos never join two). */
const markerWord = (rnd: () => number): string => `zq${Array.from({ length: 12 }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('')}`;

/** Reuters articles from ../shared, or generated ones (with a message) when it is absent. */
function corpus(rnd: () => number): { docs: Doc[]; source: string } {
  const file = path.join(SHARED, 'corpus', 'reuters21578.jsonl');
  if (fs.existsSync(file)) return { docs: readJsonl<Doc>(file).filter((d) => d.body.length > 200), source: 'Reuters' };
  note(`${file} is absent (the shared corpora live in ../shared): generated articles instead`);
  const words = Array.from({ length: 2_000 }, (_, i) => `w${i.toString(36)}`);
  const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]).join(' ');
  return { docs: Array.from({ length: CORPUS + 1_000 }, (_, i) => ({ id: `gen-${i}`, title: text(8), body: text(200) })), source: 'generated' };
}

/** Posts one article (admin key); throws unless it answers 200 with the article indexed. */
async function post(api: ApiAddress, agent: http.Agent, article: Doc): Promise<Posted> {
  const sentAt = performance.now();
  const a = await requestJson(api, { method: 'POST', path: '/api/articles', agent, headers: { 'x-api-key': ADMIN_KEY }, body: article, timeoutMs: 30_000 });
  const answeredAt = performance.now();
  if (a.status !== 200 || (a.body as { indexed?: number } | undefined)?.indexed !== 1) throw new Error(`POST /api/articles ${article.id}: ${a.status ?? a.error}`);
  return { id: article.id, sentAt, answeredAt };
}

/** Saves a search through the API; its id. */
async function saveSearch(api: ApiAddress, agent: http.Agent, name: string, q: string, hookUrl: string): Promise<string> {
  const body = { name, query: { q }, webhook: { url: hookUrl, secret: SECRET } };
  const a = await requestJson(api, { method: 'POST', path: '/api/saved-searches', agent, headers: { 'x-api-key': ADMIN_KEY }, body, timeoutMs: 30_000 });
  const id = (a.body as { id?: string } | undefined)?.id;
  if (a.status !== 201 || !id) throw new Error(`POST /api/saved-searches: ${a.status ?? a.error} ${JSON.stringify(a.body)}`);
  return id;
}

/** The first acknowledged, signed arrival of `articleId`, waiting up to WAIT_SECONDS; undefined when none came. */
async function arrival(receiver: SignedReceiver, articleId: string, from: number): Promise<number | undefined> {
  const until = from + WAIT_SECONDS * 1_000;
  for (;;) {
    const hit = receiver.arrivals.find((a) => a.articleId === articleId && a.signed && a.status >= 200 && a.status < 300);
    if (hit) return hit.at;
    if (performance.now() > until) return undefined;
    await sleep(2);
  }
}

/** Latencies (ms) of `posted` from its answer and from its start; Infinity for a delivery that never came. */
interface Timed {
  readonly fromAnswer: number;
  readonly fromSent: number;
}

async function timed(receiver: SignedReceiver, p: Posted): Promise<Timed> {
  const at = await arrival(receiver, p.id, p.answeredAt);
  return at === undefined ? { fromAnswer: Infinity, fromSent: Infinity } : { fromAnswer: at - p.answeredAt, fromSent: at - p.sentAt };
}

interface Context {
  readonly api: ApiAddress;
  readonly agent: http.Agent;
  readonly receiver: SignedReceiver;
  readonly marker: string;
  readonly pool: Doc[];
  readonly rnd: () => number;
  readonly matching: Set<string>;
  readonly nonMatching: Set<string>;
}

/** The next article of the pool under a fresh id, with the marker in its body when it should match. */
function article(ctx: Context, label: string, matches: boolean): Doc {
  const doc = ctx.pool.shift();
  if (!doc) throw new Error('the pool of articles ran out');
  const id = `alert-latency-${label}`;
  (matches ? ctx.matching : ctx.nonMatching).add(id);
  return { id, title: doc.title, body: matches ? `${doc.body}\n\n${ctx.marker}` : doc.body };
}

/** `count` rounds of one matching and one non-matching POST, each round timed to the matching one's delivery. */
async function rounds(ctx: Context, label: string, count: number): Promise<Timed[]> {
  const out: Timed[] = [];
  for (let i = 0; i < count; i++) {
    const matching = article(ctx, `${label}-m${i}`, true);
    const other = article(ctx, `${label}-n${i}`, false);
    const first = i % 2 === 0;
    if (!first) await post(ctx.api, ctx.agent, other);
    const p = await post(ctx.api, ctx.agent, matching);
    if (first) await post(ctx.api, ctx.agent, other);
    out.push(await timed(ctx.receiver, p));
    await sleep(100 + Math.floor(ctx.rnd() * 400)); // not in step with the alert thread's poll
  }
  return out;
}

/** The receiver answers 503 for OUTAGE_SECONDS while matching articles are posted; their latencies. */
async function outage(ctx: Context): Promise<{ fromCommit: number[]; fromReturn: number[]; refused: number }> {
  const before = ctx.receiver.arrivals.length;
  ctx.receiver.status = 503;
  const start = performance.now();
  const posted: Posted[] = [];
  for (let i = 0; i < OUTAGE_POSTS; i++) {
    const due = start + (i * OUTAGE_SECONDS * 1_000) / (OUTAGE_POSTS + 1);
    await sleep(Math.max(0, due - performance.now()));
    posted.push(await post(ctx.api, ctx.agent, article(ctx, `outage-m${i}`, true)));
    await post(ctx.api, ctx.agent, article(ctx, `outage-n${i}`, false));
  }
  await sleep(Math.max(0, start + OUTAGE_SECONDS * 1_000 - performance.now()));
  ctx.receiver.status = 204;
  const back = performance.now();
  const fromCommit: number[] = [];
  const fromReturn: number[] = [];
  for (const p of posted) {
    const at = await arrival(ctx.receiver, p.id, back);
    fromCommit.push(at === undefined ? Infinity : at - p.answeredAt);
    fromReturn.push(at === undefined ? Infinity : at - back);
  }
  const refused = ctx.receiver.arrivals.slice(before).filter((a) => a.status === 503).length;
  return { fromCommit, fromReturn, refused };
}

const stats = (values: readonly number[]): string[] => [ms(quantile(values, 0.5)), ms(quantile(values, 0.95)), ms(Math.max(...values)), String(values.length)];

async function main(): Promise<number> {
  if (!fs.existsSync('dist/src/main.js')) {
    console.error('bench:alert-latency needs the built API (npm run build): nothing was run');
    return 2;
  }
  const rnd = seededRandom(SEED);
  const { docs, source } = corpus(rnd);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-alert-latency-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  let api: AttackApi | undefined;
  const receiver = await startSignedReceiver(SECRET);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    note(`indexing ${CORPUS} ${source} articles`);
    await prepareStore(dataDir, docs.slice(0, CORPUS));
    const env = { WORKERS: '2', ADMIN_API_KEY: ADMIN_KEY, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
    api = await startAttackApi({ dataDir, env, logFile: path.join(dir, 'api.log') });
    const address = { host: api.host, port: api.port };
    const ctx: Context = { api: address, agent, receiver, marker: markerWord(rnd), pool: docs.slice(CORPUS), rnd, matching: new Set(), nonMatching: new Set() };
    const searchId = await saveSearch(address, agent, 'latency', ctx.marker, receiver.url);
    for (let i = 0; i < DECOYS; i++) await saveSearch(address, agent, `decoy ${i}`, markerWord(rnd), receiver.url);
    const loads = [os.loadavg()];
    note('warm-up: the alert thread starts with the first saved search');
    const warm = await timed(receiver, await post(address, agent, article(ctx, 'warm-up', true)));
    note(`${RUNS} rounds`);
    const normal = await rounds(ctx, 'normal', RUNS);
    note(`outage: the receiver answers 503 for ${OUTAGE_SECONDS} s`);
    const out = await outage(ctx);
    note(`${AFTER} rounds after the outage`);
    const after = await rounds(ctx, 'after', AFTER);
    await sleep(3_000); // anything late or wrong still has time to arrive
    loads.push(os.loadavg());
    const wrong = receiver.arrivals.filter((a) => !ctx.matching.has(a.articleId) || a.searchId !== searchId).length;
    return print({ source, warm, normal, out, after, wrong, receiver, loads });
  } finally {
    agent.destroy();
    await receiver.close();
    await api?.stop(5_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Figures {
  source: string;
  warm: Timed;
  normal: Timed[];
  out: { fromCommit: number[]; fromReturn: number[]; refused: number };
  after: Timed[];
  wrong: number;
  receiver: SignedReceiver;
  loads: number[][];
}

function print(f: Figures): number {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(', ');
  console.log(`\nbench:alert-latency — issue 18; API WORKERS=2 on ${CORPUS} ${f.source} articles, ${DECOYS + 1} saved searches (webhooks), default ALERT_* settings, loopback`);
  console.log(`machine ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average (1, 5, 15 min) before: ${load(f.loads[0]!)}; after: ${load(f.loads[1]!)}; ${new Date().toISOString()}`);
  console.log('latency = a signed delivery acknowledged by the receiver, from the POST\'s 2xx answer (commit ≤ answer: a lower bound) and from the POST\'s start (an upper bound)\n');
  const rows = [
    ['normal, from the answer', ...stats(f.normal.map((t) => t.fromAnswer))],
    ['normal, from the POST\'s start', ...stats(f.normal.map((t) => t.fromSent))],
    [`outage (${OUTAGE_SECONDS} s of 503), from the answer`, ...stats(f.out.fromCommit)],
    ['outage, from the receiver\'s return', ...stats(f.out.fromReturn)],
    ['after the outage, from the answer', ...stats(f.after.map((t) => t.fromAnswer))],
    ['after the outage, from the POST\'s start', ...stats(f.after.map((t) => t.fromSent))],
    ['warm-up (first delivery after the first save)', ms(f.warm.fromAnswer), '', '', '1'],
  ];
  printRows(['case (ms)', 'p50', 'p95', 'max', 'n'], rows, [48, 7, 7, 7, 4]);
  console.log(`\nrequests received ${f.receiver.requests()}; refused with 503 during the outage ${f.out.refused}; malformed ${f.receiver.malformed()}`);
  const late = [...f.normal, ...f.after].filter((t) => !(t.fromSent <= TARGET_MS)).length;
  const verdicts: [string, string, boolean][] = [
    ['normal p95 from the POST\'s start ≤ 2,000 ms', ms(quantile(f.normal.map((t) => t.fromSent), 0.95)), quantile(f.normal.map((t) => t.fromSent), 0.95) <= TARGET_MS],
    ['after the outage, max from the POST\'s start ≤ 2,000 ms', ms(Math.max(...f.after.map((t) => t.fromSent))), Math.max(...f.after.map((t) => t.fromSent)) <= TARGET_MS],
    ['every outage delivery arrived', `${f.out.fromReturn.filter(Number.isFinite).length} of ${f.out.fromReturn.length}`, f.out.fromReturn.every(Number.isFinite)],
    ['deliveries of non-matching articles (or to a decoy) = 0', String(f.wrong), f.wrong === 0],
    ['bad signatures = 0', String(f.receiver.badSignatures()), f.receiver.badSignatures() === 0],
  ];
  console.log(`matching deliveries over 2,000 ms from the POST's start (normal and after): ${late}\n`);
  printRows(['target', 'measured', 'verdict'], verdicts.map(([t, m, ok]) => [t, m, ok ? 'PASS' : 'FAIL']), [58, 10, 7]);
  return verdicts.every(([, , ok]) => ok) ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    return 2;
  })
  .then((code) => process.exit(code));
