import { Router } from 'express';
import type { Article } from '../core/article.js';
import type { SearchHit } from '../engines/search-engine.js';
import { getArticle } from '../services/get-article.js';
import { exportSearch } from '../services/export-search.js';
import { searchArticles } from '../services/search-articles.js';
import { ExportSlots, sendExport } from './export-response.js';
import type { AppDeps } from './app-deps.js';
import { searchQuerySchema, toSearchRequest } from './search-query.js';
import { parseInput } from './validate.js';

/**
 * A hit as the API returns it: the article's fields without its body and entity salience, the highlights, and with
 * collapse the copies it stands for (`copies`, `copyIds`).
 */
function presentHit(hit: SearchHit): Omit<Article, 'body' | 'salience'> & { highlight: SearchHit['highlight']; copies?: number; copyIds?: readonly string[] } {
  const { body: _body, salience: _salience, ...rest } = hit.article;
  return { ...rest, highlight: hit.highlight, ...(hit.copies ? { copies: hit.copies.count, copyIds: hit.copies.ids } : {}) };
}

/** `GET /api/search` and `GET /api/articles/:id`. */
export function searchRoutes(deps: AppDeps): Router {
  const router = Router();
  const exports = new ExportSlots();
  router.get('/api/search', async (req, res) => {
    const params = parseInput(searchQuerySchema, req.query, 'search parameters');
    const format = params.format;
    if (format !== 'json') {
      const { page: _page, perPage: _perPage, facets: _facets, histogram: _histogram, ...request } = toSearchRequest(params, deps.clock());
      // prepared (entity filters, named entities) as searchArticles prepares a page, at the first row: before any byte
      await exports.run(res, () => sendExport(res, (abandoned) => exportSearch(deps, request, abandoned), { format, now: deps.now }));
      return;
    }
    const request = toSearchRequest(params, deps.clock());
    const result = await searchArticles(deps, request, { significant: params.significant ?? [] });
    deps.analytics?.searched(request, result); // queued: written off the request path (src/analytics/recorder.ts)
    const { histogram, ...rest } = result;
    const trend = histogram ? { histogram: histogram.buckets, undated: histogram.undated } : {};
    res.json({ ...rest, hits: result.hits.map(presentHit), ...trend });
  });
  router.get('/api/articles/:id', async (req, res) => {
    res.json(await getArticle(deps, req.params.id));
  });
  return router;
}
