import type { SimilarityIndex } from '../similarity/similarity-index.js';
import { cosine, idf } from '../similarity/weighting.js';

/**
 * Idf exponent of story cosines: 1, scikit-learn's smoothed idf, not the related list's damped one (0.5). A story
 * is one event, told with its own names and numbers; the damped idf lets the words a kind of article shares
 * (quarterly results: "shr", "net", "revs") chain unrelated reports into one thread (measured: docs/BENCHMARKS.md).
 */
export const STORY_IDF_EXPONENT = 1;

/** A vector weighted for story cosines: sorted term ids, their tf·idf weights, its L2 norm. */
interface StoryVector {
  readonly terms: Int32Array;
  readonly weights: Float64Array;
  readonly norm: number;
}

function weighted(index: SimilarityIndex, doc: number, exponent: number): StoryVector | undefined {
  const vector = index.vectorOf(doc);
  if (!vector) return undefined;
  const weights = new Float64Array(vector.terms.length);
  let sum = 0;
  for (let i = 0; i < vector.terms.length; i++) {
    const w = vector.tfs[i]! * idf(index.liveDocs, index.df[vector.terms[i]!] ?? 0, exponent);
    weights[i] = w;
    sum += w * w;
  }
  return { terms: vector.terms, weights, norm: Math.sqrt(sum) };
}

function dot(a: StoryVector, b: StoryVector): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < a.terms.length && j < b.terms.length) {
    const x = a.terms[i]!;
    const y = b.terms[j]!;
    if (x === y) sum += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

/**
 * What story threads need of an article of the similarity index: its `top` strongest terms (tf·idf with
 * {@link STORY_IDF_EXPONENT}, ties by term id) and its cosine to any other article of the index (the same
 * weighting on both sides; 0 for one not held), under the current document frequencies. Work: one pass over the
 * article's vector; each cosine, one pass over the other's and one merge.
 */
export function storyInput(
  index: SimilarityIndex,
  doc: number,
  top: number,
  exponent = STORY_IDF_EXPONENT,
): { terms: number[]; cosineTo: (other: number | undefined) => number } | undefined {
  const self = weighted(index, doc, exponent);
  if (!self) return undefined;
  const order = Array.from(self.terms.keys());
  order.sort((a, b) => self.weights[b]! - self.weights[a]! || self.terms[a]! - self.terms[b]!);
  const terms = order.slice(0, top).map((i) => self.terms[i]!);
  return {
    terms,
    cosineTo: (other) => {
      const v = other === undefined ? undefined : weighted(index, other, exponent);
      return v ? cosine(dot(self, v), self.norm, v.norm) : 0;
    },
  };
}
