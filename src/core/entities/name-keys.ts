import { tokenize } from '../normalize.js';
import type { EntityKind } from './gazetteer.js';
import { TITLE_WORDS } from './lexicon.js';

/**
 * The folded form of a name as filters compare it: case, accents and punctuation folded, words joined by one space
 * (`"Erdoğan, R.T."` → `"erdogan r t"`). An empty string when the name has no letter or digit.
 */
export function foldedName(text: string): string {
  return tokenize(text).join(' ');
}

/**
 * The shorter names a stored entity may be asked by, folded (see {@link foldedName}), its full name excluded.
 * People of two words or more: the surname (last word: `"Sergei Lavrov"` → `"lavrov"`); of three or more, also the
 * last two words and the first and last word (`"Jose Maria Aznar"` → `"aznar"`, `"maria aznar"`, `"jose aznar"`).
 * Single letters (initials) are never a key. Organisations and places: none (their aliases come from the gazetteer).
 */
export function shortNameKeys(kind: EntityKind, name: string): string[] {
  if (kind !== 'people') return [];
  const words = tokenize(name);
  if (words.length < 2) return [];
  const last = words[words.length - 1]!;
  if (last.length < 2) return [];
  const keys = new Set<string>([last]);
  if (words.length >= 3) {
    keys.add(`${words[words.length - 2]} ${last}`);
    keys.add(`${words[0]} ${last}`);
  }
  keys.delete(words.join(' '));
  return [...keys];
}

/** The title words of lexicon.ts, folded as typed names are (tokenize: lower case, no accents; "vice-president" → two words). */
const FOLDED_TITLE_WORDS: ReadonlySet<string> = new Set([...TITLE_WORDS].flatMap((t) => tokenize(t)));

/**
 * A typed person's name without the titles before it ("king fahd" → "fahd", "president ronald reagan" →
 * "ronald reagan"): what the entity store holds when news text named the person by title. Folded words in, folded
 * words out; the last word always stays. The words as given when none is a title.
 */
export function withoutTitles(words: readonly string[]): readonly string[] {
  let first = 0;
  while (first < words.length - 1 && FOLDED_TITLE_WORDS.has(words[first]!)) first++;
  return first === 0 ? words : words.slice(first);
}
