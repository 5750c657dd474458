import type { Article } from '../../core/article.js';

/**
 * An article as stored in Meilisearch: its fields, with `publishedAt` as a number (ms since the epoch, so that it
 * can be range-filtered and sorted) and `contentHash` (see core contentHash) so that unchanged articles are skipped.
 */
export interface MeiliDocument extends Omit<Article, 'publishedAt'> {
  readonly publishedAt?: number;
  readonly contentHash: string;
}

/** Fields the adapter stores but an article does not have. */
const INTERNAL_FIELDS = new Set(['contentHash', '_formatted', '_rankingScore', '_matchesPosition']);

/** The document for an article and its content hash. */
export function toDocument(article: Article, hash: string): MeiliDocument {
  const { publishedAt, ...rest } = article;
  return { ...rest, ...(publishedAt === undefined ? {} : { publishedAt: Date.parse(publishedAt) }), contentHash: hash };
}

/**
 * The article a stored document holds (or a search hit, whose `_formatted` and other `_` fields are dropped):
 * `publishedAt` back to ISO 8601 UTC with milliseconds, exactly as the article was validated.
 */
export function fromDocument(doc: Record<string, unknown>): Article {
  const entries = Object.entries(doc).filter(([key, value]) => !INTERNAL_FIELDS.has(key) && value !== null);
  const article = Object.fromEntries(entries) as Record<string, unknown>;
  if (typeof article.publishedAt === 'number') article.publishedAt = new Date(article.publishedAt).toISOString();
  return article as unknown as Article;
}
