import type { SearchParams, SearchResponse } from 'meilisearch';
import { MARK_CLOSE, MARK_OPEN, renderMarked } from '../../core/highlight.js';
import { SNIPPET_WORDS } from '../../core/highlighter.js';
import { tokenize } from '../../core/normalize.js';
import { parseQuery } from '../../core/query-parser.js';
import { correctionAmong, spellingSuggestion } from '../../core/spelling-suggestion.js';
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
    ...(request.collapse ? { distinct: 'copyGroup' } : {}),
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

/**
 * The words Meilisearch marked in a hit's formatted title and body, whole and folded: it may mark only the part of
 * a word that matched (the typed prefix), so each mark is widened to the word around it.
 */
export function markedWords(hit: Record<string, unknown>): string[] {
  const words: string[] = [];
  for (const field of ['title', 'body'] as const) {
    const text = formatted(hit, field);
    const word = new RegExp(`[\\p{L}\\p{N}\\p{M}${MARK_OPEN}${MARK_CLOSE}]*${MARK_OPEN}[^${MARK_CLOSE}]*${MARK_CLOSE}[\\p{L}\\p{N}\\p{M}${MARK_OPEN}${MARK_CLOSE}]*`, 'gu');
    for (const m of text.matchAll(word)) words.push(...tokenize(m[0].replaceAll(MARK_OPEN, '').replaceAll(MARK_CLOSE, '')));
  }
  return words;
}

/**
 * "Showing results for" from Meilisearch's answer: each query word read against the words marked in the first hit
 * (core/spelling-suggestion.ts). A word marked only outside the cropped body is not seen and stays as typed.
 */
function suggestionOf(request: SearchRequest, first: Record<string, unknown> | undefined): string | undefined {
  if (first === undefined) return undefined;
  const query = parseQuery(request.q);
  const seen = markedWords(first);
  return spellingSuggestion(query, query.terms.map((t) => (t.kind === 'word' ? correctionAmong(t, seen) : undefined)));
}

/** Meilisearch's answer to {@link toSearchParams} in our shape; every facet asked is present, empty when no match. */
export function toSearchResult(request: SearchRequest, response: SearchResponse<Record<string, unknown>>): SearchResult {
  const totalHits = response.totalHits ?? 0;
  const facets: Partial<Record<FacetField, FacetCounts>> = {};
  for (const field of request.facets) facets[field] = mostFrequent(response.facetDistribution?.[field] ?? {});
  const histogram = request.histogram ? histogramFrom(request.histogram, response.facetDistribution, totalHits) : undefined;
  const suggestion = suggestionOf(request, response.hits[0]);
  return {
    ...(suggestion === undefined ? {} : { suggestion }),
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
