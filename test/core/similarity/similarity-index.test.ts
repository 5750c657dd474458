import fc from 'fast-check';
import { DUPLICATE_COSINE, MAX_DOC_FREQ, MIN_DOC_FREQ_CAP } from '../../../src/core/similarity/find-similar.js';
import type { SimilarHit } from '../../../src/core/similarity/find-similar.js';
import { NORM_REFRESH_SHARE } from '../../../src/core/similarity/similarity-index.js';
import type { SimilarityIndex } from '../../../src/core/similarity/similarity-index.js';
import type { TestDoc } from '../../helpers/term-corpus.js';
import {
  ENOUGH_DOCS,
  VOCABULARY,
  bulkIndexOf,
  corpusArb,
  corpusWithCopiesArb,
  countsOf,
  documentFrequencies,
  exactCosine,
  exactNorm,
  exhaustive,
  expectSameRanking,
  indexOf,
  metaOf,
  similarToKey,
  similarToWords,
  vectorOf,
  wordsArb,
} from '../../helpers/term-corpus.js';

const W = VOCABULARY;
const ALL = { limit: 100, includeDuplicates: true } as const;
const byId = (hits: readonly SimilarHit[]) => hits.map((h) => ({ id: h.id, cosine: h.cosine }));

/**
 * Documents that "more like this" gathers as candidates (find-similar.ts, by design, like Lucene's max_doc_freq):
 * those sharing with the query at least one term held by at most max(MIN_DOC_FREQ_CAP, MAX_DOC_FREQ × N) documents. Query
 * vocabularies in these tests stay under 25 words, so every query term is among the strongest MAX_QUERY_TERMS.
 */
const candidateRule = (query: readonly string[], docs: readonly TestDoc[]) => {
  const df = documentFrequencies(docs);
  const limit = Math.max(MIN_DOC_FREQ_CAP, MAX_DOC_FREQ * docs.length);
  const rare = [...countsOf(query).keys()].filter((t) => (df.get(t) ?? 0) <= limit);
  return (doc: TestDoc) => rare.some((t) => countsOf(doc.words).has(t));
};

describe('SimilarFinder over a SimilarityIndex: properties', () => {
  it('when any two articles find each other, then the cosine is the same both ways and within [0, 1]', () => {
    let seen = 0; // guards against a vacuous property (no hits at all)
    fc.assert(
      fc.property(corpusArb(), (docs) => {
        const index = indexOf(docs);
        const hits = docs.map((_, key) => similarToKey(index, key, ALL));
        seen += hits.flat().length;
        hits.forEach((list, a) =>
          list.forEach((hit) => {
            expect(hit.cosine).toBeGreaterThan(0);
            expect(hit.cosine).toBeLessThanOrEqual(1);
            expect(hit.score).toBe(hit.cosine);
            const back = hits[hit.key]!.find((h) => h.key === a);
            expect(back).toBeDefined();
            expect(Math.abs(back!.cosine - hit.cosine)).toBeLessThanOrEqual(1e-12);
          }),
        );
      }),
    );
    expect(seen).toBeGreaterThan(0);
  });

  it('when an index holds a copy of an article under another key, then the copy comes first with cosine 1, flagged duplicate', () => {
    // The marker word w79 is in the article and its copy only, and N ≥ ENOUGH_DOCS keeps its df (2) within
    // MAX_DOC_FREQ × N, so that the copy is always gathered as a candidate (see candidateRule).
    fc.assert(
      fc.property(corpusArb({ minDocs: ENOUGH_DOCS - 2, maxDocs: ENOUGH_DOCS + 6 }), wordsArb(), (docs, words) => {
        const original = { id: 'x-original', words: [...words, 'w79'] };
        const copy = { id: 'x-copy', words: [...words, 'w79'] };
        const index = indexOf([...docs, original, copy]);
        const hits = similarToKey(index, docs.length, ALL);
        expect(hits[0]?.id).toBe('x-copy');
        expect(Math.abs(hits[0]!.cosine - 1)).toBeLessThanOrEqual(1e-9);
        expect(hits[0]?.duplicate).toBe(true);
        const asText = similarToWords(index, original.words, ALL);
        expect(asText.slice(0, 2).map((h) => h.id).sort()).toEqual(['x-copy', 'x-original']);
        for (const h of asText.slice(0, 2)) expect(Math.abs(h.cosine - 1)).toBeLessThanOrEqual(1e-9);
      }),
    );
  });

  it('when the same articles are added in another order, then every ranking is the same (ties by id)', () => {
    const keyOf = (d: TestDoc) => Number(d.id.slice(1));
    const corpusAndShuffle = corpusArb().chain((docs) =>
      fc.tuple(fc.constant(docs), fc.shuffledSubarray(docs, { minLength: docs.length, maxLength: docs.length }), wordsArb()),
    );
    let seen = 0;
    fc.assert(
      fc.property(corpusAndShuffle, ([docs, shuffled, query]) => {
        const a = indexOf(docs, keyOf);
        const b = indexOf(shuffled, keyOf);
        const strip = (hits: SimilarHit[]) => hits.map(({ id, cosine, score, duplicate }) => ({ id, cosine, score, duplicate }));
        for (const d of docs) {
          const expected = strip(similarToKey(a, keyOf(d), ALL));
          seen += expected.length;
          expect(strip(similarToKey(b, keyOf(d), ALL))).toEqual(expected);
        }
        expect(strip(similarToWords(b, query, ALL))).toEqual(strip(similarToWords(a, query, ALL)));
      }),
    );
    expect(seen).toBeGreaterThan(0);
  });

  it('when no term is in more than MAX_DOC_FREQ of the articles, then the top k are the exhaustive exact cosines over every live article', () => {
    const corpus = corpusArb({ minDocs: ENOUGH_DOCS, maxDocs: ENOUGH_DOCS + 8, vocabulary: 80, maxWords: 5, common: 0 });
    let seen = 0;
    fc.assert(
      fc.property(corpus, fc.integer({ min: 1, max: 6 }), (docs, limit) => {
        fc.pre([...documentFrequencies(docs).values()].every((df) => df <= Math.max(MIN_DOC_FREQ_CAP, MAX_DOC_FREQ * docs.length)));
        const index = indexOf(docs);
        docs.forEach((doc, key) => {
          const hits = similarToKey(index, key, { limit, includeDuplicates: true });
          seen += hits.length;
          expectSameRanking(byId(hits), exhaustive(doc.words, docs, { exclude: doc.id }), limit);
        });
      }),
    );
    expect(seen).toBeGreaterThan(0);
  });

  it('when some terms are common, then the top k are the exhaustive exact cosines over the articles sharing a rarer term', () => {
    let seen = 0;
    fc.assert(
      fc.property(corpusArb(), fc.integer({ min: 1, max: 12 }), (docs, limit) => {
        const index = indexOf(docs);
        docs.forEach((doc, key) => {
          const hits = similarToKey(index, key, { limit, includeDuplicates: true });
          seen += hits.length;
          const expected = exhaustive(doc.words, docs, { exclude: doc.id, among: candidateRule(doc.words, docs) });
          expectSameRanking(byId(hits), expected, limit);
        });
      }),
    );
    expect(seen).toBeGreaterThan(0);
  });

  it('when the query is a text with words the corpus never saw, then those words weigh in its norm with idf(N, 0)', () => {
    const unknown = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 });
    let seen = 0;
    fc.assert(
      fc.property(corpusArb(), wordsArb(), unknown, (docs, query, unknownCounts) => {
        const hits = similarToWords(indexOf(docs), query, ALL, unknownCounts);
        seen += unknownCounts.length > 0 ? hits.length : 0;
        const expected = exhaustive(query, docs, { unknownCounts, among: candidateRule(query, docs) });
        expectSameRanking(byId(hits), expected, ALL.limit);
      }),
    );
    expect(seen).toBeGreaterThan(0);
  });

  it('when a limit is given, then the hits are the first that many of a larger query', () => {
    let cut = 0; // queries where the limit left hits out
    fc.assert(
      fc.property(corpusArb(), fc.integer({ min: 1, max: 5 }), (docs, limit) => {
        const index = indexOf(docs);
        docs.forEach((_, key) => {
          const all = similarToKey(index, key, { limit: 100 });
          if (all.length > limit) cut++;
          expect(similarToKey(index, key, { limit })).toEqual(all.slice(0, limit));
        });
      }),
    );
    expect(cut).toBeGreaterThan(0);
  });

  it('when duplicates are not asked for, then hits with cosine ≥ 0.95 to the source, and copies of a better hit, are left out; the rest is unchanged', () => {
    let duplicates = 0;
    fc.assert(
      fc.property(corpusWithCopiesArb(), (docs) => {
        const index = indexOf(docs);
        docs.forEach((_, key) => {
          const all = similarToKey(index, key, ALL);
          for (const h of all) expect(h.duplicate).toBe(h.cosine >= DUPLICATE_COSINE);
          duplicates += all.filter((h) => h.duplicate).length;
          // greedy, best first: a hit is kept unless a kept one is its copy (cosine ≥ 0.95 between the two)
          const kept: SimilarHit[] = [];
          for (const h of all.filter((x) => !x.duplicate)) {
            if (!kept.some((k) => exactCosine(docs[k.key]!.words, docs[h.key]!, docs) >= DUPLICATE_COSINE)) kept.push(h);
          }
          expect(similarToKey(index, key, { limit: 100 })).toEqual(kept);
        });
      }),
    );
    expect(duplicates).toBeGreaterThan(0);
  });

  it('when explain is asked, then each hit lists its shared words, largest share first, adding up to its cosine', () => {
    let seen = 0;
    fc.assert(
      fc.property(corpusArb(), (docs) => {
        const index = indexOf(docs);
        docs.forEach((doc, key) => {
          for (const hit of similarToKey(index, key, { ...ALL, explain: true })) {
            seen++;
            const other = docs[hit.key]!;
            const shared = [...countsOf(doc.words).keys()].filter((t) => countsOf(other.words).has(t)).map((t) => W[t]);
            const terms = hit.terms ?? [];
            expect(terms.map((t) => t.term).sort()).toEqual(shared.sort()); // at most 8 words a document here
            expect(terms.map((t) => t.weight)).toEqual([...terms.map((t) => t.weight)].sort((a, b) => b - a));
            expect(Math.abs(terms.reduce((s, t) => s + t.weight, 0) - hit.cosine)).toBeLessThanOrEqual(1e-9);
          }
          for (const hit of similarToKey(index, key, ALL)) expect(hit).not.toHaveProperty('terms');
        });
      }),
    );
    expect(seen).toBeGreaterThan(0);
  });
});

describe('SimilarFinder over a SimilarityIndex: changes', () => {
  type Op = { kind: 'put'; slot: number; words: string[] } | { kind: 'remove'; slot: number } | { kind: 'query'; slot: number };
  // Slots 100–111 are the keys of the bulk-built articles (see replay).
  const slot = fc.oneof(fc.nat({ max: ENOUGH_DOCS + 8 }), fc.integer({ min: 100, max: 111 }));
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('put' as const), slot, words: wordsArb() }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('remove' as const), slot }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('query' as const), slot }), weight: 1 },
  );
  const idOf = (s: number) => `d${String(s).padStart(2, '0')}`;

  /**
   * Applies operations to an index (empty, or bulk-built from `start` under keys 100, 101, …), querying in between
   * so that norms refresh at arbitrary points.
   */
  function replay(ops: readonly Op[], start: readonly TestDoc[] = []): { index: SimilarityIndex; docs: Map<number, TestDoc> } {
    const index = bulkIndexOf(start, (_d, i) => 100 + i);
    const docs = new Map<number, TestDoc>(start.map((d, i) => [100 + i, d]));
    for (const o of ops) {
      if (o.kind === 'put') {
        const doc = { id: idOf(o.slot), words: o.words };
        docs.set(o.slot, doc);
        index.add(metaOf(doc, o.slot), vectorOf(doc.words));
      } else if (o.kind === 'remove') {
        docs.delete(o.slot);
        index.remove(o.slot);
      } else if (docs.has(o.slot)) similarToKey(index, o.slot, ALL);
      else similarToWords(index, [W[o.slot % W.length]!], ALL);
    }
    return { index, docs };
  }

  it('when articles are added, replaced and removed (on an empty or a bulk-built index), then results equal those of an index built from the final articles', () => {
    let seen = 0;
    const start = fc.array(wordsArb(), { maxLength: 12 }).map((all) => all.map((words, i): TestDoc => ({ id: `s${i}`, words })));
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80 }), start, wordsArb(), (ops, initial, query) => {
        const { index, docs } = replay(ops, initial);
        const keys = [...docs.keys()];
        const final = [...docs.values()];
        const fresh = indexOf(final, (_d, i) => keys[i]!);
        for (const key of keys) {
          const hits = byId(similarToKey(index, key, ALL));
          seen += hits.length;
          const source = docs.get(key)!;
          expectSameRanking(hits, byId(similarToKey(fresh, key, ALL)), 100);
          expectSameRanking(hits, exhaustive(source.words, final, { exclude: source.id, among: candidateRule(source.words, final) }), 100);
        }
        expectSameRanking(byId(similarToWords(index, query, ALL)), byId(similarToWords(fresh, query, ALL)), 100);
        expect(index.liveDocs).toBe(docs.size);
      }),
    );
    expect(seen).toBeGreaterThan(0);
  });

  it('when an article is removed, then it is never a hit and its key no longer resolves', () => {
    const docs = [0, 1, 2, 3, 4, 5, 6, 7].map((i): TestDoc => ({ id: `d${i}`, words: [W[40 + i]!, 'w30'] }));
    const index = indexOf(docs);
    expect(similarToWords(index, ['w43', 'w44'], ALL).map((h) => h.id)).toEqual(['d3', 'd4']);
    index.remove(3);
    index.remove(42); // unknown keys are ignored
    expect(index.docOf(3)).toBeUndefined();
    expect(index.liveDocs).toBe(7);
    expect(similarToWords(index, ['w43', 'w44'], ALL).map((h) => h.id)).toEqual(['d4']);
  });

  it('when many replacements leave over 10,000 dead postings (compaction), then results equal those of a fresh index', () => {
    const others: TestDoc[] = Array.from({ length: 20 }, (_, i) => ({ id: `o${i + 10}`, words: [W[i]!, W[(i * 7 + 3) % 40]!] }));
    const index = indexOf(others);
    let last: TestDoc = { id: 'moving', words: [] };
    for (let round = 0; round < 500; round++) {
      last = { id: 'moving', words: W.slice(0, 40).filter((_, t) => (t + round) % 3 !== 0) };
      index.add(metaOf(last, 999), vectorOf(last.words));
    }
    const fresh = indexOf([...others, last], (_d, i) => (i < others.length ? i : 999));
    expect(byId(similarToKey(index, 999, ALL))).toEqual(byId(similarToKey(fresh, 999, ALL)));
    for (let key = 0; key < others.length; key++) {
      expectSameRanking(byId(similarToKey(index, key, ALL)), byId(similarToKey(fresh, key, ALL)), 100);
    }
  });

  it('when a compaction begins, then it goes on a step at a time, rankings hold during it, and it ends with no dead postings', () => {
    const docs: TestDoc[] = Array.from({ length: 1_500 }, (_, i) => ({ id: `d${i}`, words: W.filter((_, t) => (t * 7 + i) % 5 < 3) }));
    const index = indexOf(docs);
    let key = 0;
    while (!index.compacting) index.remove(key++);
    const during = byId(similarToKey(index, 1_400, ALL));
    let steps = 0;
    while (!index.compactSome(100)) steps++;
    expect(steps).toBeGreaterThan(3);
    expect(byId(similarToKey(index, 1_400, ALL))).toEqual(during);
    let dead = 0;
    for (let t = 0; t < W.length; t++) {
      const p = index.postingsOf(t);
      for (let i = 0; i < (p?.length ?? 0); i++) if (index.alive[p!.docs[i]!] !== 1) dead++;
    }
    expect(dead).toBe(0);
  });
});

describe('SimilarityIndex.addAll (bulk build)', () => {
  it('when articles are added at once, then norms and every ranking equal those of adding them one by one', () => {
    let seen = 0;
    fc.assert(
      fc.property(corpusArb(), wordsArb(), (docs, query) => {
        const bulk = bulkIndexOf(docs);
        const oneByOne = indexOf(docs);
        similarToWords(oneByOne, query, ALL); // brings the one-by-one norms up to date
        expect(bulk.liveDocs).toBe(docs.length);
        docs.forEach((_, key) => expect(bulk.norms[bulk.docOf(key)!]).toBeCloseTo(oneByOne.norms[oneByOne.docOf(key)!]!, 12));
        docs.forEach((_, key) => {
          const hits = similarToKey(bulk, key, ALL);
          seen += hits.length;
          expect(hits).toEqual(similarToKey(oneByOne, key, ALL));
        });
        expect(similarToWords(bulk, query, ALL)).toEqual(similarToWords(oneByOne, query, ALL));
      }),
    );
    expect(seen).toBeGreaterThan(0);
  });

  it('when articles are added after a bulk build, then the bulk-built postings are left intact', () => {
    const docs: TestDoc[] = Array.from({ length: 30 }, (_, i) => ({ id: `b${String(i).padStart(2, '0')}`, words: [`w${40 + (i % 10)}`, `w${50 + (i % 7)}`] }));
    const index = bulkIndexOf(docs);
    const extra: TestDoc[] = [
      { id: 'x1', words: ['w40', 'w50', 'w60'] },
      { id: 'x2', words: ['w41', 'w60'] },
    ];
    extra.forEach((d, i) => index.add(metaOf(d, 30 + i), vectorOf(d.words)));
    index.add(metaOf({ id: 'b05', words: ['w45', 'w61'] }, 5), vectorOf(['w45', 'w61']));
    const final = [...docs.slice(0, 5), { id: 'b05', words: ['w45', 'w61'] }, ...docs.slice(6), ...extra];
    const keys = [...Array.from({ length: 30 }, (_, i) => i), 30, 31];
    const fresh = indexOf(final, (_d, i) => keys[i]!);
    for (const key of keys) expect(byId(similarToKey(index, key, ALL))).toEqual(byId(similarToKey(fresh, key, ALL)));
  });

  it('when the index already holds articles, then a bulk build is refused', () => {
    const index = indexOf([{ id: 'a', words: ['w40'] }]);
    expect(() => index.addAll([{ meta: metaOf({ id: 'b', words: [] }, 1), vector: vectorOf([]) }])).toThrow(/fresh index/);
  });
});

// A regression guard: candidates once came only from terms with df ≤ max(1, MAX_DOC_FREQ × N); the source counts
// in df, so on a corpus of fewer than 14 articles an indexed article found nothing at all, not even an exact copy.
describe('SimilarFinder on a tiny corpus', () => {
  it('when the corpus holds three articles and two share rare words, then each finds the other', () => {
    const docs: TestDoc[] = [
      { id: 'eruption', words: ['w30', 'w31', 'w01'] },
      { id: 'ash-cloud', words: ['w30', 'w31', 'w02'] },
      { id: 'regatta', words: ['w10', 'w11'] },
    ];
    const index = indexOf(docs);
    expect(byId(similarToKey(index, 0, ALL))).toEqual(exhaustive(docs[0]!.words, docs, { exclude: 'eruption' }));
    expect(similarToKey(index, 0, ALL).map((h) => h.id)).toEqual(['ash-cloud']);
  });

  it('when the corpus holds six articles and one is an exact copy, then includeDuplicates shows the copy', () => {
    const docs: TestDoc[] = ['w30', 'w31', 'w32', 'w33', 'w34'].map((w, i) => ({ id: `d${i}`, words: [w, `w${40 + i}`] }));
    const index = indexOf([...docs, { id: 'd0-copy', words: docs[0]!.words }]);
    expect(similarToKey(index, 0, ALL)[0]).toMatchObject({ id: 'd0-copy', duplicate: true });
  });
});

describe('SimilarityIndex norm refresh', () => {
  /** `n` articles of three terms (one counted twice) spread over the first 40 vocabulary words. */
  const corpusOf = (n: number, from = 0): TestDoc[] =>
    Array.from({ length: n }, (_, j) => {
      const i = from + j;
      return { id: `n${String(i).padStart(3, '0')}`, words: [W[i % 40]!, W[(i * 7 + 3) % 40]!, W[(i * 11 + 5) % 40]!, W[(i * 11 + 5) % 40]!] };
    });
  const normOf = (index: SimilarityIndex, key: number) => index.norms[index.docOf(key)!]!;
  const query = (index: SimilarityIndex) => similarToWords(index, ['w00', 'w01'], { limit: 10 });
  const expectExactNorms = (index: SimilarityIndex, docs: readonly TestDoc[], keys: readonly number[]) => {
    docs.forEach((d, i) => expect(normOf(index, keys[i]!)).toBeCloseTo(exactNorm(d, docs), 9));
  };
  const keysOf = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('when the corpus is small (50 articles), then every change refreshes every norm before the next query', () => {
    const docs = corpusOf(50);
    const index = indexOf(docs);
    query(index);
    expectExactNorms(index, docs, keysOf(50));
    const added = corpusOf(1, 50)[0]!;
    index.add(metaOf(added, 50), vectorOf(added.words));
    query(index);
    expectExactNorms(index, [...docs, added], keysOf(51));
    index.remove(0);
    query(index);
    expectExactNorms(index, [...docs.slice(1), added], keysOf(51).slice(1));
  });

  it('when 1 article is added to 300, then the others keep their norms through the next query (at most 1% drift)', () => {
    const docs = corpusOf(300);
    const index = indexOf(docs);
    query(index);
    expectExactNorms(index, docs, keysOf(300));
    const before = keysOf(300).map((k) => normOf(index, k));
    const added = corpusOf(1, 300)[0]!;
    index.add(metaOf(added, 300), vectorOf(added.words));
    query(index);
    expect(keysOf(300).map((k) => normOf(index, k))).toEqual(before);
    const all = [...docs, added];
    // Kept, although N moved: the exact norms under 301 articles differ from them.
    expect(docs.filter((d, k) => Math.abs(exactNorm(d, all) - before[k]!) > 1e-9).length).toBeGreaterThan(0);
    // The new article's own norm is computed with the idf of the moment it was added.
    expect(normOf(index, 300)).toBeCloseTo(exactNorm(added, all), 9);
  });

  const beyond = Math.floor(NORM_REFRESH_SHARE * 300) + 1;

  it(`when more than 1% of 300 articles (${beyond}) are added, then every norm is recomputed before the next query`, () => {
    const docs = corpusOf(300);
    const index = indexOf(docs);
    query(index);
    const added = corpusOf(beyond, 300);
    added.forEach((d, i) => index.add(metaOf(d, 300 + i), vectorOf(d.words)));
    query(index);
    expectExactNorms(index, [...docs, ...added], keysOf(300 + beyond));
  });

  it(`when more than 1% of 300 articles (${beyond}) are removed, then every norm is recomputed before the next query`, () => {
    const docs = corpusOf(300);
    const index = indexOf(docs);
    query(index);
    for (let k = 0; k < beyond; k++) index.remove(k);
    query(index);
    expectExactNorms(index, docs.slice(beyond), keysOf(300).slice(beyond));
  });

  it('when norms were refreshed after drift, then results equal those of an index built from scratch', () => {
    const docs = corpusOf(300);
    const index = indexOf(docs);
    query(index);
    const added = corpusOf(beyond, 300);
    added.forEach((d, i) => index.add(metaOf(d, 300 + i), vectorOf(d.words)));
    const fresh = indexOf([...docs, ...added]);
    for (const key of [0, 7, 150, 299, 300]) {
      expectSameRanking(byId(similarToKey(index, key, ALL)), byId(similarToKey(fresh, key, ALL)), 100);
    }
  });
});
