import type { Article } from '../core/article.js';
import type { SearchEngine, SearchRequest } from '../engines/search-engine.js';

/** Results read per engine call while exporting. */
export const EXPORT_PAGE = 500;

/** One exported result: its rank in the result order (1 = best) and the article without its body. */
export interface ExportRow {
  readonly rank: number;
  readonly article: Omit<Article, 'body'>;
}

/**
 * Every result of a search, in result order, a page at a time (so memory stays flat whatever the total): not
 * capped by the API's page window. A write between two pages may shift later results (no snapshot is held). Each
 * page is one engine call; the event loop is let go between pages, so an export never holds a process for long.
 */
export async function* exportSearch(deps: { engine: SearchEngine }, request: Omit<SearchRequest, 'page' | 'perPage'>): AsyncGenerator<ExportRow> {
  let rank = 0;
  for (let page = 1; ; page++) {
    const result = await deps.engine.search({ ...request, page, perPage: EXPORT_PAGE, facets: [] });
    for (const hit of result.hits) {
      const { body: _body, ...article } = hit.article;
      yield { rank: ++rank, article };
    }
    if (result.hits.length < EXPORT_PAGE || rank >= result.totalHits) return;
    await new Promise((resolve) => setImmediate(resolve)); // other requests run between pages
  }
}
