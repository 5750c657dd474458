import type { SearchParams, SearchResponse } from 'meilisearch';
import { MARK_CLOSE, MARK_OPEN, renderMarked } from '../../core/highlight.js';
import { SNIPPET_WORDS } from '../../core/highlighter.js';
import type { FacetCounts, FacetField, SearchHit, SearchRequest, SearchResult } from '../search-engine.js';
import { fromDocument } from './document.js';
import { filterExpression } from './filter-expression.js';
import { toMeiliQuery } from './query.js';

/** Date sorts; relevance sends none (the index's last ranking rule, `publishedAt:desc`, breaks its ties). */
const SORTS: Record<SearchRequest['sort'], string[] | undefined> = {
  relevance: undefined,
  newest: ['publishedAt:desc'],
  oldest: ['publishedAt:asc'],
};

/**
 * The body of `POST /indexes/{uid}/search` for one of our requests. `page`/`hitsPerPage` (not offset/limit) make
 * Meilisearch count `totalHits` and `totalPages` exactly (up to the index's maxTotalHits). Matches are wrapped in
 * the control characters of core/highlight.ts (never in article text), the body is cropped to {@link SNIPPET_WORDS}
 * words around the best match with `…`, so that {@link toSearchResult} escapes everything and then writes `<mark>`.
 */
export function toSearchParams(request: SearchRequest): SearchParams & { q: string } {
  const filter = filterExpression(request.filters);
  const sort = SORTS[request.sort];
  return {
    q: toMeiliQuery(request.q),
    page: request.page,
    hitsPerPage: request.perPage,
    matchingStrategy: request.match,
    ...(filter === undefined ? {} : { filter }),
    ...(sort === undefined ? {} : { sort }),
    ...(request.facets.length === 0 ? {} : { facets: [...request.facets] }),
    attributesToHighlight: ['title', 'body'],
    attributesToCrop: ['body'],
    cropLength: SNIPPET_WORDS,
    cropMarker: '…',
    highlightPreTag: MARK_OPEN,
    highlightPostTag: MARK_CLOSE,
  };
}

/** A hit's formatted (highlighted, cropped) field, falling back to the stored text. */
function formatted(hit: Record<string, unknown>, field: 'title' | 'body'): string {
  const shown = (hit._formatted as Record<string, unknown> | undefined)?.[field];
  if (typeof shown === 'string') return shown;
  const stored = hit[field];
  return typeof stored === 'string' ? stored : '';
}

/** One hit in our shape: the article (no body-less copy: the service drops the body) and its escaped highlight. */
function toHit(hit: Record<string, unknown>): SearchHit {
  return {
    article: fromDocument(hit),
    highlight: { title: renderMarked(formatted(hit, 'title')), snippet: renderMarked(formatted(hit, 'body')) },
  };
}

/** Meilisearch's answer to {@link toSearchParams} in our shape; every facet asked is present, empty when no match. */
export function toSearchResult(request: SearchRequest, response: SearchResponse<Record<string, unknown>>): SearchResult {
  const totalHits = response.totalHits ?? 0;
  const facets: Partial<Record<FacetField, FacetCounts>> = {};
  for (const field of request.facets) facets[field] = { ...(response.facetDistribution?.[field] ?? {}) };
  return {
    hits: response.hits.map((hit) => toHit(hit)),
    totalHits,
    page: request.page,
    perPage: request.perPage,
    totalPages: response.totalPages ?? Math.ceil(totalHits / request.perPage),
    facets,
  };
}
