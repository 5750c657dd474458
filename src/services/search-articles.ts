import type { EntityRef, SearchEngine, SearchRequest, SearchResult } from '../engines/search-engine.js';
import type { EntityReader } from '../entities/entity-port.js';

/** A search result with the time it took here, in milliseconds to the microsecond. */
export interface TimedSearchResult extends SearchResult {
  readonly query: string;
  readonly processingTimeMs: number;
}

/**
 * The entities a query names: those whose canonical name is the whole query (case, accents and punctuation
 * folded; quotes allowed: `"Qin Gang"`). A query with operators (exclusions) names none.
 */
export async function namedEntities(entities: EntityReader, q: string): Promise<EntityRef[]> {
  const text = q.trim().replace(/^"(.*)"$/u, '$1');
  if (text === '' || text.includes('"') || /(^|\s)-\S/u.test(text)) return [];
  return (await entities.named(text)).map((e): EntityRef => ({ kind: e.kind, name: e.name }));
}

/**
 * Runs a keyword search; `now` is a monotonic clock in milliseconds. When the query names a known entity, the
 * articles about it rank first among equally matching ones (see SearchRequest.about).
 */
export async function searchArticles(
  deps: { engine: SearchEngine; now: () => number; entities?: EntityReader },
  request: SearchRequest,
): Promise<TimedSearchResult> {
  const started = deps.now();
  const about = deps.entities ? await namedEntities(deps.entities, request.q) : [];
  const result = await deps.engine.search(about.length > 0 ? { ...request, about } : request);
  return { query: request.q, ...result, processingTimeMs: Math.round((deps.now() - started) * 1_000) / 1_000 };
}
