import { parseQuery } from '../../core/query-parser.js';
import type { SearchRequest, SearchResult } from '../search-engine.js';
import { anyOf, noneOf } from './filter-expression.js';
import type { Search } from './fresh-first.js';
import { toSearchParams, toSearchResult } from './search-translation.js';


const ENTITY_FIELDS = ['people', 'orgs', 'places'] as const;

/**
 * The `kind:name` keys whose articles should come first, when the request asks for that order: the entities a query
 * names (`about`), or, for a query with no words, the entities it filters on. Undefined for date sorts and for
 * requests without entities, which Meilisearch answers in one search.
 */
export function aboutFirstKeys(request: SearchRequest): string[] | undefined {
  if (request.sort !== 'relevance') return undefined;
  const named = (request.about ?? []).map((e) => `${e.kind}:${e.name}`);
  const filtered = parseQuery(request.q).terms.length === 0
    ? ENTITY_FIELDS.flatMap((kind) => (request.filters[kind] ?? []).map((name) => `${kind}:${name}`))
    : [];
  const keys = named.length > 0 ? named : filtered;
  return keys.length > 0 ? keys : undefined;
}

/**
 * Meilisearch cannot order by an entity's salience, so this answers in two parts: the matches about the entities
 * (the documents' `about` field, see core/entities/about.ts), then the other matches, each part in Meilisearch's
 * own order (words, typos, proximity…, then newest). One round trip asks, in parallel, for the page of the first
 * part (with its exact size) and for the total and facets of every match; a second one, only when the page runs
 * past the first part, fetches the rest of the page from the second.
 */
export async function searchAboutFirst(request: SearchRequest, keys: readonly string[], search: Search): Promise<SearchResult> {
  const { q, facets, page: _page, hitsPerPage: _perPage, filter, ...shared } = toSearchParams(request);
  const about = anyOf('about', keys);
  const and = (clause: string) => (filter === undefined ? clause : `${filter as string} AND ${clause}`);
  const [first, all] = await Promise.all([
    search(q, { ...shared, filter: and(about), page: request.page, hitsPerPage: request.perPage }),
    // every match: the same words and strategy as the parts, no hits
    search(q, {
      matchingStrategy: shared.matchingStrategy,
      ...(filter === undefined ? {} : { filter }),
      ...(facets === undefined ? {} : { facets }),
      page: 1,
      hitsPerPage: 0,
    }),
  ]);
  const hits = [...first.hits];
  const offset = (request.page - 1) * request.perPage;
  const total = all.totalHits ?? 0;
  if (hits.length < request.perPage && offset + hits.length < total) {
    const rest = await search(q, {
      ...shared,
      filter: and(noneOf('about', keys)),
      offset: Math.max(0, offset - (first.totalHits ?? 0)),
      limit: request.perPage - hits.length,
    });
    hits.push(...rest.hits);
  }
  return toSearchResult(request, { ...all, hits, totalHits: total, totalPages: Math.ceil(total / request.perPage) });
}
