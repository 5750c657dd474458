import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AttackApi, RssSample, StopReport } from './attack-api.js';
import { startAttackApi } from './attack-api.js';
import { buildPlan } from './attack-cases.js';
import type { AttackPlan } from './attack-cases.js';
import type { AttackCase, Outcome, ProbeResult, Target } from './attack-http.js';
import { probeWhile, runPool, send } from './attack-http.js';
import type { CaseContext, Keys } from './attack-kit.js';
import { formatRss, printLeads, printTable, printVerdicts, summarise, verdicts } from './attack-report.js';
import { readJsonl, sharedCorpus } from './corpus.js';
import { prepareStore } from './prepare-store.js';

/**
 * Issue 14's hostile-input benchmark. Indexes the Reuters shared file into a temporary DATA_DIR, starts the built
 * API there (WORKERS=2, both keys, one CORS origin, no rate limit, loopback only), then sends, with a fixed seed:
 * the light hostile cases (every route, shuffled, ATTACK_CONCURRENCY at a time, each with a client timeout); four
 * of the heaviest requests kept running in parallel for ATTACK_HEAVY_SECONDS while /health is probed every 100 ms;
 * once /health answers again, the heavy cases. Prints a table per case class, the /health share, the workers' RSS
 * before and after, and PASS/FAIL per target of the issue (exit 1 on FAIL, 2 when it cannot run, 3 past the
 * overall deadline). The API is stopped (SIGKILL after a grace period) and the directory removed however it ends.
 */
const SEED = Number(process.env.ATTACK_SEED ?? 14);
const CONCURRENCY = Number(process.env.ATTACK_CONCURRENCY ?? 8);
/** Client timeout per request (ms); a request unanswered by then counts as a timeout. */
const TIMEOUT_MS = Number(process.env.ATTACK_TIMEOUT_MS ?? 15_000);
/** Distinct filter shapes sent (the statement-cache probe); fewer makes a quicker run. */
const FILTER_COMBOS = Number(process.env.ATTACK_FILTER_COMBOS ?? 3_025);
/** No case is started later than this after the first (s); the rest count as unsent. */
const SEND_SECONDS = Number(process.env.ATTACK_SECONDS ?? 300);
/** The whole run, indexing included, is cut (API killed, files removed, exit 3) after this (s). */
const DEADLINE_SECONDS = Number(process.env.ATTACK_DEADLINE_SECONDS ?? 900);
/** How long the heavy four are kept running while /health is probed (s). */
const HEAVY_SECONDS = Number(process.env.ATTACK_HEAVY_SECONDS ?? 15);
/** Shortest interval between two starts of one of the heavy four (ms). */
const HEAVY_PACE_MS = 250;
/** ATTACK_HEAVY=0 leaves out the heavy four and the heavy cases (a quick run; the /health target then fails). */
const WITH_HEAVY = process.env.ATTACK_HEAVY !== '0';
/** Longest wait for /health to answer again after the heavy four (s). */
const RECOVERY_SECONDS = 90;
/** SIGTERM grace before SIGKILL when stopping the API (ms). */
const STOP_GRACE_MS = 5_000;
const KEYS: Keys = { search: 'attack-search-key-5d1c0b7e', admin: 'attack-admin-key-9f27a4c3' };
const ORIGIN = 'https://news.example';

/** What is left to clean when the run ends, however it ends. */
const live: { api?: AttackApi; dir?: string } = {};

async function cleanUp(): Promise<StopReport | undefined> {
  const stopped = await live.api?.stop(STOP_GRACE_MS);
  if (live.dir) fs.rmSync(live.dir, { recursive: true, force: true });
  return stopped;
}

/** Exits with `code` after cleaning up, at most 10 s later whatever happens. */
function abort(reason: string, code: number): void {
  console.error(`bench:attack: ${reason}; stopping the API and removing ${live.dir ?? 'nothing'}`);
  setTimeout(() => process.exit(code), 10_000).unref();
  void cleanUp().finally(() => process.exit(code));
}

/** Real ids and entity names from the corpus, for cases that need something that exists. */
function contextOf(docs: readonly { id: string; people?: string[]; orgs?: string[]; places?: string[] }[]): CaseContext {
  const ids = Array.from({ length: 50 }, (_, k) => docs[(k * 7919) % docs.length]!.id);
  const names = docs.flatMap((d) => [
    ...(d.people ?? []).map((name) => ({ type: 'person' as const, name })),
    ...(d.orgs ?? []).map((name) => ({ type: 'org' as const, name })),
    ...(d.places ?? []).map((name) => ({ type: 'place' as const, name })),
  ]).slice(0, 20);
  return { keys: KEYS, ids, names, seed: SEED };
}

/** Runs `cases` through the pool, printing progress every 10 s on stderr. */
async function phase(name: string, cases: readonly AttackCase[], target: Target, deadline: number): Promise<{ outcomes: Outcome[]; unsent: number }> {
  let done = 0;
  const ticker = setInterval(() => process.stderr.write(`  ${name}: ${done}/${cases.length} answered or failed\n`), 10_000);
  try {
    return await runPool(cases, { concurrency: CONCURRENCY, deadline, send: (c) => send(target, c), onOutcome: () => done++ });
  } finally {
    clearInterval(ticker);
  }
}

/**
 * Keeps the heavy four running for HEAVY_SECONDS and probes /health every 100 ms (1 s timeout each) until the last
 * has ended. Each of four lanes sends its request again when it has an answer, but not sooner than
 * HEAVY_PACE_MS after its previous start: four always run while they are slow, and a fast refusal is not a flood.
 */
async function heavyFourPhase(plan: AttackPlan, target: Target): Promise<{ outcomes: Outcome[]; probes: ProbeResult }> {
  if (plan.heavyFour.length === 0) return { outcomes: [], probes: { sent: 0, answered: 0, windowMs: 0 } };
  const until = Date.now() + HEAVY_SECONDS * 1_000;
  const outcomes: Outcome[] = [];
  const lane = async (c: AttackCase): Promise<void> => {
    do {
      const next = Date.now() + HEAVY_PACE_MS;
      outcomes.push(await send(target, c));
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    } while (Date.now() < until);
  };
  const four = Promise.all(plan.heavyFour.map(lane));
  const probes = await probeWhile(target, four, { everyMs: 100, timeoutMs: 1_000 });
  return { outcomes, probes };
}

/** Seconds until /health answers again (1 s timeout per try), or undefined after `seconds`. */
async function recovery(target: Target, seconds: number): Promise<number | undefined> {
  const start = Date.now();
  const probe = { ...target, agent: new http.Agent({ keepAlive: false }), timeoutMs: 1_000 };
  while (Date.now() - start < seconds * 1_000) {
    if ((await send(probe, { cls: 'recovery', method: 'GET', path: '/health' })).status === 200) return (Date.now() - start) / 1_000;
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}

/** The API's environment: issue 14's setup. */
const apiEnv = (): Record<string, string> => ({
  WORKERS: '2', SEARCH_API_KEY: KEYS.search, ADMIN_API_KEY: KEYS.admin, CORS_ORIGINS: ORIGIN, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn',
});

interface RunResult {
  outcomes: Outcome[];
  unsent: number;
  probes: ProbeResult;
  rss: RssSample[];
  recoveredAfter: number | undefined;
  errorLines: number;
  stop: StopReport | undefined;
}

/** The three phases against a running API. */
async function attack(api: AttackApi, plan: AttackPlan): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target: Target = { host: api.host, port: api.port, agent, timeoutMs: TIMEOUT_MS, secrets: [KEYS.search, KEYS.admin] };
  const deadline = Date.now() + SEND_SECONDS * 1_000;
  const rss = [api.rss()];
  const light = await phase('light cases', plan.light, target, deadline);
  rss.push(api.rss());
  const four = await heavyFourPhase(plan, target);
  const recoveredAfter = plan.heavyFour.length > 0 ? await recovery(target, RECOVERY_SECONDS) : 0;
  const heavy = await phase('heavy cases', plan.heavy, target, deadline);
  rss.push(api.rss());
  agent.destroy();
  const errorLines = api.errorLogLines();
  const outcomes = [...light.outcomes, ...four.outcomes, ...heavy.outcomes];
  return { outcomes, unsent: light.unsent + heavy.unsent, probes: four.probes, rss, recoveredAfter, errorLines, stop: await cleanUp() };
}

const loadAverage = (): string => os.loadavg().map((l) => l.toFixed(2)).join(', ');

function printRun(r: RunResult, setup: { plan: AttackPlan; loads: string[]; indexSeconds: number }): boolean {
  const { plan, loads } = setup;
  const four = `${plan.heavyFour.length} heavy-four (kept running ${HEAVY_SECONDS} s)`;
  console.log(`\nbench:attack — issue 14; seed ${SEED}; ${plan.light.length} light + ${four} + ${plan.heavy.length} heavy cases;`);
  console.log(`concurrency ${CONCURRENCY}, client timeout ${TIMEOUT_MS / 1000} s; API WORKERS=2, both keys, CORS ${ORIGIN}, no rate limit, loopback`);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`;
  console.log(`machine ${machine}, Node ${process.version}; Reuters indexed in ${setup.indexSeconds.toFixed(1)} s`);
  console.log(`load average (1, 5, 15 min) before: ${loads[0]}; after: ${loads[1]}\n`);
  const { rows, total } = summarise(r.outcomes);
  printTable(rows, total);
  console.log('');
  printLeads(r.outcomes);
  const again = r.recoveredAfter === undefined ? `not within ${RECOVERY_SECONDS} s` : `${r.recoveredAfter.toFixed(1)} s`;
  if (r.probes.sent > 0) console.log(`/health answered again ${again} after the heavy four ended`);
  console.log(`API RSS before: ${formatRss(r.rss[0]!)}; after the light cases: ${formatRss(r.rss[1]!)}; at the end: ${formatRss(r.rss[2]!)}`);
  console.log(`API stop: ${r.stop?.graceful ? `ended on SIGTERM in ${r.stop.ms} ms` : `still running ${STOP_GRACE_MS / 1000} s after SIGTERM: killed`}`);
  console.log(`API log lines at error level or above: ${r.errorLines}; answers echoing a key: ${r.outcomes.filter((o) => o.echoesSecret).length}\n`);
  return printVerdicts(verdicts(r));
}

async function main(): Promise<number> {
  const file = sharedCorpus('reuters21578.jsonl');
  if (!file) {
    console.error('bench:attack needs the Reuters shared file (../shared/corpus/reuters21578.jsonl): nothing was run');
    return 2;
  }
  const docs = readJsonl<{ id: string; people?: string[]; orgs?: string[]; places?: string[] }>(file);
  const full = buildPlan(contextOf(docs), FILTER_COMBOS);
  const plan = WITH_HEAVY ? full : { ...full, heavy: [], heavyFour: [] };
  live.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-attack-'));
  const started = Date.now();
  await prepareStore(live.dir, docs);
  const indexSeconds = (Date.now() - started) / 1_000;
  live.api = await startAttackApi({ dataDir: live.dir, env: apiEnv(), logFile: path.join(live.dir, 'api.log') });
  const loads = [loadAverage()];
  const result = await attack(live.api, plan);
  loads.push(loadAverage());
  return printRun(result, { plan, loads, indexSeconds }) ? 0 : 1;
}

const deadline = setTimeout(() => abort(`the overall deadline of ${DEADLINE_SECONDS} s passed`, 3), DEADLINE_SECONDS * 1_000);
process.once('SIGINT', () => abort('interrupted', 130));
process.once('SIGTERM', () => abort('terminated', 143));
main()
  .catch((error: unknown) => {
    console.error(error);
    return 2;
  })
  .then(async (code) => {
    await cleanUp();
    clearTimeout(deadline);
    process.exit(code);
  });
