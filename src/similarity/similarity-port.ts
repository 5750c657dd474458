import type { Article } from '../core/article.js';
import type { SimilarHit, SimilarOptions } from '../core/similarity/find-similar.js';
import type { SignificantValue } from '../core/trends/significance.js';

/** A similar article as services return it: the score and what a widget shows. */
export interface SimilarArticle extends Omit<SimilarHit, 'key'> {
  readonly title: string;
  readonly url?: string | undefined;
  readonly publishedAt?: string | undefined;
  readonly category?: string | undefined;
  readonly source?: string | undefined;
}

/** Query options as services pass them (the source is excluded by the reader). */
export type SimilarQuery = Omit<SimilarOptions, 'excludeDoc'> & {
  /** Restrict to the source article's own category. */
  readonly sameCategory?: boolean;
};

/** The source article of a similarity query, as the index knows it. */
export interface SimilarSource {
  readonly id: string;
  readonly title: string;
  readonly category?: string | undefined;
}

/** What services need to read from the similarity index. */
export interface SimilarityReader {
  /** Articles like the indexed article `id`; undefined when no article has that id. */
  similarTo(id: string, query: SimilarQuery): Promise<{ source: SimilarSource; hits: SimilarArticle[] } | undefined>;
  /** Articles like a text that is not indexed. */
  similarToText(title: string, body: string, query: SimilarQuery): Promise<SimilarArticle[]>;
  /** A number that changes whenever the index does (answer caches, readiness). */
  generation(): Promise<number>;
  /** The `limit` words most unusually frequent in the indexed articles `ids` against the whole index (JLH). */
  significantTerms(ids: readonly string[], limit: number): Promise<SignificantTerms>;
}

/**
 * Significant words of a sample: `sampled` of the ids asked were indexed, `corpus` articles are; each word with its
 * JLH score (core/trends/significance.ts), the sampled articles holding it and the indexed articles holding it.
 */
export interface SignificantTerms {
  readonly sampled: number;
  readonly corpus: number;
  readonly terms: readonly SignificantValue[];
}

/** What ingestion needs to write to the similarity index. */
export interface SimilarityWriter {
  upsert(articles: readonly Article[]): { indexed: number; unchanged: number };
  /** Removes articles by id; returns how many it held. */
  delete(ids: readonly string[]): number;
  /** Removes every article (an indexer `--reset`); returns how many it held. */
  clear(): number;
}
