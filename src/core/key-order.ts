/**
 * An export's order as store keys, with a check of the article each key stood for when the order was taken.
 *
 * A store key (`articles.pk`, an SQLite rowid without AUTOINCREMENT) is reused: once the highest key's article is
 * deleted (or every article, by a reset), the next article added gets that key. An order read by key long after it
 * was taken (an export of a million rows) could then return an article added since, which does not match, at a
 * deleted one's rank. The reader compares each row's id with the key's check and drops a row whose id differs.
 */
export interface KeyOrder {
  /** Store keys, in result order. */
  readonly keys: Int32Array;
  /** Per key (same index), {@link idCheck} of the article id the key stood for when the order was taken. */
  readonly checks: Int32Array;
}

/**
 * A 32-bit check of an article id: FNV-1a over its UTF-16 code units, as a signed 32-bit integer (what an
 * Int32Array holds). Two different ids give the same check with probability 2⁻³² (a reused key whose new article's
 * check equals the deleted one's is read as the deleted one was: about once in four billion reuses).
 */
export function idCheck(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash | 0;
}
