import type { EntityRef, SearchEngine, SearchRequest, SearchResult } from '../engines/search-engine.js';
import { namedText } from '../core/entities/named-text.js';
import type { EntityReader } from '../entities/entity-port.js';
import { EngineUnavailableError } from '../core/errors.js';
import type { SimilarityReader } from '../similarity/similarity-port.js';
import { sampleOf, significantIn } from './significant.js';
import type { SignificantKind, SignificantSets } from './significant.js';
import { resolveEntityFilters } from './resolve-entity-filters.js';
import type { ResolvedFilters } from './resolve-entity-filters.js';

/** A search result with the time it took here, in milliseconds to the microsecond, and what stands out when asked. */
export interface TimedSearchResult extends SearchResult {
  readonly query: string;
  readonly processingTimeMs: number;
  readonly significant?: SignificantSets;
  /** When entity filters were given: what each value was taken to mean (services/resolve-entity-filters.ts). */
  readonly resolvedFilters?: ResolvedFilters;
}

/** What a search may ask besides the engine's part: the kinds of significant values (none when absent or empty). */
export interface SearchExtras {
  readonly significant?: readonly SignificantKind[];
}

/** The entities a query names (see core/entities/named-text.ts). */
export async function namedEntities(entities: EntityReader, q: string): Promise<EntityRef[]> {
  const text = namedText(q);
  if (text === undefined) return [];
  return (await entities.named(text)).map((e): EntityRef => ({ kind: e.kind, name: e.name }));
}

/**
 * Runs a keyword search; entity filters are resolved first (a surname or alias stands for its entity; an
 * ambiguous one fails with AmbiguousNameError); `now` is a monotonic clock in milliseconds. When the query names a known entity, the
 * articles about it rank first among equally matching ones (see SearchRequest.about). An engine ranked by the index
 * host, which holds the entity names too, finds them itself in the same call (`aboutNamed`): one round trip to the
 * host per search instead of two. With `extras.significant`, the best SIGNIFICANT_SAMPLE (100) matches are compared
 * with the corpus (services/significant.ts).
 */
export async function searchArticles(
  deps: { engine: SearchEngine; now: () => number; entities?: EntityReader; similarity?: SimilarityReader },
  request: SearchRequest,
  extras: SearchExtras = {},
): Promise<TimedSearchResult> {
  const started = deps.now();
  const { filters, resolved } = await resolveEntityFilters(deps.entities, request.filters);
  let asked: SearchRequest = resolved ? { ...request, filters } : request;
  if (deps.entities && deps.engine.findsNamedEntities()) asked = { ...asked, aboutNamed: true };
  else if (deps.entities) {
    const about = await namedEntities(deps.entities, request.q);
    if (about.length > 0) asked = { ...asked, about };
  }
  const result = await deps.engine.search(asked);
  const kinds = extras.significant ?? [];
  let significant: SignificantSets | undefined;
  if (kinds.length > 0) {
    if (!deps.similarity) throw new EngineUnavailableError('significant values need the similarity index, which this service does not keep');
    significant = await significantIn({ similarity: deps.similarity, ...(deps.entities ? { entities: deps.entities } : {}) }, await sampleOf(deps.engine, asked, result), kinds);
  }
  return {
    query: request.q,
    ...result,
    ...(significant ? { significant } : {}),
    processingTimeMs: Math.round((deps.now() - started) * 1_000) / 1_000,
    ...(resolved ? { resolvedFilters: resolved } : {}),
  };
}
