import { setTimeout as sleep } from 'node:timers/promises';
import { HostGate } from './http-host-gate.js';

/**
 * The one module of the indexer that touches the network: polite HTTP(S) GETs over Node 20's own fetch (undici),
 * which decodes gzip, deflate and brotli bodies and pools connections, so no client library is added. What fetch
 * leaves to its caller is done here: redirects followed by hand (at most {@link HttpOptions.maxRedirects}, loops
 * refused), a time-out over the whole exchange (headers and body), a size cap on the decoded body (checked on
 * Content-Length first, then while reading, so that a gzip bomb is cut too), conditional requests (If-None-Match,
 * If-Modified-Since: a 304 returns no body), per-host concurrency and delay (http-host-gate.ts), and retries of
 * what may pass (network errors, time-outs, 408, 429, 5xx) with exponential backoff and jitter, waiting as long as
 * a 429's or 503's Retry-After asks when that is within {@link HttpOptions.maxRetryWaitMs}.
 */

/** How the indexer fetches over HTTP (see main.ts for the command-line options). */
export interface HttpOptions {
  /** Sent as User-Agent: names the indexer and where to reach its operator. */
  readonly userAgent: string;
  /** Bound on one exchange, headers and body, in ms. */
  readonly timeoutMs: number;
  /** Largest body accepted, in decoded bytes. */
  readonly maxBytes: number;
  /** Requests in flight to one host at most. */
  readonly perHost: number;
  /** Least time between the starts of two requests to one host, in ms. */
  readonly hostDelayMs: number;
  /** Further attempts after a failure that may pass (0: none). */
  readonly retries: number;
  /** First backoff, in ms; doubled on each further attempt, with jitter (half of it random). */
  readonly backoffMs: number;
  /** Longest wait a Retry-After may ask within one run, in ms; beyond it the source fails with that wait noted. */
  readonly maxRetryWaitMs: number;
  /** Redirects followed at most. */
  readonly maxRedirects: number;
}

/** Validators of a previous answer, sent back so that the server may answer 304 Not Modified. */
export interface Validators {
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
}

/** A fetched resource: its body (undefined on 304), the final URL after redirects, and its validators. */
export interface Fetched extends Validators {
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer | undefined;
}

/** Why a fetch failed, as a code (for the state and metrics) and a message naming the URL. */
export type HttpErrorCode = 'status' | 'timeout' | 'too_large' | 'redirects' | 'network' | 'robots' | 'not_http';

/** A fetch that failed; `retryAfterMs` when the server asked to be left alone for that long. */
export class HttpFetchError extends Error {
  override readonly name = 'HttpFetchError';

  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A Retry-After header (seconds, or an HTTP date) as ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The backoff before attempt `attempt` (1-based retry): base·2^(attempt−1), its second half random ("equal jitter"). */
export const backoffMs = (base: number, attempt: number, random: () => number): number => {
  const full = base * 2 ** (attempt - 1);
  return full / 2 + (random() * full) / 2;
};

/** Polite GETs (see the module comment); one client per process, so that host gates span sources and polls. */
export class HttpClient {
  private readonly gates: HostGate;

  constructor(
    readonly options: HttpOptions,
    private readonly clock: { now: () => number; random: () => number } = { now: Date.now, random: Math.random },
  ) {
    this.gates = new HostGate(options.perHost, options.hostDelayMs, clock.now);
  }

  /** GETs `url` with retries; throws an {@link HttpFetchError} when no attempt succeeded. */
  async get(url: string, request: { accept: string; validators?: Validators; signal?: AbortSignal }): Promise<Fetched> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.follow(url, request);
      } catch (error) {
        const failure = error instanceof HttpFetchError ? error : new HttpFetchError('network', `${url}: ${(error as Error).message}`, { cause: error, retriable: true });
        if (!failure.details.retriable || attempt >= this.options.retries || request.signal?.aborted) throw failure;
        const asked = failure.details.retryAfterMs;
        if (asked !== undefined && asked > this.options.maxRetryWaitMs) throw failure;
        await sleep(asked ?? backoffMs(this.options.backoffMs, attempt + 1, this.clock.random), undefined, { signal: request.signal }).catch(() => undefined);
      }
    }
  }

  /** One attempt: the redirect chain, each hop through its host's gate. */
  private async follow(start: string, request: { accept: string; validators?: Validators; signal?: AbortSignal }): Promise<Fetched> {
    const visited = new Set<string>();
    let url = start;
    for (let hops = 0; ; hops++) {
      const target = httpUrl(url);
      if (visited.has(target.href)) throw new HttpFetchError('redirects', `${start}: redirect loop at ${target.href}`);
      visited.add(target.href);
      const answer = await this.gates.run(target.host, () => this.once(target, request));
      if ('location' in answer) {
        if (hops >= this.options.maxRedirects) throw new HttpFetchError('redirects', `${start}: more than ${this.options.maxRedirects} redirects`);
        url = answer.location;
        continue;
      }
      return answer;
    }
  }

  /** One request and its whole body, within the time-out and the size cap. */
  private async once(url: URL, request: { accept: string; validators?: Validators; signal?: AbortSignal }): Promise<Fetched | { location: string }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, accept: request.accept, 'accept-encoding': 'gzip, deflate, br' };
    if (request.validators?.etag) headers['if-none-match'] = request.validators.etag;
    if (request.validators?.lastModified) headers['if-modified-since'] = request.validators.lastModified;
    try {
      const response = await fetch(url, { headers, redirect: 'manual', signal });
      const location = response.headers.get('location');
      if (REDIRECTS.has(response.status) && location !== null) {
        await response.body?.cancel();
        return { location: new URL(location, url).href };
      }
      if (response.status === 304) return { ...this.validators(response), url: url.href, status: 304, contentType: '', body: undefined };
      if (!response.ok) {
        await response.body?.cancel();
        throw statusError(url.href, response, this.clock.now());
      }
      const body = await this.readCapped(url.href, response);
      return { ...this.validators(response), url: url.href, status: response.status, contentType: response.headers.get('content-type') ?? '', body };
    } catch (error) {
      if (error instanceof HttpFetchError) throw error;
      if (timeout.aborted) throw new HttpFetchError('timeout', `${url.href}: no complete answer within ${this.options.timeoutMs} ms`, { retriable: true });
      throw error;
    }
  }

  private validators(response: Response): Validators {
    const etag = response.headers.get('etag') ?? undefined;
    const lastModified = response.headers.get('last-modified') ?? undefined;
    return { ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }) };
  }

  /** The decoded body, refused as soon as it passes the size cap (Content-Length first, then as it streams). */
  private async readCapped(url: string, response: Response): Promise<Buffer> {
    const max = this.options.maxBytes;
    const tooLarge = (declared?: number) =>
      new HttpFetchError('too_large', `${url}: the answer is larger than the ${max} bytes accepted (--max-bytes)${declared === undefined ? '' : `: Content-Length ${declared}`}`);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (!encoded && declared > max) {
      await response.body?.cancel();
      throw tooLarge(declared);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    if (response.body === null) return Buffer.alloc(0);
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(Buffer.from(value));
    }
    return Buffer.concat(chunks);
  }
}

/** `url` as an http(s) URL, or an error naming it. */
function httpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HttpFetchError('not_http', `${url}: not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new HttpFetchError('not_http', `${url}: only http and https are fetched`);
  return parsed;
}

/** The error of a non-2xx answer: retriable for 408, 429 and 5xx, with the Retry-After of a 429 or 503. */
function statusError(url: string, response: Response, now: number): HttpFetchError {
  const { status } = response;
  const wait = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), now) : undefined;
  const retriable = status === 408 || status === 429 || status >= 500;
  const asked = wait === undefined ? '' : ` (Retry-After: ${Math.ceil(wait / 1000)} s)`;
  return new HttpFetchError('status', `${url}: HTTP ${status} ${response.statusText}${asked}`.trimEnd(), {
    status,
    retriable,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  });
}
