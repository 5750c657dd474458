import type { SearchParams, SearchResponse } from 'meilisearch';
import { MARK_CLOSE, MARK_OPEN, renderMarked } from '../../core/highlight.js';
import { SNIPPET_WORDS } from '../../core/highlighter.js';
import type { FacetCounts, FacetField, SearchHit, SearchRequest, SearchResult } from '../search-engine.js';
import { MAX_FACET_VALUES } from '../../core/keyword/keyword-search.js';
import { histogramOf } from '../../core/trends/date-histogram.js';
import type { DateHistogram, HistogramInterval } from '../../core/trends/date-histogram.js';
import { fromDocument, HISTOGRAM_FIELDS } from './document.js';
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
  const facets: string[] = [...request.facets, ...(request.histogram ? [HISTOGRAM_FIELDS[request.histogram]] : [])];
  return {
    q: toMeiliQuery(request.q),
    page: request.page,
    hitsPerPage: request.perPage,
    matchingStrategy: request.match,
    ...(filter === undefined ? {} : { filter }),
    ...(sort === undefined ? {} : { sort }),
    ...(facets.length === 0 ? {} : { facets }),
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
  for (const field of request.facets) facets[field] = mostFrequent(response.facetDistribution?.[field] ?? {});
  const histogram = request.histogram ? histogramFrom(request.histogram, response.facetDistribution, totalHits) : undefined;
  return {
    hits: response.hits.map((hit) => toHit(hit)),
    totalHits,
    page: request.page,
    perPage: request.perPage,
    totalPages: response.totalPages ?? Math.ceil(totalHits / request.perPage),
    facets,
    ...(histogram ? { histogram } : {}),
  };
}

/** The {@link MAX_FACET_VALUES} most frequent values (ties by value), as the embedded engine keeps them. */
function mostFrequent(counts: Record<string, number>): FacetCounts {
  const entries = Object.entries(counts);
  if (entries.length <= MAX_FACET_VALUES) return { ...counts };
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries.slice(0, MAX_FACET_VALUES));
}

/**
 * A histogram from the facet counts of the interval's field: matches without a date hold no value of it, so
 * `undated` is what the buckets leave of `totalHits`. More than MAX_HISTOGRAM_BUCKETS values is refused
 * (TooManyBucketsError), as on the embedded engine.
 */
function histogramFrom(
  interval: HistogramInterval,
  distribution: Record<string, Record<string, number>> | undefined,
  totalHits: number,
): DateHistogram {
  const counts = distribution?.[HISTOGRAM_FIELDS[interval]] ?? {};
  const buckets = Object.entries(counts).map(([start, count]) => ({ start, count }));
  const dated = buckets.reduce((sum, b) => sum + b.count, 0);
  return histogramOf(interval, buckets, Math.max(0, totalHits - dated));
}
