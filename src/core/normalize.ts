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

/**
 * `"Erdoğan's U.S. visit"` → `["erdogan", "s", "u", "s", "visit"]`; the first `limit` tokens only when given (the
 * tokens past it are not made).
 */
export function tokenize(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const folded = foldText(text);
  if (limit === Number.POSITIVE_INFINITY) return folded.match(TOKEN) ?? [];
  const out: string[] = [];
  if (limit < 1) return out;
  for (const match of folded.matchAll(TOKEN)) {
    out.push(match[0]);
    if (out.length >= limit) break;
  }
  return out;
}
