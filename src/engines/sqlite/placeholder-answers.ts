import type { SearchRequest, SearchResult } from '../search-engine.js';

/** Answers kept per process (a page of 20 with its facets is ~10–20 KB). */
export const PLACEHOLDER_ANSWERS = 32;

/**
 * Largest page kept: the API's largest (100). An export reads pages of 500 once each (services/export-search.ts):
 * keeping them would hold megabytes for nothing, and an export's memory is meant to stay flat.
 */
export const KEPT_PAGE_SIZE = 100;

/**
 * Answers to queries without words, kept while the store is unchanged. Such a query is SQL over every article that
 * passes its filters (count, facets, histogram: 240 ms for the search page's first view of Reuters, 740 ms with a
 * place and a daily histogram), and the same few shapes are asked by every visitor (the page's opening view, a
 * category's front). An answer is used again only while `storeVersion` (a number that changes with every commit, by
 * any connection) is the one it was computed at; a caller gets its own copy.
 */
export class PlaceholderAnswers {
  private readonly answers = new Map<string, SearchResult>();
  private version: number | undefined;

  constructor(
    private readonly storeVersion: () => number,
    private readonly capacity = PLACEHOLDER_ANSWERS,
  ) {}

  /** The answer to `request`, computed by `compute` unless held for the store as it is now. */
  answer(request: SearchRequest, compute: () => SearchResult): SearchResult {
    if (request.perPage > KEPT_PAGE_SIZE) return compute();
    const version = this.storeVersion();
    if (version !== this.version) {
      this.answers.clear();
      this.version = version;
    }
    // a query without words is not ordered by freshness: its clock must not split the key
    const key = JSON.stringify({ ...request, freshness: undefined });
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = compute();
      if (this.answers.size >= this.capacity) this.answers.delete(this.answers.keys().next().value!);
    } else {
      this.answers.delete(key); // most recently used last
    }
    this.answers.set(key, answer);
    return structuredClone(answer);
  }
}
