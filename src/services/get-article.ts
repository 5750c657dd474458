import type { Article } from '../core/article.js';
import { NotFoundError } from '../core/errors.js';
import type { SearchEngine } from '../engines/search-engine.js';

/** One article by id; NotFoundError when there is none. */
export async function getArticle(deps: { engine: SearchEngine }, id: string): Promise<Article> {
  const article = await deps.engine.get(id);
  if (!article) throw new NotFoundError(`no article has the id "${id}"`);
  return article;
}
