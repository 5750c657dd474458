import { NotFoundError } from '../core/errors.js';
import type { SimilarArticle, SimilarQuery, SimilarSource, SimilarityReader } from '../similarity/similarity-port.js';

/** Articles like an indexed article; NotFoundError when no article has that id. */
export async function findSimilar(
  deps: { similarity: SimilarityReader },
  id: string,
  query: SimilarQuery,
): Promise<{ source: SimilarSource; hits: SimilarArticle[] }> {
  const found = await deps.similarity.similarTo(id, query);
  if (!found) throw new NotFoundError(`no article has the id "${id}"`);
  return found;
}

/** Articles like a text that is not indexed. */
export function findSimilarToText(
  deps: { similarity: SimilarityReader },
  text: { title?: string | undefined; body: string },
  query: SimilarQuery,
): Promise<SimilarArticle[]> {
  return deps.similarity.similarToText(text.title ?? '', text.body, query);
}
