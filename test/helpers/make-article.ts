import type { Article, ArticleInput } from '../../src/core/article.js';
import { articleInputSchema, toArticle } from '../../src/core/article.js';
import type { SearchRequest } from '../../src/engines/search-engine.js';

let built = 0;

/**
 * A valid {@link Article} for tests: the overrides on top of a neutral title and body, passed through the same
 * schema the indexer uses (so dates come out as ISO 8601 UTC with milliseconds, tags de-duplicated, empty optional
 * fields dropped). Each call without an `id` override gets a new id (`test-1`, `test-2`, …, unique within a test
 * file). The default words ("placeholder", "headline", "text") are chosen not to collide with test queries.
 *
 * @throws ZodError when the overrides break an article rule — a test fixture mistake, not a product failure.
 */
export function makeArticle(overrides: Partial<ArticleInput> = {}): Article {
  built += 1;
  return toArticle(
    articleInputSchema.parse({
      id: `test-${built}`,
      title: 'Placeholder headline',
      body: 'Placeholder text.',
      ...overrides,
    }),
  );
}

/**
 * A complete {@link SearchRequest}: the empty query, page 1 of 20, by relevance, `last` match strategy, no filters
 * and no facets, with the overrides on top.
 */
export function searchRequest(overrides: Partial<SearchRequest> = {}): SearchRequest {
  return {
    q: '',
    page: 1,
    perPage: 20,
    sort: 'relevance',
    match: 'last',
    filters: {},
    facets: [],
    ...overrides,
  };
}
