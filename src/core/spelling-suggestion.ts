import type { ParsedQuery, QueryTerm, QueryWord } from './query-parser.js';
import { pairBudget, typoCost } from './typo-index.js';

/**
 * "Showing results for …": the query as the words it matched spell it, when some word matched only through typos
 * (`blunket electon` → `blunkett election`). Both engines use it: the embedded one with the terms its top hit holds
 * (core/keyword/keyword-search.ts), the Meilisearch adapter with the words Meilisearch highlighted in its top hit.
 */

/** A query term as typed again: phrases quoted, words as folded by the parser. */
function termText(term: QueryTerm): string {
  return term.kind === 'phrase' ? `"${term.words.join(' ')}"` : term.text;
}

/**
 * The suggestion for `query` given, for each of its positive terms (same order), the word it matched instead of
 * itself, or undefined when it matched as typed (or matched nothing). Exclusions are kept as `-word` /
 * `-"a phrase"`. Undefined when no word was corrected, so that an answer carries a suggestion only when the
 * results are for words the reader did not type.
 */
export function spellingSuggestion(query: ParsedQuery, corrected: readonly (string | undefined)[]): string | undefined {
  if (!corrected.some((c, i) => c !== undefined && query.terms[i]?.kind === 'word' && c !== termText(query.terms[i]!))) return undefined;
  const positive = query.terms.map((t, i) => (t.kind === 'word' ? (corrected[i] ?? t.text) : termText(t)));
  const negative = query.exclusions.map((t) => `-${termText(t)}`);
  return [...positive, ...negative].join(' ');
}

/** Typos between `word` and `seen` read as its match (the word being typed may match the start of a longer word). */
function costOf(word: QueryWord, seen: string): number {
  const budget = pairBudget(word.text, seen);
  let cost = typoCost(word.text, seen, budget);
  if (!word.prefix) return cost;
  const length = word.text.length;
  for (let cut = Math.max(1, length - budget); cut <= Math.min(seen.length, length + budget); cut++) {
    cost = Math.min(cost, typoCost(word.text, seen.slice(0, cut), budget));
  }
  return cost > budget ? Infinity : cost;
}

/**
 * The word among `seen` (folded words a hit matched, e.g. those an engine highlighted) that `word` matched through
 * typos: undefined when `seen` holds the word as typed (or, for the word being typed, a word it starts), or no word
 * within its typo budget ({@link pairBudget}, {@link typoCost}). Among several, the fewest typos, then the word
 * seen most often, then the first in alphabetical order (deterministic).
 */
export function correctionAmong(word: QueryWord, seen: readonly string[]): string | undefined {
  if (seen.some((s) => s === word.text || (word.prefix && s.startsWith(word.text)))) return undefined;
  const counts = new Map<string, number>();
  for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
  let best: { word: string; cost: number; count: number } | undefined;
  for (const [s, count] of counts) {
    const cost = costOf(word, s);
    if (cost === Infinity || cost > pairBudget(word.text, s)) continue;
    if (!best || cost < best.cost || (cost === best.cost && (count > best.count || (count === best.count && s < best.word)))) {
      best = { word: s, cost, count };
    }
  }
  return best?.word;
}
