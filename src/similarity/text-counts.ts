import { setImmediate as nextTurn } from 'node:timers/promises';
import { DEFAULT_TITLE_WEIGHT, TermCounter, textPieces } from '../core/similarity/analyzer.js';

/**
 * Characters analysed per turn of the event loop: ~2,000 characters take a few milliseconds even when every word
 * is new to the stem cache (natural's Porter stemmer, ~10 µs a word), so a 200,000-character text (the most
 * `POST /api/similar` takes) holds its process for ~100 short turns instead of one of 130–370 ms.
 */
export const PIECE_CHARS = 2_000;

/**
 * A text's term counts as they cross to the index host, in first-seen order (see analyzer.ts termCounts): the terms
 * joined by single spaces (no term holds whitespace) and their counts in the same order. One string and one array
 * of numbers parse several times faster than an array of pairs (25,000 terms: ~350 KB either way).
 */
export interface TermCountList {
  readonly terms: string;
  readonly counts: readonly number[];
}

/** The (term, count) pairs of a list; throws when its terms and counts do not pair up. */
export function termCountPairs(list: TermCountList): [term: string, count: number][] {
  const terms = list.terms === '' ? [] : list.terms.split(' ');
  if (terms.length !== list.counts.length) throw new Error(`term counts: ${terms.length} terms for ${list.counts.length} counts`);
  return terms.map((term, i) => [term, list.counts[i]!]);
}

/**
 * The term counts of a text that is not indexed (title weighted as in termCounts), analysed {@link PIECE_CHARS} at a
 * time with a turn of the event loop between pieces, so that the requests beside it in this process are not held
 * for the whole text. Equal to `termCounts(title, body)`.
 */
export async function termCountsInTurns(title: string, body: string): Promise<TermCountList> {
  const counter = new TermCounter();
  const texts: [string, number][] = [[title, DEFAULT_TITLE_WEIGHT], [body, 1]];
  for (const [text, weight] of texts) {
    const pieces = textPieces(text, PIECE_CHARS);
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) await nextTurn();
      counter.add(pieces[i]!, weight);
    }
  }
  return { terms: [...counter.counts.keys()].join(' '), counts: [...counter.counts.values()].map((c) => c.count) };
}
