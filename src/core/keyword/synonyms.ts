import { tokenize } from '../normalize.js';

/** Synonyms in Meilisearch's format: a word or phrase → what a query holding it also finds (one way). */
export type SynonymMap = Readonly<Record<string, readonly string[]>>;

/**
 * News aliases applied to queries when no SYNONYMS_FILE is given: country and body abbreviations with and without
 * dots (the tokenizer reads "U.S." as the two words "u s") and their names. Each direction is listed, as
 * Meilisearch's synonyms are one way. "us" alone finds the United States (a news search box means the country; the
 * pronoun is rarely searched), but "united states" does not find the pronoun.
 */
export const NEWS_SYNONYMS: SynonymMap = {
  'us': ['u.s.', 'united states', 'usa'],
  'u.s.': ['united states', 'usa'],
  'usa': ['u.s.', 'united states'],
  'united states': ['u.s.', 'usa'],
  'uk': ['u.k.', 'united kingdom', 'britain'],
  'u.k.': ['uk', 'united kingdom', 'britain'],
  'united kingdom': ['uk', 'u.k.', 'britain'],
  'britain': ['uk', 'u.k.', 'united kingdom'],
  'un': ['u.n.', 'united nations'],
  'u.n.': ['un', 'united nations'],
  'united nations': ['un', 'u.n.'],
  'eu': ['e.u.', 'european union'],
  'e.u.': ['eu', 'european union'],
  'european union': ['eu', 'e.u.'],
  'imf': ['international monetary fund'],
  'international monetary fund': ['imf'],
  'fed': ['federal reserve'],
  'federal reserve': ['fed'],
  'gdp': ['gross domestic product'],
  'gross domestic product': ['gdp'],
  'opec': ['organization of petroleum exporting countries'],
  'organization of petroleum exporting countries': ['opec'],
};

/** Longest synonym key, in words: a query is scanned for keys up to this long. */
const MAX_KEY_WORDS = 8;

/**
 * Synonyms read as the index reads text: keys and alternatives tokenized (case and accents folded, "U.S." → "u s"),
 * so that a file written for Meilisearch means the same here. Lookup is by the joined words of a query span.
 */
export class Synonyms {
  private readonly byKey = new Map<string, string[][]>();
  readonly longestKey: number;

  constructor(map: SynonymMap) {
    let longest = 0;
    for (const [key, values] of Object.entries(map)) {
      const words = tokenize(key);
      if (words.length === 0 || words.length > MAX_KEY_WORDS) continue;
      longest = Math.max(longest, words.length);
      const joined = words.join(' ');
      const alternatives = this.byKey.get(joined) ?? [];
      for (const value of values) {
        const alt = tokenize(value);
        if (alt.length > 0 && alt.join(' ') !== joined && !alternatives.some((a) => a.join(' ') === alt.join(' '))) alternatives.push(alt);
      }
      this.byKey.set(joined, alternatives);
    }
    this.longestKey = longest;
  }

  /** What the words `words` (a key, as query words) also find, each alternative as its words; empty when none. */
  alternativesOf(words: readonly string[]): readonly (readonly string[])[] {
    return this.byKey.get(words.join(' ')) ?? [];
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** No synonyms. */
export const NO_SYNONYMS = new Synonyms({});
