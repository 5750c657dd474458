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

/**
 * Matches per value of each facet named, over buckets `lowest` onward (value id → count). Counted in an array indexed
 * by value id (a broad word's every match, six facets: no hashing per match), then the values met gathered once.
 */
export function countFacets(ix: KeywordIndex, names: readonly FacetName[], buckets: Counted, lowest: number): RankResult['facets'] {
  const out: RankResult['facets'] = {};
  for (const name of names) {
    const valueCount = name === 'category' ? ix.categories.names.length : name === 'source' ? ix.sources.names.length : ix.multi[name].names.names.length;
    const counts = new Int32Array(valueCount);
    if (name === 'category' || name === 'source') {
      const single = name === 'category' ? ix.category : ix.source;
      for (let k = lowest; k < buckets.length; k++) {
        const docs = buckets[k]!;
        for (let i = 0; i < docs.length; i++) {
          const v = single[docs[i]!]!;
          if (v >= 0) counts[v]!++;
        }
      }
    } else {
      const { values } = ix.multi[name];
      for (let k = lowest; k < buckets.length; k++) {
        const docs = buckets[k]!;
        for (let i = 0; i < docs.length; i++) {
          const vs = values[docs[i]!];
          if (vs !== undefined) for (let j = 0; j < vs.length; j++) counts[vs[j]!]!++;
        }
      }
    }
    const met = new Map<number, number>();
    for (let v = 0; v < valueCount; v++) if (counts[v] !== 0) met.set(v, counts[v]!);
    out[name] = met;
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
