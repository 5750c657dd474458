import { HistogramCounter } from '../trends/date-histogram.js';
import type { DateHistogram, HistogramInterval } from '../trends/date-histogram.js';
import type { KeywordIndex } from './keyword-index.js';
import { MULTI_FIELDS } from './keyword-index.js';
import type { FacetName, RankFilter, RankResult } from './rank-request.js';

/** Documents counted for facets and histogram, per words bucket (a bucket's documents, or a collapsed list). */
export type Counted = readonly (Int32Array | readonly number[])[];

/** The filter as a test of a document; undefined when nothing is filtered (a call per match spared). */
export function filterTest(ix: KeywordIndex, filter: RankFilter): ((d: number) => boolean) | undefined {
  const checks: ((d: number) => boolean)[] = [];
  if (filter.category) {
    const wanted = new Set(filter.category);
    checks.push((d) => wanted.has(ix.category[d]!));
  }
  if (filter.source) {
    const wanted = new Set(filter.source);
    checks.push((d) => wanted.has(ix.source[d]!));
  }
  for (const field of MULTI_FIELDS) {
    const ids = filter[field];
    if (!ids) continue;
    const wanted = new Set(ids);
    const values = ix.multi[field].values;
    checks.push((d) => values[d]?.some((v) => wanted.has(v)) ?? false);
  }
  if (filter.from !== undefined) checks.push((d) => ix.date[d]! >= filter.from!);
  if (filter.to !== undefined) checks.push((d) => ix.date[d]! <= filter.to!);
  if (checks.length === 0) return undefined;
  return (d) => checks.every((check) => check(d));
}

/** Counts by value id, zeroed again after each facet, and the ids met in the order met: kept per index between calls. */
interface FacetScratch {
  counts: Int32Array;
  met: Int32Array;
}
const scratchOf = new WeakMap<KeywordIndex, FacetScratch>();

/** The index's scratch, grown to hold `valueCount` values. */
function facetScratch(ix: KeywordIndex, valueCount: number): FacetScratch {
  let scratch = scratchOf.get(ix);
  if (!scratch) scratchOf.set(ix, (scratch = { counts: new Int32Array(16), met: new Int32Array(16) }));
  if (scratch.counts.length < valueCount) {
    const size = Math.max(valueCount, scratch.counts.length * 2);
    scratch.counts = new Int32Array(size);
    scratch.met = new Int32Array(size);
  }
  return scratch;
}

/**
 * Matches per value of each facet named, over buckets `lowest` onward (value id → count, in the order values are
 * met). Counted in an array indexed by value id that the index keeps between calls, with the ids met listed as they
 * come and only those zeroed again: no hashing per match for a broad word, and no pass over every value (a people
 * facet holds hundreds of thousands at scale) for a narrow one.
 */
export function countFacets(ix: KeywordIndex, names: readonly FacetName[], buckets: Counted, lowest: number): RankResult['facets'] {
  const out: RankResult['facets'] = {};
  for (const name of names) {
    const valueCount = name === 'category' ? ix.categories.names.length : name === 'source' ? ix.sources.names.length : ix.multi[name].names.names.length;
    const { counts, met } = facetScratch(ix, valueCount);
    let metCount = 0;
    if (name === 'category' || name === 'source') {
      const single = name === 'category' ? ix.category : ix.source;
      for (let k = lowest; k < buckets.length; k++) {
        const docs = buckets[k]!;
        for (let i = 0; i < docs.length; i++) {
          const v = single[docs[i]!]!;
          if (v >= 0 && counts[v]!++ === 0) met[metCount++] = v;
        }
      }
    } else {
      const { values } = ix.multi[name];
      for (let k = lowest; k < buckets.length; k++) {
        const docs = buckets[k]!;
        for (let i = 0; i < docs.length; i++) {
          const vs = values[docs[i]!];
          if (vs === undefined) continue;
          for (let j = 0; j < vs.length; j++) if (counts[vs[j]!]!++ === 0) met[metCount++] = vs[j]!;
        }
      }
    }
    const found = new Map<number, number>();
    for (let i = 0; i < metCount; i++) {
      const v = met[i]!;
      found.set(v, counts[v]!);
      counts[v] = 0;
    }
    out[name] = found;
  }
  return out;
}

/** Matches per period (every match, like the facets); undated documents (NaN date) counted apart. */
export function countHistogram(ix: KeywordIndex, interval: HistogramInterval, buckets: Counted, lowest: number): DateHistogram {
  const counter = new HistogramCounter(interval);
  const { date } = ix;
  for (let k = lowest; k < buckets.length; k++) for (const d of buckets[k]!) counter.add(date[d]);
  return counter.result();
}
