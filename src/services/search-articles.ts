import type { SearchEngine, SearchRequest, SearchResult } from '../engines/search-engine.js';

/** A search result with the engine's time, in whole milliseconds (as Meilisearch reports it). */
export interface TimedSearchResult extends SearchResult {
  readonly query: string;
  readonly processingTimeMs: number;
}

/** Runs a keyword search; `now` is a monotonic clock in milliseconds. */
export async function searchArticles(
  deps: { engine: SearchEngine; now: () => number },
  request: SearchRequest,
): Promise<TimedSearchResult> {
  const started = deps.now();
  const result = await deps.engine.search(request);
  return { query: request.q, ...result, processingTimeMs: Math.round(deps.now() - started) };
}
