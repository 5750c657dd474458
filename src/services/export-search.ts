import type { Article } from '../core/article.js';
import type { SearchEngine, WholeSearch } from '../engines/search-engine.js';
import { prepareSearch } from './prepare-search.js';
import type { PrepareDeps } from './prepare-search.js';

/** Results read per step of an export (articles read by key, or a Meilisearch page). */
export const EXPORT_PAGE = 500;

/** One exported result: its rank in the result order (1 = best) and the article without its body. */
export interface ExportRow {
  readonly rank: number;
  readonly article: Omit<Article, 'body'>;
}

/**
 * Every result of a search, prepared as the paged search is (services/prepare-search.ts: entity filters resolved,
 * the entities the query names ranked first), in result order (the API's pages laid end to end, not capped by its
 * page window), {@link EXPORT_PAGE} at a time, so memory stays flat whatever the total. The order is taken once
 * (SearchEngine.allResults): on the embedded engine the query is ranked once, whatever the number of results, and
 * the articles are read by key; an article deleted after that is skipped (ranks stay consecutive), one changed is
 * exported as it is when its batch is read, one added is not exported. With Meilisearch, which ranks by itself, a
 * write between two pages may shift later results (no snapshot is held). The event loop is let go between steps, so
 * an export never holds a process for long. The preparation runs at the first step, so a request it refuses (an
 * ambiguous entity filter) fails there, before any row (http/export-response.ts reads one before sending a byte).
 * `abandoned`: see SearchEngine.allResults.
 */
export async function* exportSearch(
  deps: PrepareDeps & { engine: SearchEngine },
  request: WholeSearch,
  abandoned?: () => boolean,
): AsyncGenerator<ExportRow> {
  const { request: asked } = await prepareSearch(deps, request);
  let rank = 0;
  for await (const articles of deps.engine.allResults(asked, EXPORT_PAGE, abandoned)) {
    for (const article of articles) yield { rank: ++rank, article };
  }
}
