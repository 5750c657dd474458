import type { SearchEngine, SearchHit, SearchRequest, SearchResult } from '../engines/search-engine.js';
import type { CopyReader } from '../storage/copy-groups.js';
import type { EntityReader } from '../entities/entity-port.js';
import { EngineUnavailableError } from '../core/errors.js';
import type { SimilarityReader } from '../similarity/similarity-port.js';
import { sampleOf, significantIn } from './significant.js';
import type { SignificantKind, SignificantSets } from './significant.js';
import { prepareSearch } from './prepare-search.js';
import type { ResolvedFilters } from './resolve-entity-filters.js';

/** A search result with the time it took here, in milliseconds to the microsecond, and what stands out when asked. */
export interface TimedSearchResult extends SearchResult {
  readonly query: string;
  readonly processingTimeMs: number;
  readonly significant?: SignificantSets;
  /** When entity filters were given: what each value was taken to mean (services/resolve-entity-filters.ts). */
  readonly resolvedFilters?: ResolvedFilters;
  /** One hit per copy group (SearchRequest.collapse): then totals, facets and histogram count groups. */
  readonly collapsed: boolean;
}

/** What a search may ask besides the engine's part: the kinds of significant values (none when absent or empty). */
export interface SearchExtras {
  readonly significant?: readonly SignificantKind[];
}

/**
 * Runs a keyword search, prepared as an export is (services/prepare-search.ts): entity filters are resolved first
 * (a surname or alias stands for its entity; an ambiguous one fails with AmbiguousNameError), and when the query
 * names a known entity, the articles about it rank first among equally matching ones (see SearchRequest.about).
 * `now` is a monotonic clock in milliseconds. With `extras.significant`, the best SIGNIFICANT_SAMPLE (100) matches
 * are compared with the corpus (services/significant.ts).
 */
export async function searchArticles(
  deps: { engine: SearchEngine; now: () => number; entities?: EntityReader; similarity?: SimilarityReader; copies?: CopyReader },
  request: SearchRequest,
  extras: SearchExtras = {},
): Promise<TimedSearchResult> {
  const started = deps.now();
  const { request: asked, resolved } = await prepareSearch(deps, request);
  const found = await deps.engine.search(asked);
  const result = asked.collapse && deps.copies ? { ...found, hits: withCopies(deps.copies, found.hits) } : found;
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
    collapsed: asked.collapse === true,
    processingTimeMs: Math.round((deps.now() - started) * 1_000) / 1_000,
    ...(resolved ? { resolvedFilters: resolved } : {}),
  };
}

/** The hits with the copies each stands for (hits alone in their copy group are as they were). */
function withCopies(copies: CopyReader, hits: readonly SearchHit[]): SearchHit[] {
  const members = copies.members(
    hits.flatMap((h) => (h.article.copyGroup === undefined ? [] : [[h.article.id, h.article.copyGroup, h.groupSize] as const])),
  );
  return hits.map((hit) => {
    const found = members.get(hit.article.id);
    return found ? { ...hit, copies: found } : hit;
  });
}
