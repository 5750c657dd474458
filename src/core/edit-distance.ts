/** The matrix rows of {@link boundedDamerau}, grown as needed and reused (one call at a time per thread). */
let rows = new Int32Array(3 * 64);

/**
 * Damerau-Levenshtein distance in its optimal-string-alignment form (an adjacent swap costs 1, as in Meilisearch),
 * computed over UTF-16 code units, stopping early once the distance must exceed `max`.
 *
 * @returns the distance when it is at most `max`, otherwise `max + 1`.
 */
export function boundedDamerau(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.min(Math.max(la, lb), max + 1);
  if (rows.length < 3 * (lb + 1)) rows = new Int32Array(6 * (lb + 1));
  // three rows of the matrix (i - 2, i - 1, i) in one scratch array, rotated by offset: no allocation per call
  const width = lb + 1;
  let prev2 = 0;
  let prev = width;
  let cur = 2 * width;
  for (let j = 0; j <= lb; j++) rows[prev + j] = j;
  for (let i = 1; i <= la; i++) {
    rows[cur] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min(rows[prev + j]! + 1, rows[cur + j - 1]! + 1, rows[prev + j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, rows[prev2 + j - 2]! + 1);
      rows[cur + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const oldest = prev2;
    prev2 = prev;
    prev = cur;
    cur = oldest;
  }
  return Math.min(rows[prev + lb]!, max + 1);
}
