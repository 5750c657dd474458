import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** HTTP methods the attack uses. */
export type AttackMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'TRACE';

/**
 * One hostile request. `path` is the request target sent as is (bad percent-encodings included), so it may only
 * hold the characters Node writes into a request line (U+0021–U+00FF). `cls` is its row in the printed table;
 * `heavy` ones run after the light ones, so that a request that wedges a worker does not hide the others' answers.
 */
export interface AttackCase {
  readonly cls: string;
  readonly method: AttackMethod;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly heavy?: boolean;
  /** What the path does not show (a gzip bomb, a 10 MB body…), printed beside it in the report. */
  readonly note?: string;
}

/** How a request ended: an answer by status class, the client's timeout, or a connection error or cut answer. */
export type OutcomeKind = '2xx/3xx' | '4xx' | '5xx' | 'timeout' | 'error';

/** One request's result; `ms` runs from sending to the answer's last byte (or to the timeout or error). */
export interface Outcome {
  readonly cls: string;
  readonly method: AttackMethod;
  /** The request target, cut to {@link PATH_CHARS} characters for the report. */
  readonly path: string;
  readonly note?: string | undefined;
  readonly kind: OutcomeKind;
  readonly status?: number | undefined;
  readonly ms: number;
  /** From sending to the answer's status line and headers (ms); `ms` when none came. */
  readonly firstByteMs: number;
  /** Whether the answer is a streamed download (an export: `Content-Disposition: attachment`). */
  readonly streamed: boolean;
  /** Whether the first {@link HEAD_BYTES} bytes of the answer hold one of the target's secrets. */
  readonly echoesSecret: boolean;
}

/** Where and how to send: loopback host and port, a shared keep-alive agent, the per-request client timeout (ms). */
export interface Target {
  readonly host: string;
  readonly port: number;
  readonly agent: http.Agent;
  readonly timeoutMs: number;
  /** Strings an answer must never contain (the API keys). */
  readonly secrets: readonly string[];
}

/** Characters of a request target kept in its outcome. */
export const PATH_CHARS = 100;

/** Bytes of each answer kept to look for echoed secrets; the rest is read and dropped. */
export const HEAD_BYTES = 256 * 1024;

const kindOf = (status: number | undefined): OutcomeKind =>
  status === undefined ? 'error' : status >= 500 ? '5xx' : status >= 400 ? '4xx' : '2xx/3xx';

/**
 * Sends one case and resolves (never rejects) with its outcome. An answer whose body is cut off counts as `error`;
 * a request unanswered after `target.timeoutMs` is destroyed and counts as `timeout`.
 */
export function send(target: Target, c: AttackCase): Promise<Outcome> {
  const start = performance.now();
  return new Promise((resolve) => {
    let status: number | undefined;
    let firstByteMs: number | undefined;
    let streamed = false;
    let head = '';
    let settled = false;
    const finish = (kind: OutcomeKind): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const echoesSecret = target.secrets.some((s) => head.includes(s));
      const ms = performance.now() - start;
      const path = c.path.slice(0, PATH_CHARS);
      resolve({ cls: c.cls, method: c.method, path, note: c.note, kind, status, ms, firstByteMs: firstByteMs ?? ms, streamed, echoesSecret });
    };
    const headers = { ...c.headers, ...(c.body === undefined ? {} : { 'content-length': String(c.body.length) }) };
    const req = http.request({ host: target.host, port: target.port, method: c.method, path: c.path, headers, agent: target.agent }, (res) => {
      status = res.statusCode;
      firstByteMs = performance.now() - start;
      streamed = String(res.headers['content-disposition'] ?? '').startsWith('attachment');
      res.on('data', (chunk: Buffer) => {
        if (head.length < HEAD_BYTES) head += chunk.toString('latin1');
      });
      res.on('end', () => finish(kindOf(status)));
      res.on('close', () => finish(res.complete ? kindOf(status) : 'error'));
    });
    // An early answer (401 before a 10 MB body is read) may be followed by EPIPE or a reset: the answer counts.
    req.on('error', () => finish(kindOf(status)));
    const timer = setTimeout(() => {
      finish('timeout');
      req.destroy();
    }, target.timeoutMs);
    req.end(c.body);
  });
}

/** What a pool run did: every outcome, and how many cases were never sent because the dispatch deadline passed. */
export interface PoolResult {
  readonly outcomes: Outcome[];
  readonly unsent: number;
}

/**
 * Sends `cases` in order with at most `concurrency` in flight; no case is started after `deadline` (ms since the
 * epoch). Requests in flight at the deadline still end, bounded by the client timeout.
 */
export async function runPool(
  cases: readonly AttackCase[],
  options: { concurrency: number; deadline: number; send: (c: AttackCase) => Promise<Outcome>; onOutcome?: (o: Outcome) => void },
): Promise<PoolResult> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < cases.length && Date.now() < options.deadline) {
      const outcome = await options.send(cases[next++]!);
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { outcomes, unsent: cases.length - next };
}

/** Health probes sent while some work ran, and how many were answered 200 within the probe timeout. */
export interface ProbeResult {
  readonly sent: number;
  readonly answered: number;
  readonly windowMs: number;
}

/**
 * Sends `GET /health` every `everyMs` (each on a new connection, with a `timeoutMs` client timeout) until `work`
 * settles, then waits for the last probes and counts the ones answered 200 in time.
 */
export async function probeWhile(
  target: Omit<Target, 'agent' | 'timeoutMs'>,
  work: Promise<unknown>,
  options: { everyMs: number; timeoutMs: number },
): Promise<ProbeResult> {
  const probeTarget: Target = { ...target, agent: new http.Agent({ keepAlive: false }), timeoutMs: options.timeoutMs };
  const probes: Promise<Outcome>[] = [];
  let done = false;
  const start = performance.now();
  const end = (): void => {
    done = true;
  };
  work.then(end, end);
  while (!done) {
    probes.push(send(probeTarget, { cls: 'health-probe', method: 'GET', path: '/health' }));
    await new Promise((r) => setTimeout(r, options.everyMs));
  }
  const windowMs = performance.now() - start;
  const results = await Promise.all(probes);
  probeTarget.agent.destroy();
  return { sent: results.length, answered: results.filter((o) => o.status === 200 && o.ms <= options.timeoutMs).length, windowMs };
}
