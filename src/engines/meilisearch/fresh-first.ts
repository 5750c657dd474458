import type { SearchParams, SearchResponse } from 'meilisearch';
import { freshnessLogDecay } from '../../core/freshness.js';
import type { Freshness } from '../../core/freshness.js';
import { FRESHNESS_WINDOW } from '../search-engine.js';

type Hit = Record<string, unknown>;
export type Search = (q: string, params: SearchParams) => Promise<SearchResponse<Hit>>;

/** A hit's `_rankingScore` (0–1, Meilisearch's relevancy of the match) times its freshness decay, as a log. */
function freshScore(hit: Hit, freshness: Freshness): number {
  const relevancy = typeof hit._rankingScore === 'number' ? hit._rankingScore : 0;
  const date = typeof hit.publishedAt === 'number' ? hit.publishedAt : Number.NaN;
  return Math.log(relevancy) + freshnessLogDecay(date, freshness);
}

/** The first {@link FRESHNESS_WINDOW} hits ordered by {@link freshScore} (ties keep Meilisearch's order), then the rest. */
export function reorderFresh(hits: readonly Hit[], freshness: Freshness): Hit[] {
  const head = hits.slice(0, FRESHNESS_WINDOW).map((hit, at) => ({ hit, at, score: freshScore(hit, freshness) }));
  head.sort((a, b) => b.score - a.score || a.at - b.at);
  return [...head.map((h) => h.hit), ...hits.slice(FRESHNESS_WINDOW)];
}

/**
 * Meilisearch has no decay function and ranks by its rules alone, so recency is applied to the top of its order: a
 * search whose page lies within the first {@link FRESHNESS_WINDOW} matches fetches those matches (with
 * `showRankingScore`), re-orders them by ranking score × decay ({@link reorderFresh}) and cuts the page out; a page
 * past the window is Meilisearch's own order, which holds the same matches from there on. Work per request is
 * bounded by the window (plus one page). Works with both paging forms (page/hitsPerPage and offset/limit), so the
 * two-part search of about-first.ts can use it as its search function.
 */
export function freshFirst(search: Search, freshness: Freshness): Search {
  return async (q, params) => {
    const paged = params.page !== undefined || params.hitsPerPage !== undefined;
    const limit = paged ? params.hitsPerPage ?? 20 : params.limit ?? 20;
    const offset = paged ? ((params.page ?? 1) - 1) * limit : params.offset ?? 0;
    if (limit === 0 || offset >= FRESHNESS_WINDOW) return search(q, params);
    const size = Math.max(FRESHNESS_WINDOW, offset + limit);
    const { page: _page, hitsPerPage: _hitsPerPage, offset: _offset, limit: _limit, ...rest } = params;
    const window = await search(q, { ...rest, ...(paged ? { page: 1, hitsPerPage: size } : { offset: 0, limit: size }), showRankingScore: true });
    const hits = reorderFresh(window.hits, freshness).slice(offset, offset + limit);
    if (!paged) return { ...window, hits, offset, limit };
    const total = window.totalHits ?? 0;
    return { ...window, hits, page: params.page ?? 1, hitsPerPage: limit, totalPages: Math.ceil(total / limit) };
  };
}
