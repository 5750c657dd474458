/**
 * Bursts in an entity's mentions: Kleinberg's two-state automaton for batched arrivals (J. Kleinberg, "Bursty and
 * Hierarchical Structure in Streams", KDD 2002, §4 "enumerating bursts" over batches of documents). The stream is cut
 * into `n` batches (days or weeks); in batch t, `d_t` of the `r_t` articles of the corpus name the entity. The
 * entity's own baseline is its share of the corpus over the whole series, p₀ = Σd / Σr; the bursty state expects
 * p₁ = s · p₀ (capped at {@link MAX_BURST_RATE}). The cost of a batch in state i is its binomial negative
 * log-likelihood, the binomial coefficient dropped (the same in both states):
 *
 *     σᵢ(t) = −[ d_t · ln pᵢ + (r_t − d_t) · ln(1 − pᵢ) ]
 *
 * Entering the bursty state costs γ · ln n; leaving it is free. The cheapest state sequence (Viterbi, starting in
 * the base state) is found in O(n); each maximal run of batches in the bursty state is a burst, with Kleinberg's
 * weight Σ (σ₀(t) − σ₁(t)) over its batches: how much better the bursty rate explains them (≥ 0, in nats).
 * One departure from the paper: after a gap of more than {@link MAX_GAP_DAYS} days without any batch (a hole in
 * the collection, such as Reuters-21578's May and July–September 1987), the automaton starts again in the base
 * state, so that a burst never spans months the corpus does not cover.
 *
 * Why this method: it compares each batch with the entity's own rate *and* with the corpus's volume that day (a
 * busy news day or a newswire's quiet weekend is no burst), and γ · ln n asks a longer series for more evidence
 * before it calls a burst, so a single extra mention is never one. Defaults s = 2, γ = 1 are the paper's and the
 * usual implementations' (R `bursts`, Python `burst_detection`).
 */

/** Longest run of days without a batch that a burst may span; after a longer gap the automaton starts again. */
export const MAX_GAP_DAYS = 7;

/** The bursty rate's cap: with p₁ ≥ 1 a batch where one article does not name the entity could not be bursty. */
export const MAX_BURST_RATE = 0.9999;

/** One batch of the series: its first and last day (ISO `YYYY-MM-DD`, inclusive), mentions and corpus articles. */
export interface BurstBatch {
  readonly start: string;
  readonly end: string;
  /** Articles of the batch that name the entity (d_t, ≥ 0). */
  readonly count: number;
  /** Articles of the batch in the corpus (r_t ≥ d_t; a smaller value is read as d_t). */
  readonly total: number;
}

/** The automaton's parameters. */
export interface BurstOptions {
  /** Ratio of the bursty rate to the base rate, s > 1 (default 2). */
  readonly s?: number;
  /** Cost of entering the bursty state, in units of ln n, γ > 0 (default 1). */
  readonly gamma?: number;
}

/** A burst: a maximal run of batches in the bursty state. */
export interface Burst {
  /** First day of its first batch (ISO date). */
  readonly start: string;
  /** Last day of its last batch (ISO date, inclusive). */
  readonly end: string;
  /** Start of its batch with the most mentions (the earliest of equals). */
  readonly peak: string;
  /** Mentions in it (Σ d_t). */
  readonly count: number;
  /** Mentions the entity's base rate expects in it (p₀ · Σ r_t). */
  readonly baseline: number;
  /** Kleinberg's weight, Σ (σ₀ − σ₁) over its batches (nats, > 0). */
  readonly weight: number;
}

/** Day number (days since 1970-01-01) of an ISO date `YYYY-MM-DD`. */
const dayOf = (iso: string): number => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);

/** Negative binomial log-likelihood of d of r at rate p, without the binomial coefficient. */
function cost(d: number, r: number, p: number): number {
  return -(d * Math.log(p) + (r - d) * Math.log(1 - p));
}

/**
 * The bursts of a series of batches, in time order (see the module comment). Batches should be consecutive and
 * hold at least one corpus article (empty batches change nothing but n). No bursts when the series never names
 * the entity, or names it in every article (no rate above the base rate is left).
 */
export function detectBursts(series: readonly BurstBatch[], options: BurstOptions = {}): Burst[] {
  const s = options.s ?? 2;
  const gamma = options.gamma ?? 1;
  const n = series.length;
  const d = series.map((b) => Math.max(0, b.count));
  const r = series.map((b, t) => Math.max(b.total, d[t]!));
  const mentions = d.reduce((a, b) => a + b, 0);
  const articles = r.reduce((a, b) => a + b, 0);
  if (n === 0 || mentions === 0) return [];
  const p0 = mentions / articles;
  const p1 = Math.min(s * p0, MAX_BURST_RATE);
  if (p1 <= p0) return [];
  const restart = series.map((b, t) => t > 0 && dayOf(b.start) - dayOf(series[t - 1]!.end) - 1 > MAX_GAP_DAYS);
  const bursty = viterbi(d, r, { p0, p1, enter: gamma * Math.log(n), restart });
  const bursts: Burst[] = [];
  for (let t = 0; t < n; t++) {
    if (!bursty[t]) continue;
    let end = t;
    while (end + 1 < n && bursty[end + 1] && !restart[end + 1]) end++;
    bursts.push(describe(series, { from: t, to: end, d, r, p0, p1 }));
    t = end;
  }
  return bursts;
}

/** The cheapest state of each batch (1: bursty), by dynamic programming over the two states. */
function viterbi(d: readonly number[], r: readonly number[], rates: { p0: number; p1: number; enter: number; restart: readonly boolean[] }): Uint8Array {
  const n = d.length;
  const from = [new Uint8Array(n), new Uint8Array(n)]; // the previous state on the cheapest path into each state
  let in0 = 0;
  let in1 = rates.enter; // Kleinberg's automaton starts in the base state
  for (let t = 0; t < n; t++) {
    const c0 = cost(d[t]!, r[t]!, rates.p0);
    const c1 = cost(d[t]!, r[t]!, rates.p1);
    if (t === 0) {
      in0 += c0;
      in1 += c1;
      continue;
    }
    const to0 = in1 < in0 ? [in1, 1] : [in0, 0]; // leaving a burst is free
    // after a gap, staying bursty costs as much as entering: the automaton starts again in the base state
    const stay = rates.restart[t] ? in1 + rates.enter : in1;
    const to1 = stay <= in0 + rates.enter ? [stay, 1] : [in0 + rates.enter, 0];
    from[0]![t] = to0[1]!;
    from[1]![t] = to1[1]!;
    in0 = to0[0]! + c0;
    in1 = to1[0]! + c1;
  }
  const states = new Uint8Array(n);
  let state = in1 < in0 ? 1 : 0;
  for (let t = n - 1; t >= 0; t--) {
    states[t] = state;
    state = from[state]![t]!;
  }
  return states;
}

function describe(
  series: readonly BurstBatch[],
  run: { from: number; to: number; d: readonly number[]; r: readonly number[]; p0: number; p1: number },
): Burst {
  let count = 0;
  let total = 0;
  let weight = 0;
  let peak = run.from;
  for (let t = run.from; t <= run.to; t++) {
    const d = run.d[t]!;
    const r = run.r[t]!;
    count += d;
    total += r;
    weight += cost(d, r, run.p0) - cost(d, r, run.p1);
    if (d > run.d[peak]!) peak = t;
  }
  return { start: series[run.from]!.start, end: series[run.to]!.end, peak: series[peak]!.start, count, baseline: run.p0 * total, weight };
}
