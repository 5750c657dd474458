import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DEFAULT_TITLE_WEIGHT, TermCounter, textPieces } from '../core/similarity/analyzer.js';

/**
 * Characters analysed at a time: ~2,000 characters take a few milliseconds even when every word is new to the stem
 * cache (natural's Porter stemmer, ~10 µs a word), so a 200,000-character text (the most `POST /api/similar`
 * takes) holds its process for short turns instead of one of 130–370 ms.
 */
export const PIECE_CHARS = 2_000;

/**
 * Pieces are analysed until this many milliseconds have gone by, then the event loop turns: a text of words whose
 * stems are known (`"oil " × 50,000`: ~0.1 ms a piece) takes a few turns instead of 100, each of which waited for
 * the other requests' work in the process (bench:attack: up to 2 s beside two exports).
 */
export const TURN_MS = 2;

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
 * time with a turn of the event loop once {@link TURN_MS} have gone by on `clock`, so that the requests beside it in
 * this process are not held for the whole text. Equal to `termCounts(title, body)`.
 */
export async function termCountsInTurns(title: string, body: string, clock: () => number = () => performance.now()): Promise<TermCountList> {
  const counter = new TermCounter();
  const texts: [string, number][] = [[title, DEFAULT_TITLE_WEIGHT], [body, 1]];
  let turnStart = clock();
  for (const [text, weight] of texts) {
    for (const piece of textPieces(text, PIECE_CHARS)) {
      if (clock() - turnStart >= TURN_MS) {
        await nextTurn();
        turnStart = clock();
      }
      counter.add(piece, weight);
    }
  }
  return { terms: [...counter.counts.keys()].join(' '), counts: [...counter.counts.values()].map((c) => c.count) };
}
