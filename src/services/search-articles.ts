import type { EntityRef, SearchEngine, SearchRequest, SearchResult } from '../engines/search-engine.js';
import { namedText } from '../core/entities/named-text.js';
import type { EntityReader } from '../entities/entity-port.js';

/** A search result with the time it took here, in milliseconds to the microsecond. */
export interface TimedSearchResult extends SearchResult {
  readonly query: string;
  readonly processingTimeMs: number;
}

/** The entities a query names (see core/entities/named-text.ts). */
export async function namedEntities(entities: EntityReader, q: string): Promise<EntityRef[]> {
  const text = namedText(q);
  if (text === undefined) return [];
  return (await entities.named(text)).map((e): EntityRef => ({ kind: e.kind, name: e.name }));
}

/**
 * Runs a keyword search; `now` is a monotonic clock in milliseconds. When the query names a known entity, the
 * articles about it rank first among equally matching ones (see SearchRequest.about). An engine ranked by the index
 * host, which holds the entity names too, finds them itself in the same call (`aboutNamed`): one round trip to the
 * host per search instead of two.
 */
export async function searchArticles(
  deps: { engine: SearchEngine; now: () => number; entities?: EntityReader },
  request: SearchRequest,
): Promise<TimedSearchResult> {
  const started = deps.now();
  let asked: SearchRequest = request;
  if (deps.entities && deps.engine.findsNamedEntities()) asked = { ...request, aboutNamed: true };
  else if (deps.entities) {
    const about = await namedEntities(deps.entities, request.q);
    if (about.length > 0) asked = { ...request, about };
  }
  const result = await deps.engine.search(asked);
  return { query: request.q, ...result, processingTimeMs: Math.round((deps.now() - started) * 1_000) / 1_000 };
}
