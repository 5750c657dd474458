import { freshnessLogDecay } from '../freshness.js';
import type { Freshness } from '../freshness.js';
import { ensureCapacity } from './growable.js';
import type { KeywordIndex } from './keyword-index.js';
import type { PostingList } from './posting-list.js';
import type { ResolvedTerm } from './resolve.js';
import { bestOf } from './bucket-order.js';
import type { BucketOrder } from './bucket-order.js';
import { countFacets, countHistogram, filterTest } from './match-counts.js';
import type { RankAbout, RankRequest, RankResult } from './rank-request.js';
import { proximityOf } from './term-proximity.js';
import { sortInSteps } from './sort-in-steps.js';

export type { FacetName, RankAbout, RankFilter, RankRequest, RankResult } from './rank-request.js';

/** BM25 parameters (SQLite FTS5's bm25() defaults); `titleWeight` multiplies a title match. */
export const BM25 = { k1: 1.2, b: 0.75, titleWeight: 30 } as const;
const EXCLUDED = 255;

/** The documents of one words bucket: a view of the ranker's scratch, valid during one {@link Ranker.rank}. */
type Bucket = Int32Array;

/**
 * The lowest words bucket a request's results come from: every word (`match=all`), at least one, or with no words
 * (exclusions only) the one bucket of zero words, where every live document is a candidate.
 */
function lowestLevel(request: RankRequest): number {
  const words = request.query.terms.length;
  return words === 0 ? 0 : request.match === 'all' ? words : 1;
}

/**
 * Meilisearch's bucket sort over the in-memory index, one pass over the postings per rule: documents are first
 * placed by how many leading query words they hold ("words"; with `last` the words are dropped from the end), then
 * each bucket read for the page is ordered by typos, proximity (how many consecutive query words are not side by
 * side as typed), attribute (every matched word in the title) and BM25 (title weighted), ties by newest then id.
 * With a date sort, the date replaces attribute and BM25. A query of exclusions only ranks every other document
 * (Meilisearch's placeholder search): by `about` (relevance sort), then by date, newest first unless `oldest`.
 *
 * Proximity counts adjacency only, where Meilisearch sums distances up to 8: measured on the shared corpora's
 * known-item queries, graded distances let a body where two words sit three apart outrank the headline that holds
 * both, and adjacency ranked two-word queries better on both corpora (bench:relevance, docs/BENCHMARKS.md).
 */
export class Ranker {
  private level = new Uint8Array(16);
  private stamp = new Int32Array(16);
  private typos = new Uint8Array(16);
  private inTitle = new Uint8Array(16);
  private proximity = new Uint16Array(16);
  /** proximity[d] holds document d's proximity for the current bucket when proximityStamp[d] === proximityRound. */
  private proximityStamp = new Int32Array(16);
  private proximityRound = 0;
  private proximityTerms: readonly ResolvedTerm[] = [];
  private score = new Float64Array(16);
  private about = new Float64Array(16);
  private stampValue = 0;
  /** Per copy group: the stamp of the search (or page walk) that last saw it, and in which bucket. */
  private groupStamp = new Int32Array(16);
  private groupBucket = new Int32Array(16);
  /** The documents a search touched (level reset from it), and its buckets, laid out one after the other. */
  private touched = new Int32Array(16);
  private bucketDocs = new Int32Array(16);

  constructor(private readonly index: KeywordIndex) {}

  rank(request: RankRequest): RankResult {
    this.growScratch();
    const { terms, exclusions } = request.query;
    const touchedCount = this.markLevels(terms, exclusions);
    try {
      const lowest = lowestLevel(request);
      const buckets = this.fillBuckets(terms.length, lowest, filterTest(this.index, request.filter), touchedCount);
      // with collapse: the groups first met in each bucket, and (for facets and histogram) one document of each
      const countsDocs = request.facets.length > 0 || request.histogram !== undefined;
      const collapsed = request.collapse ? this.collapse(buckets, lowest, countsDocs) : undefined;
      const counted = collapsed?.counted ?? buckets;
      let total = 0;
      for (let k = lowest; k <= terms.length; k++) total += collapsed ? collapsed.groups[k]! : buckets[k]!.length;
      const facets = countFacets(this.index, request.facets, counted, lowest);
      const histogram = request.histogram === undefined ? undefined : countHistogram(this.index, request.histogram, counted, lowest);
      const docs = collapsed ? this.collapsedPage(request, buckets, collapsed.groups, lowest) : this.page(request, buckets, lowest);
      return { docs, total, facets, ...(histogram ? { histogram } : {}) };
    } finally {
      this.clearLevels(touchedCount);
    }
  }

  /**
   * Every match of the request in result order (the pages of {@link rank} end to end; offset, limit, facets and
   * histogram ignored), a part at a time: the generator yields once the candidates are in their buckets, before each
   * bucket is scored and within each bucket's sort (sort-in-steps.ts), so that its driver can let other work run
   * between parts. The walk keeps its state in this ranker's scratch: a ranker that walks ranks nothing else until
   * the walk ends (run to its end, or return() called: the scratch is reset then).
   */
  *orderInSteps(request: RankRequest): Generator<void, number[]> {
    this.growScratch();
    const { terms, exclusions } = request.query;
    const touchedCount = this.markLevels(terms, exclusions);
    try {
      const lowest = lowestLevel(request);
      const buckets = this.fillBuckets(terms.length, lowest, filterTest(this.index, request.filter), touchedCount);
      if (request.collapse) this.collapse(buckets, lowest, false);
      const { group } = this.index;
      const out: number[] = [];
      for (let k = buckets.length - 1; k >= lowest; k--) {
        if (buckets[k]!.length === 0) continue;
        yield;
        const sorted = yield* sortInSteps(buckets[k]!, this.scoredBucket(request, buckets[k]!, k).cmp);
        // with collapse, each group's best-ranked member in the bucket (as collapsedPage keeps it)
        const stamp = ++this.stampValue;
        for (const d of sorted) {
          if (request.collapse) {
            if (this.groupStamp[group[d]!] === stamp) continue;
            this.groupStamp[group[d]!] = stamp;
          }
          out.push(d);
        }
      }
      return out;
    } finally {
      this.clearLevels(touchedCount);
    }
  }

  /** Resets the levels {@link markLevels} gave the touched documents, for the next search. */
  private clearLevels(touchedCount: number): void {
    const { touched, level } = this;
    for (let i = 0; i < touchedCount; i++) level[touched[i]!] = 0;
  }

  /**
   * The candidates (the touched documents, or with no words every live one) placed by level, in the order met,
   * into one scratch array: no array per match, and the filter run once per candidate. With words, two passes over
   * the touched documents, counting then placing (one the filter turns away is marked EXCLUDED in the first); with
   * none, every live document not excluded is of the one bucket, placed in one pass.
   */
  private fillBuckets(words: number, lowest: number, passes: ((d: number) => boolean) | undefined, touchedCount: number): Bucket[] {
    const { level, touched } = this;
    const out = this.bucketDocs;
    if (words === 0) {
      const { alive } = this.index;
      let n = 0;
      for (let d = 0; d < this.index.slots; d++) {
        if (alive[d] === 1 && level[d] !== EXCLUDED && (passes === undefined || passes(d))) out[n++] = d;
      }
      return [out.subarray(0, n)];
    }
    const counts = new Array<number>(words + 1).fill(0);
    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i]!;
      const k = level[d]!;
      if (k < lowest || k === EXCLUDED) continue;
      if (passes !== undefined && !passes(d)) level[d] = EXCLUDED; // reset from `touched` after the search
      else counts[k]!++;
    }
    const next = new Array<number>(words + 1);
    for (let k = 0, at = 0; k <= words; k++) {
      next[k] = at;
      at += counts[k]!;
    }
    const buckets = next.map((start, k) => out.subarray(start, start + counts[k]!));
    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i]!;
      const k = level[d]!;
      if (k >= lowest && k !== EXCLUDED) out[next[k]!++] = d;
    }
    return buckets;
  }

  /**
   * level[d] = how many leading query terms document d holds (EXCLUDED for excluded ones); the documents touched
   * are listed in `touched`, whose length is returned.
   */
  private markLevels(terms: readonly ResolvedTerm[], exclusions: readonly PostingList[]): number {
    const { alive } = this.index;
    const { level, touched } = this;
    let count = 0;
    for (const list of exclusions) {
      for (let i = 0; i < list.length; i++) {
        const d = list.docs[i]!;
        if (alive[d] !== 1 || level[d] === EXCLUDED) continue;
        if (level[d] === 0) touched[count++] = d;
        level[d] = EXCLUDED;
      }
    }
    terms.forEach((term, t) => {
      for (const { list } of term.sources) {
        const docs = list.docs;
        for (let i = 0; i < list.length; i++) {
          const d = docs[i]!;
          if (level[d] !== t || alive[d] !== 1) continue;
          if (t === 0) touched[count++] = d;
          level[d] = t + 1;
        }
      }
    });
    return count;
  }

  private page(request: RankRequest, buckets: readonly Bucket[], lowest: number): number[] {
    const out: number[] = [];
    let skip = request.offset;
    for (let k = buckets.length - 1; k >= lowest && out.length < request.limit; k--) {
      const bucket = buckets[k]!;
      if (skip >= bucket.length) {
        skip -= bucket.length;
        continue;
      }
      const wanted = Math.min(bucket.length, skip + request.limit - out.length);
      const ordered = this.orderBucket(request, bucket, k, wanted);
      for (let i = skip; i < wanted; i++) out.push(ordered[i]!); // no spread: a whole order may pass V8's argument limit
      skip = 0;
    }
    return out;
  }

  /**
   * Leaves in each bucket (in place) only the members of groups not met in a better bucket (a group's best member
   * is in the best bucket holding any); returns, per bucket, how many groups are first met there and, when
   * `withDocs`, the first member met of each: the documents that count, one per group. Several members of a group
   * may stay in one bucket: the page keeps the best ranked ({@link collapsedPage}). No array is made per match
   * unless `withDocs`.
   */
  private collapse(buckets: Bucket[], lowest: number, withDocs: boolean): { groups: number[]; counted?: number[][] } {
    const { group } = this.index;
    const stamp = ++this.stampValue;
    const groups = buckets.map(() => 0);
    const counted = withDocs ? buckets.map((): number[] => []) : undefined;
    for (let k = buckets.length - 1; k >= lowest; k--) {
      const bucket = buckets[k]!;
      let kept = 0;
      for (let i = 0; i < bucket.length; i++) {
        const d = bucket[i]!;
        const g = group[d]!;
        if (this.groupStamp[g] !== stamp) {
          this.groupStamp[g] = stamp;
          this.groupBucket[g] = k;
          groups[k]!++;
          counted?.[k]!.push(d);
        } else if (this.groupBucket[g] !== k) continue;
        bucket[kept++] = d;
      }
      buckets[k] = bucket.subarray(0, kept);
    }
    return counted ? { groups, counted } : { groups };
  }

  /** The page of a collapsed search: buckets skipped by their groups, each group's best-ranked member kept. */
  private collapsedPage(request: RankRequest, buckets: readonly Bucket[], groupsOf: readonly number[], lowest: number): number[] {
    const { group } = this.index;
    const out: number[] = [];
    let skip = request.offset;
    for (let k = buckets.length - 1; k >= lowest && out.length < request.limit; k--) {
      const groups = groupsOf[k]!;
      if (skip >= groups) {
        skip -= groups;
        continue;
      }
      const bucket = buckets[k]!;
      const need = Math.min(groups, skip + request.limit - out.length);
      const order = this.scoredBucket(request, bucket, k);
      // order enough members to meet `need` groups: doubled until met (members of one group are few); the bucket
      // is scored once, not at each doubling
      for (let wanted = need; ; wanted = Math.min(bucket.length, wanted * 2)) {
        const ordered = bestOf(bucket, wanted, order);
        const stamp = ++this.stampValue;
        const firsts: number[] = [];
        for (const d of ordered) {
          if (this.groupStamp[group[d]!] === stamp) continue;
          this.groupStamp[group[d]!] = stamp;
          firsts.push(d);
          if (firsts.length === need) break;
        }
        if (firsts.length === need || wanted === bucket.length) {
          for (let i = skip; i < firsts.length; i++) out.push(firsts[i]!);
          break;
        }
      }
      skip = 0;
    }
    return out;
  }

  /** The best `wanted` documents of bucket k, in order. */
  private orderBucket(request: RankRequest, bucket: Bucket, k: number, wanted: number): number[] {
    return bestOf(bucket, wanted, this.scoredBucket(request, bucket, k));
  }

  /** Scores every document of bucket k for the request's order; returns that order's comparator. */
  private scoredBucket(request: RankRequest, bucket: Bucket, k: number): BucketOrder {
    this.scoreBucket(request.query.terms.slice(0, k), bucket, k);
    if (request.freshness && request.sort === 'relevance') this.decayScores(bucket, request.freshness);
    this.scoreAbout(request.about ?? [], bucket);
    return this.comparator(request.sort, k);
  }

  /** Typos, title coverage and BM25 of every document of a bucket, in one pass over the terms' postings. */
  private scoreBucket(terms: readonly ResolvedTerm[], bucket: Bucket, k: number): void {
    const ix = this.index;
    for (let i = 0; i < bucket.length; i++) {
      const d = bucket[i]!;
      this.typos[d] = 0;
      this.inTitle[d] = 0;
      this.score[d] = 0;
    }
    const n = Math.max(ix.liveDocs, 1);
    const avgTitle = Math.max(ix.titleTotal / n, 1);
    const avgBody = Math.max(ix.bodyTotal / n, 1);
    const { k1, b, titleWeight } = BM25;
    for (const term of terms) {
      const stampValue = ++this.stampValue;
      const df = term.sources.reduce((sum, s) => sum + s.list.length, 0);
      const idf = Math.max(Math.log((n - df + 0.5) / (df + 0.5)), 1e-6);
      for (const { list, typos } of term.sources) {
        for (let i = 0; i < list.length; i++) {
          const d = list.docs[i]!;
          if (this.level[d] !== k || this.stamp[d] === stampValue) continue;
          this.stamp[d] = stampValue;
          const tt = list.titleTf(i);
          const tb = list.bodyTf(i);
          this.typos[d] = this.typos[d]! + typos;
          if (tt > 0) this.inTitle[d] = this.inTitle[d]! + 1;
          const title = (tt * (k1 + 1)) / (tt + k1 * (1 - b + (b * ix.titleLen[d]!) / avgTitle));
          const body = (tb * (k1 + 1)) / (tb + k1 * (1 - b + (b * ix.bodyLen[d]!) / avgBody));
          this.score[d] = this.score[d]! + idf * (titleWeight * title + body);
        }
      }
    }
    // proximity, the costliest rule (a binary search per term and document), is computed when an order needs it
    // ({@link proximityAt}): most documents of a broad bucket never reach the page and are left out before
    this.proximityTerms = terms;
    this.proximityRound++;
  }

  /** Document d's proximity in the bucket last scored, computed on first use. */
  private proximityAt(d: number): number {
    if (this.proximityStamp[d] !== this.proximityRound) {
      this.proximityStamp[d] = this.proximityRound;
      this.proximity[d] = proximityOf(this.proximityTerms, d);
    }
    return this.proximity[d]!;
  }

  /** Each document's BM25 times its freshness decay, as a log (see freshnessLogDecay): only the order is used. */
  private decayScores(bucket: Bucket, freshness: Freshness): void {
    const { date } = this.index;
    const { score } = this;
    for (let i = 0; i < bucket.length; i++) {
      const d = bucket[i]!;
      score[d] = Math.log(score[d]!) + freshnessLogDecay(date[d]!, freshness);
    }
  }

  /** The summed salience, in each document of the bucket, of the entities the query names. */
  private scoreAbout(about: readonly RankAbout[], bucket: Bucket): void {
    const ix = this.index;
    if (about.length === 0) {
      for (let i = 0; i < bucket.length; i++) this.about[bucket[i]!] = 0;
      return;
    }
    for (const d of bucket) {
      let sum = 0;
      for (const { field, id } of about) {
        const values = ix.multi[field].values[d];
        const at = values ? values.indexOf(id) : -1;
        if (at >= 0) sum += ix.multi[field].weights[d]?.[at] ?? 0;
      }
      this.about[d] = sum;
    }
  }

  private comparator(sort: RankRequest['sort'], k: number): BucketOrder {
    const { typos, inTitle, score, about } = this;
    const { date, ids } = this.index;
    const byDate = (a: number, b: number, dir: number) => {
      const da = date[a]!;
      const db = date[b]!;
      if (Number.isNaN(da) || Number.isNaN(db)) return Number.isNaN(da) ? (Number.isNaN(db) ? 0 : 1) : -1;
      return (da - db) * dir;
    };
    const byId = (a: number, b: number) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
    // the rules before proximity, and those after it
    const head = (a: number, b: number) => typos[a]! - typos[b]! || (sort === 'relevance' ? about[b]! - about[a]! : 0);
    const tail = (a: number, b: number) =>
      (sort === 'relevance'
        ? (inTitle[a] === k ? 0 : 1) - (inTitle[b] === k ? 0 : 1) || score[b]! - score[a]! || byDate(a, b, -1)
        : byDate(a, b, sort === 'newest' ? -1 : 1)) || byId(a, b);
    return {
      cmp: (a, b) => head(a, b) || (k >= 2 ? this.proximityAt(a) - this.proximityAt(b) : 0) || tail(a, b),
      settledBehind: (a, b) => {
        const before = head(a, b);
        if (before) return before > 0;
        // b has the lowest proximity there is: a, not ahead of b on the later rules, cannot pass b by its own
        return k >= 2 && this.proximityAt(b) === 0 && tail(a, b) >= 0;
      },
    };
  }

  private growScratch(): void {
    const n = this.index.slots;
    this.level = ensureCapacity(this.level, n, Uint8Array);
    this.stamp = ensureCapacity(this.stamp, n, Int32Array);
    this.typos = ensureCapacity(this.typos, n, Uint8Array);
    this.inTitle = ensureCapacity(this.inTitle, n, Uint8Array);
    this.proximity = ensureCapacity(this.proximity, n, Uint16Array);
    this.proximityStamp = ensureCapacity(this.proximityStamp, n, Int32Array);
    this.score = ensureCapacity(this.score, n, Float64Array);
    this.about = ensureCapacity(this.about, n, Float64Array);
    this.touched = ensureCapacity(this.touched, n, Int32Array);
    this.bucketDocs = ensureCapacity(this.bucketDocs, n, Int32Array);
    const groups = this.index.groups.names.length;
    this.groupStamp = ensureCapacity(this.groupStamp, groups, Int32Array);
    this.groupBucket = ensureCapacity(this.groupBucket, groups, Int32Array);
  }
}
