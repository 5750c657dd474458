/**
 * What stands out in a set of matches against the whole corpus: Elasticsearch's `significant_terms` with its
 * default heuristic, JLH. For a value held by `fg` of the `fgTotal` sampled matches and by `bg` of the `bgTotal`
 * articles of the corpus (the matches included), with p = fg / fgTotal and q = bg / bgTotal:
 *
 *     JLH = (p − q) · (p / q)      when p > q, else 0 (not unusually frequent)
 *
 * The absolute change (p − q) favours common values, the relative change (p / q) rare ones; their product ranks
 * values that are both frequent in the matches and much more frequent there than in the corpus. A word that almost
 * every article holds ("said" in a newswire) has p ≈ q and scores near 0. As Elasticsearch does, values held by
 * fewer than {@link MIN_SIGNIFICANT_COUNT} sampled matches are left out (a value seen once in a rare word would
 * otherwise win on p / q alone).
 */

/** Fewest sampled matches a value must be found in (Elasticsearch's `min_doc_count` default). */
export const MIN_SIGNIFICANT_COUNT = 3;

/** One significant value: its JLH score (≥ 0, unbounded), matches of the sample holding it, corpus articles holding it. */
export interface SignificantValue {
  readonly value: string;
  readonly score: number;
  readonly count: number;
  readonly background: number;
}

/** The JLH score of a value (see the module comment); 0 when it is not more frequent in the sample than in the corpus. */
export function jlh(fg: number, fgTotal: number, bg: number, bgTotal: number): number {
  if (fgTotal <= 0 || bgTotal <= 0 || bg <= 0) return 0;
  const p = fg / fgTotal;
  const q = Math.min(1, bg / bgTotal);
  return p > q ? (p - q) * (p / q) : 0;
}

/** How to rank the values of one kind. */
export interface SignificanceInput {
  /** Value → sampled matches holding it. */
  readonly counts: ReadonlyMap<string, number>;
  /** Corpus articles holding a value (at least its sample count: the sample is part of the corpus). */
  readonly background: (value: string) => number;
  /** Matches sampled. */
  readonly sampled: number;
  /** Articles in the corpus. */
  readonly corpus: number;
  /** Most values returned. */
  readonly limit: number;
  /** Fewest sampled matches (default {@link MIN_SIGNIFICANT_COUNT}). */
  readonly minCount?: number;
}

/** The `limit` most significant values, best first (ties: more matches, then value); only positive scores. */
export function significantValues(input: SignificanceInput): SignificantValue[] {
  const minCount = input.minCount ?? MIN_SIGNIFICANT_COUNT;
  const out: SignificantValue[] = [];
  for (const [value, count] of input.counts) {
    if (count < minCount) continue;
    const background = Math.max(count, input.background(value));
    const score = jlh(count, input.sampled, background, Math.max(input.corpus, input.sampled));
    if (score > 0) out.push({ value, score: Math.round(score * 1e6) / 1e6, count, background });
  }
  out.sort((a, b) => b.score - a.score || b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return out.slice(0, input.limit);
}
