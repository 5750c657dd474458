/**
 * Keyword-search text analysis, the same at index time (SQLite's `unicode61 remove_diacritics 2` tokenizer) and at
 * query time (this module): NFKD, combining marks removed, lower case, tokens are maximal runs of letters and digits.
 * No stemming and no stop words: like Meilisearch, keyword search matches surface words and relies on typo tolerance
 * and prefixes; the TF-IDF similarity index has its own analyzer.
 */
const MARKS = /\p{M}+/gu;
const TOKEN = /[\p{L}\p{N}]+/gu;

/** `"Erdoğan's U.S."` → `"erdogan's u.s."`: case and diacritics folded, everything else kept. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** `"Erdoğan's U.S. visit"` → `["erdogan", "s", "u", "s", "visit"]`. */
export function tokenize(text: string): string[] {
  return foldText(text).match(TOKEN) ?? [];
}
