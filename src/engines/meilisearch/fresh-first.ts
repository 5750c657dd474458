import type { SearchParams, SearchResponse } from 'meilisearch';
import { freshnessLogDecay } from '../../core/freshness.js';
import type { Freshness } from '../../core/freshness.js';
import { FRESHNESS_WINDOW } from '../search-engine.js';
import { anyOf } from './filter-expression.js';

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
 * search whose page lies within the first {@link FRESHNESS_WINDOW} matches fetches those matches light (their ids,
 * dates and `_rankingScore` only: no text, no highlighting or cropping), re-orders them by ranking score × decay
 * ({@link reorderFresh}), cuts the page's ids out, and fetches that page's documents — highlighted and cropped as
 * asked — in a second search restricted to those ids (`id IN [...]`), put back in the re-ordered order. Totals and
 * facets are the window search's (every match). A page past the window is Meilisearch's own order, which holds the
 * same matches from there on. Work per request: the window's ids and scores plus one page of documents. Works with
 * both paging forms (page/hitsPerPage and offset/limit), so the two-part search of about-first.ts can use it as its
 * search function.
 */
export function freshFirst(search: Search, freshness: Freshness): Search {
  return async (q, params) => {
    const paged = params.page !== undefined || params.hitsPerPage !== undefined;
    const limit = paged ? params.hitsPerPage ?? 20 : params.limit ?? 20;
    const offset = paged ? ((params.page ?? 1) - 1) * limit : params.offset ?? 0;
    if (limit === 0 || offset >= FRESHNESS_WINDOW) return search(q, params);
    const size = Math.max(FRESHNESS_WINDOW, offset + limit);
    const {
      page: _page, hitsPerPage: _hitsPerPage, offset: _offset, limit: _limit,
      attributesToHighlight, attributesToCrop, cropLength, cropMarker, highlightPreTag, highlightPostTag, attributesToRetrieve,
      ...rest
    } = params;
    const window = await search(q, {
      ...rest,
      ...(paged ? { page: 1, hitsPerPage: size } : { offset: 0, limit: size }),
      attributesToRetrieve: ['id', 'publishedAt'],
      showRankingScore: true,
    });
    const ids = reorderFresh(window.hits, freshness).slice(offset, offset + limit).map((hit) => String(hit.id));
    const shown = { attributesToHighlight, attributesToCrop, cropLength, cropMarker, highlightPreTag, highlightPostTag, attributesToRetrieve };
    const { facets: _facets, distinct: _distinct, filter, ...plain } = rest;
    const docs = ids.length === 0 ? [] : (await search(q, {
      ...plain,
      ...Object.fromEntries(Object.entries(shown).filter(([, v]) => v !== undefined)),
      filter: [...(filter === undefined ? [] : Array.isArray(filter) ? filter : [filter]), anyOf('id', ids)],
      offset: 0,
      limit: ids.length,
    })).hits;
    const byId = new Map(docs.map((hit) => [String(hit.id), hit]));
    const hits = ids.flatMap((id): typeof docs => { const hit = byId.get(id); return hit ? [hit] : []; }); // a document deleted between the two searches is left out
    if (!paged) return { ...window, hits, offset, limit };
    const total = window.totalHits ?? 0;
    return { ...window, hits, page: params.page ?? 1, hitsPerPage: limit, totalPages: Math.ceil(total / limit) };
  };
}
