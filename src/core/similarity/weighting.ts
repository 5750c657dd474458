/**
 * The TF-IDF weighting of "more like this": scikit-learn's TfidfVectorizer(sublinear_tf=True), with the idf damped
 * by an exponent:
 *
 * - term frequency, sublinear: tf(c) = 1 + ln(c) for a count c > 0 (title occurrences count double, see analyzer.ts);
 * - inverse document frequency, smoothed: idf(t) = (ln((1 + N) / (1 + df(t))) + 1)^e, with N the number of live
 *   articles and df(t) the number holding t — a term unknown to the corpus (df 0) gets the largest idf. e = 1 is
 *   scikit-learn's idf exactly; the default e = 0.5 (its square root, SIMILARITY_IDF_EXPONENT) keeps the words a
 *   kind of story shares (earnings, takeovers, a sport) from being drowned by the rare names of one article.
 *   Measured with ../shared/peers/mlt_quality.py on the peers' 300 sources, it raised topic precision@10 on Reuters
 *   and category precision@10 on BBC above exact scikit-learn's (figures: docs/BENCHMARKS.md);
 * - an article's vector: w(t) = tf(c_t) · idf(t), divided by its L2 norm sqrt(Σ w²);
 * - similarity: the cosine of two vectors, Σ_t w₁(t)·w₂(t) / (‖w₁‖·‖w₂‖), in [0, 1] since weights are positive;
 *   an empty vector (no term survives analysis) has norm 0 and similarity 0 with everything, never NaN.
 *
 * Counts are stored, weights are not: idf is applied when a query runs, so a growing corpus never leaves stale
 * weights behind. Norms depend on idf; see SimilarityIndex for how they follow the corpus.
 */
export const tf = (count: number): number => (count > 0 ? 1 + Math.log(count) : 0);

/** The default idf exponent e (see above); 1 gives scikit-learn's smoothed idf. */
export const DEFAULT_IDF_EXPONENT = 0.5;

export const idf = (n: number, df: number, exponent = DEFAULT_IDF_EXPONENT): number => {
  const smoothed = Math.log((1 + n) / (1 + df)) + 1;
  return exponent === 1 ? smoothed : exponent === 0.5 ? Math.sqrt(smoothed) : smoothed ** exponent;
};

/** Cosine from a dot product and two norms; 0 when either vector is empty. */
export const cosine = (dot: number, normA: number, normB: number): number =>
  normA > 0 && normB > 0 ? Math.min(1, Math.max(0, dot / (normA * normB))) : 0;
