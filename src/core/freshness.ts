/** Recency asked of a ranking: an article `halfLifeDays` old counts half. `now` is the wall clock in ms. */
export interface Freshness {
  readonly halfLifeDays: number;
  readonly now: number;
}

const DAY_MS = 86_400_000;

/**
 * The log of the factor a score is multiplied by for an article published at `dateMs`: the factor is
 * 0.5^(age / half-life), exponential decay as Elasticsearch's `exp` decay function with `decay: 0.5` at `scale` =
 * the half-life. An undated article (NaN) is not decayed (0); one dated in the future counts as published now.
 * Rankings compare log(score) + this rather than score × factor, the same order, because the factor underflows to 0
 * for articles over ~1,074 half-lives old (20 years at a 7-day half-life), and an archive's matches would all tie.
 */
export function freshnessLogDecay(dateMs: number, freshness: Freshness): number {
  if (Number.isNaN(dateMs)) return 0;
  const ageDays = Math.max(0, (freshness.now - dateMs) / DAY_MS);
  return -Math.LN2 * (ageDays / freshness.halfLifeDays);
}
