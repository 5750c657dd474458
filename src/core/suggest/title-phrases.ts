import { words as naturalStopWords } from 'natural/lib/natural/util/stopwords.js';

/** Words a phrase may not start or end with (natural's English stop words, plus newswire's reporting verbs). */
const EDGE_WORDS = new Set([...naturalStopWords, 'says', 'said', 'say', 'new', 'vs', 'v']);
/** Where a phrase may not run across: punctuation that ends a clause in a headline. */
const CLAUSE = /[,.;:!?()[\]{}"“”‘’«»|/]|\s[-–—]\s/u;
/** A surface word: letters and digits, with an inner apostrophe or hyphen kept (`Orsk's`, `Nine-Year`). */
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/**
 * The phrases of 2 and 3 words a title holds, as it writes them, each once: within a clause, neither starting nor
 * ending with a stop word (`"of the"`, `"says"`), not made only of figures. `"Halvorsen Wins Duskland Election,
 * Ending Orsk's Rule"` → `Halvorsen Wins`, `Halvorsen Wins Duskland`, `Wins Duskland`, …, `Orsk's Rule`.
 */
export function titlePhrases(title: string): string[] {
  const out = new Set<string>();
  for (const clause of title.split(CLAUSE)) {
    const words = clause.match(WORD) ?? [];
    for (let n = 2; n <= 3; n++) {
      for (let i = 0; i + n <= words.length; i++) {
        const span = words.slice(i, i + n);
        const edge = (w: string) => EDGE_WORDS.has(w.toLowerCase()) || w.length < 2;
        if (edge(span[0]!) || edge(span[n - 1]!) || span.every((w) => /^\d+$/u.test(w))) continue;
        out.add(span.join(' '));
      }
    }
  }
  return [...out];
}
