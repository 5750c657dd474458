import type { Article } from '../../src/core/article.js';
import { MAX_DOC_FREQ } from '../../src/core/similarity/find-similar.js';
import { makeArticle } from './make-article.js';

/**
 * Unrelated filler articles (`filler-0`, `filler-1`, …), each with words of its own ("gravel7", "quarry7"), so that
 * a corpus is big enough for words shared by a few articles to gather "more like this" candidates (terms held by
 * more than MAX_DOC_FREQ of the corpus never do, and the fillers share nothing with the fixtures' stories).
 */
export function fillerArticles(n: number): Article[] {
  return Array.from({ length: n }, (_, i) =>
    makeArticle({
      id: `filler-${i}`,
      title: `Quarry${i} ledger`,
      body: `Gravel${i} tonnage and sandpit${i} audit.`,
      publishedAt: '2025-06-01T00:00:00Z',
      category: 'industry',
      source: 'Quarry Gazette',
    }),
  );
}

/** How many fillers make a word held by `df` articles (of `stories` stories) count for candidates. */
export const fillersFor = (df: number, stories: number): number => Math.max(0, Math.ceil(df / MAX_DOC_FREQ) + 1 - stories);
