import NounInflector from 'natural/lib/natural/inflectors/noun_inflector.js';

const nouns = new NounInflector();

/** Shortest word folded, and shortest form kept: "us" must not become "u", nor "gas" "ga". */
const MIN_LENGTH = 3;

/**
 * The English singular and plural of a query word (natural's NounInflector: "tax" ↔ "taxes", "policy" ↔
 * "policies", "crisis" → "crises", "person" ↔ "people"), other than the word itself. The caller keeps only the
 * forms its vocabulary holds, which also drops the inflector's wrong guesses for words that are no nouns.
 */
export function inflectionsOf(word: string): string[] {
  if (word.length < MIN_LENGTH || !/^[a-z]+$/.test(word)) return [];
  const forms = new Set([nouns.pluralize(word), nouns.singularize(word)]);
  forms.delete(word);
  return [...forms].filter((f) => f.length >= MIN_LENGTH && /^[a-z]+$/.test(f));
}
