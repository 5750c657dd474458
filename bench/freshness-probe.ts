import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { serverPidOf, servingPids } from './api-sockets.js';
import type { FreshBatch } from './freshness-articles.js';
import type { ApiAddress } from './http-json.js';
import { requestJson } from './http-json.js';

/** What "the batch is visible" means to one probe: search finds all of it, and "more like this" answers for these. */
export interface BatchCheck {
  readonly marker: string;
  readonly size: number;
  readonly similarIds: readonly string[];
}

/** The check for a batch: its marker finds `size` articles; the first, a middle and the last answer /similar. */
export function batchCheck(batch: FreshBatch): BatchCheck {
  const ids = batch.articles.map((a) => a.id);
  const similarIds = [...new Set([ids[0]!, ids[Math.floor(ids.length / 2)]!, ids[ids.length - 1]!])];
  return { marker: batch.marker, size: ids.length, similarIds };
}

/** One probe: which process answered (undefined when it could not be told), what it found, when it ended (ms). */
interface Probe {
  readonly pid: number | undefined;
  readonly searchOk: boolean;
  readonly similarOk: boolean;
  /** An answer with status ≥ 500, a connection error or a client timeout. */
  readonly failed: boolean;
  readonly endedAt: number;
  /** From its first request to its last answer (ms). */
  readonly ms: number;
}

const totalHits = (body: unknown): number | undefined => (body as { totalHits?: number } | undefined)?.totalHits;

/**
 * Sends the search, then each /similar, over one new keep-alive connection (so that one process answers them all),
 * names the process holding its server end while it is open, and closes it.
 */
async function probe(api: ApiAddress, check: BatchCheck, timeoutMs: number): Promise<Probe> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const start = performance.now();
  try {
    const get = (path: string) => requestJson(api, { method: 'GET', path, agent, timeoutMs });
    // every article, not one per copy group: a batch made from BBC holds its copies (BBC has duplicate stories), which
    // the indexer now groups as the API does, and a collapsed total would never reach the batch's size
    const search = await get(`/api/search?perPage=1&collapse=false&q=${check.marker}`);
    const port = search.clientPort;
    let pid = port === undefined ? undefined : serverPidOf({ serverPort: api.port, clientPort: port }, servingPids());
    const answers = [search];
    for (const id of check.similarIds) answers.push(await get(`/api/articles/${encodeURIComponent(id)}/similar?limit=10`));
    if (answers.some((a) => a.clientPort !== port)) pid = undefined; // the connection was replaced: who answered is unknown
    const similarOk = answers.slice(1).every((a) => a.status === 200);
    const failed = answers.some((a) => a.status === undefined || a.status >= 500);
    const endedAt = performance.now();
    return { pid, searchOk: search.status === 200 && totalHits(search.body) === check.size, similarOk, failed, endedAt, ms: endedAt - start };
  } finally {
    agent.destroy();
  }
}

/** When a batch became visible on every serving process, and what the probes saw on the way. */
export interface Visibility {
  /** performance.now() (ms) of the end of the first probe of the final, confirmed success run of the last process. */
  readonly everywhereAt: number | undefined;
  readonly probes: number;
  /** Probes answered in full where search and /similar disagreed (one found the batch, the other not). */
  readonly split: number;
  /** Probes whose answering process could not be told (they count for none). */
  readonly unidentified: number;
  readonly failed: number;
  /** Serving processes at the end, and how many of them had confirmed the batch. */
  readonly processes: number;
  readonly confirmedOn: number;
  /** How long each probe took (ms), in order of their ends: the resolution of the measure. */
  readonly probeMs: readonly number[];
}

/** Each serving process's current run of successful probes, and counts over all probes. */
class Runs {
  private readonly runs = new Map<number, { since: number; count: number }>();
  private readonly tally = { probes: 0, split: 0, unidentified: 0, failed: 0 };
  private readonly probeMs: number[] = [];

  constructor(private readonly confirm: number) {}

  record(p: Probe): void {
    this.tally.probes++;
    this.probeMs.push(p.ms);
    if (!p.failed && p.searchOk !== p.similarOk) this.tally.split++;
    if (p.failed) this.tally.failed++;
    if (p.pid === undefined) this.tally.unidentified++;
    else if (!p.searchOk || !p.similarOk) this.runs.delete(p.pid);
    else this.runs.set(p.pid, { since: this.runs.get(p.pid)?.since ?? p.endedAt, count: (this.runs.get(p.pid)?.count ?? 0) + 1 });
  }

  /** The processes among `pids` with `confirm` successes in a row. */
  confirmed(pids: readonly number[]): number[] {
    return pids.filter((pid) => (this.runs.get(pid)?.count ?? 0) >= this.confirm);
  }

  result(pids: readonly number[]): Visibility {
    const done = this.confirmed(pids);
    const everywhereAt = pids.length > 0 && done.length === pids.length ? Math.max(...pids.map((pid) => this.runs.get(pid)!.since)) : undefined;
    return { everywhereAt, ...this.tally, processes: pids.length, confirmedOn: done.length, probeMs: this.probeMs };
  }
}

/**
 * Probes in `lanes` parallel loops, each probe on a new connection, until every serving process has answered
 * `confirm` probes in a row that find the whole batch, or until `timeoutMs`. A process's visibility time is the end
 * of the first probe of its last run of successes: an upper bound, late by at most one probe and the gap between two.
 */
export async function waitVisible(api: ApiAddress, check: BatchCheck, options: { timeoutMs: number; confirm: number; lanes: number }): Promise<Visibility> {
  const until = performance.now() + options.timeoutMs;
  const runs = new Runs(options.confirm);
  if (servingPids().length === 0) throw new Error('no API process found among the children of this process');
  const settled = (): boolean => {
    const pids = servingPids();
    return runs.confirmed(pids).length === pids.length || performance.now() >= until;
  };
  const lane = async (): Promise<void> => {
    while (!settled()) runs.record(await probe(api, check, Math.max(1, Math.min(5_000, until - performance.now()))));
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return runs.result(servingPids());
}
