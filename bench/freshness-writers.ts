import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FreshArticle } from './freshness-articles.js';
import type { StoreName, StoreWatch } from './freshness-store.js';
import type { ApiAddress } from './http-json.js';
import { getFresh, requestJson } from './http-json.js';

/** One `POST /api/articles`: its status (undefined on a connection error or timeout), time and start. */
export interface PostOutcome {
  readonly status: number | undefined;
  readonly ok: boolean;
  readonly ms: number;
  readonly startedAt: number;
  readonly error?: string;
}

const indexedOf = (body: unknown): number | undefined => (body as { indexed?: number } | undefined)?.indexed;

/** Maps `items` through `fn` with at most `concurrency` calls in flight; results in input order. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return out;
}

/**
 * Concurrent writers: each list in `perClient` is one client, POSTing its articles one at a time (one article per
 * request, with the admin key) over its own keep-alive connection. A POST succeeds when it answers 200 with
 * `indexed: 1`; anything else (an error status, a connection error, no answer within `timeoutMs`) is a failure.
 */
export async function runWriters(api: ApiAddress, perClient: readonly (readonly FreshArticle[])[], options: { adminKey: string; timeoutMs: number }): Promise<PostOutcome[]> {
  const client = async (articles: readonly FreshArticle[]): Promise<PostOutcome[]> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const outcomes: PostOutcome[] = [];
    try {
      for (const { marker: _marker, ...article } of articles) {
        const startedAt = performance.now();
        const a = await requestJson(api, { method: 'POST', path: '/api/articles', agent, headers: { 'x-api-key': options.adminKey }, body: article, timeoutMs: options.timeoutMs });
        outcomes.push({ status: a.status, ok: a.status === 200 && indexedOf(a.body) === 1, ms: a.ms, startedAt, ...(a.error ? { error: a.error } : {}) });
      }
    } finally {
      agent.destroy();
    }
    return outcomes;
  };
  return (await Promise.all(perClient.map(client))).flat();
}

/** Where an article was found: in each store (read from the files) and through the API (each on a new connection). */
export interface Presence {
  readonly id: string;
  readonly stores: ReadonlyMap<StoreName, boolean>;
  readonly search: boolean;
  readonly get: boolean;
  readonly similar: boolean;
}

/** Whether an article is wholly present: in every store, found by search, answered by its page and by /similar. */
export const complete = (p: Presence): boolean => p.search && p.get && p.similar && [...p.stores.values()].every(Boolean);
/** Whether an article is wholly absent (nowhere at all). */
export const absent = (p: Presence): boolean => !p.search && !p.get && !p.similar && ![...p.stores.values()].some(Boolean);

/** Looks for each article in every store and through the API (search by its marker, its page, its /similar). */
export async function presence(api: ApiAddress, store: StoreWatch, articles: readonly FreshArticle[], timeoutMs: number): Promise<Presence[]> {
  const missing = store.missing(articles.map((a) => a.id));
  return mapPool(articles, 4, async (a) => {
    const id = encodeURIComponent(a.id);
    const search = await getFresh(api, `/api/search?perPage=1&collapse=false&q=${a.marker}`, timeoutMs); // the article itself, copy or not
    const hits = (search.body as { hits?: { id: string }[] } | undefined)?.hits ?? [];
    const page = await getFresh(api, `/api/articles/${id}`, timeoutMs);
    const similar = await getFresh(api, `/api/articles/${id}/similar?limit=10`, timeoutMs);
    const stores = new Map([...missing].map(([s, ids]) => [s, !ids.includes(a.id)] as const));
    return { id: a.id, stores, search: search.status === 200 && hits[0]?.id === a.id, get: page.status === 200, similar: similar.status === 200 };
  });
}

/**
 * {@link presence}, then again every 500 ms for the articles not yet wholly present, until all are or `settleMs`
 * has passed (a process may still be catching up); the last look at each article counts.
 */
export async function settledPresence(api: ApiAddress, store: StoreWatch, articles: readonly FreshArticle[], options: { settleMs: number; timeoutMs: number }): Promise<Presence[]> {
  const until = performance.now() + options.settleMs;
  const last = new Map<string, Presence>();
  let pending = articles;
  while (pending.length > 0) {
    for (const p of await presence(api, store, pending, options.timeoutMs)) last.set(p.id, p);
    pending = pending.filter((a) => !complete(last.get(a.id)!));
    if (pending.length === 0 || performance.now() >= until) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return articles.map((a) => last.get(a.id)!);
}
