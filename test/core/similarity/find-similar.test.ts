import fc from 'fast-check';
import { DIVERSITY_SCAN, DUPLICATE_COSINE, MAX_DOC_FREQ, kthLargest } from '../../../src/core/similarity/find-similar.js';
import type { SimilarHit } from '../../../src/core/similarity/find-similar.js';
import type { TestDoc } from '../../helpers/term-corpus.js';
import { exactCosine, indexOf, similarToKey, similarToWords } from '../../helpers/term-corpus.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1);
const ids = (hits: readonly SimilarHit[]) => hits.map((h) => h.id);

/** Unrelated articles (words w10–w29, w45–w59) that make the corpus big enough for shared words to gather candidates. */
const fillers = (n: number): TestDoc[] =>
  Array.from({ length: n }, (_, i) => ({ id: `filler-${i}`, words: [`w${10 + (i % 20)}`, `w${45 + (i % 15)}`] }));

/** `docs` plus enough fillers that a word held by `df` documents is within MAX_DOC_FREQ of the corpus. */
const padded = (docs: readonly TestDoc[], df: number): TestDoc[] => [
  ...docs,
  ...fillers(Math.max(10, Math.ceil(df / MAX_DOC_FREQ) - docs.length + 1)),
];

/**
 * Five targets, each sharing one query word (w60–w64) that no other article holds: a–d tie on cosine (ties by id),
 * e holds its word twice and comes first.
 */
const TARGETS: TestDoc[] = [
  { id: 'a', words: ['w60', 'w01'], category: 'politics', source: 'Herald', publishedAt: T0 },
  { id: 'b', words: ['w61', 'w02'], category: 'sport', source: 'Times', publishedAt: T0 + 4 * DAY },
  { id: 'c', words: ['w62', 'w03'], category: 'politics', source: 'Times', publishedAt: T0 + 9 * DAY },
  { id: 'd', words: ['w63', 'w04'] },
  { id: 'e', words: ['w64', 'w64', 'w05'], category: 'science', source: 'Herald', publishedAt: T0 + 14 * DAY },
];
const CORPUS = [...TARGETS, ...fillers(10)];
const QUERY = ['w60', 'w61', 'w62', 'w63', 'w64'];
const find = (options: Parameters<typeof similarToWords>[2]) => similarToWords(indexOf(CORPUS), QUERY, options);

describe('SimilarFinder filters', () => {
  it('when there is no filter, then every target comes, the strongest first and ties by id', () => {
    const hits = find({ limit: 10 });
    expect(ids(hits)).toEqual(['e', 'a', 'b', 'c', 'd']);
    for (const h of hits) expect(h.cosine).toBeCloseTo(exactCosine(QUERY, CORPUS.find((d) => d.id === h.id)!, CORPUS), 9);
  });

  it.each([
    ['one category', { category: ['politics'] }, ['a', 'c']],
    ['two categories (OR)', { category: ['politics', 'science'] }, ['e', 'a', 'c']],
    ['a source', { source: ['Herald'] }, ['e', 'a']],
    ['a category and a source (AND)', { category: ['politics'], source: ['Times'] }, ['c']],
    ['an unknown category', { category: ['weather'] }, []],
    ['an empty category list', { category: [] }, []],
    ['a start date (inclusive; undated articles left out)', { from: T0 + 4 * DAY }, ['e', 'b', 'c']],
    ['an end date (inclusive)', { to: T0 + 4 * DAY }, ['a', 'b']],
    ['a range of one instant', { from: T0 + 9 * DAY, to: T0 + 9 * DAY }, ['c']],
  ])('when filtering by %s, then only matching articles come', (_case, filter, expected) => {
    expect(ids(find({ limit: 10, filter }))).toEqual(expected);
  });

  it('when a filter applies, then the cosines of the articles it keeps are unchanged', () => {
    const all = find({ limit: 10 });
    for (const hit of find({ limit: 10, filter: { category: ['politics'] } })) {
      expect(hit.cosine).toBe(all.find((h) => h.id === hit.id)!.cosine);
    }
  });

  it('when a filter leaves fewer articles than the limit, then the limit applies after filtering', () => {
    expect(ids(find({ limit: 1, filter: { source: ['Times'] } }))).toEqual(['b']);
  });
});

describe('SimilarFinder freshness', () => {
  it('when freshness is asked, then score = cosine × 0.5^(age in days / half-life) and the order follows the score', () => {
    const now = T0 + 20 * DAY;
    const hits = find({ limit: 10, freshness: { halfLifeDays: 10, now } });
    const plain = new Map(find({ limit: 10 }).map((h) => [h.id, h.cosine]));
    for (const h of hits) {
      const published = TARGETS.find((t) => t.id === h.id)!.publishedAt;
      const decay = published === undefined ? 1 : 0.5 ** ((now - published) / DAY / 10);
      expect(h.cosine).toBe(plain.get(h.id));
      expect(h.score).toBeCloseTo(h.cosine * decay, 12);
    }
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((x, y) => y - x));
    // d is undated (no decay); among dated ties the newest wins: c (11 days) before b (16) before a (20).
    expect(ids(hits)).toEqual(['d', 'e', 'c', 'b', 'a']);
  });

  it('when an article is exactly one half-life old, then it scores half its cosine', () => {
    const [a] = find({ limit: 10, filter: { category: ['politics'], source: ['Herald'] }, freshness: { halfLifeDays: 7, now: T0 + 7 * DAY } });
    expect(a?.score).toBeCloseTo(a!.cosine / 2, 12);
  });

  it('when the articles are decades old, then the order still follows cosine × decay (no underflow to ties)', () => {
    // 40 years at a 1-day half-life: every factor is 0 in floating point, yet e (strongest, newest) leads, then by date
    const hits = find({ limit: 10, freshness: { halfLifeDays: 1, now: T0 + 40 * 365 * DAY } });
    expect(ids(hits)).toEqual(['d', 'e', 'c', 'b', 'a']);
    for (const h of hits.filter((x) => x.id !== 'd')) expect(h.score).toBe(0);
  });

  it('when an article is dated after now, then it is not decayed (age counts from 0)', () => {
    const hits = find({ limit: 10, freshness: { halfLifeDays: 10, now: T0 } });
    for (const h of hits) expect(h.score).toBe(h.cosine);
  });
});

describe('SimilarFinder near-duplicates', () => {
  const story = ['w60', 'w61', 'w62', 'w63', 'w64', 'w65', 'w66', 'w67'].flatMap((w) => [w, w, w]);
  const original: TestDoc = { id: 'original', words: [...story, 'w70'] };
  const docs = padded(
    [
      original,
      { id: 'copy', words: original.words },
      { id: 'near-copy', words: [...story, 'w71'] },
      { id: 'related', words: ['w60', 'w72'] },
    ],
    4,
  );
  const near = exactCosine(original.words, docs[2]!, docs);

  it('when the corpus holds a copy and a near-copy, then the near-copy is within the duplicate threshold but below 1', () => {
    expect(near).toBeGreaterThanOrEqual(DUPLICATE_COSINE);
    expect(near).toBeLessThan(1);
  });

  it('when duplicates are not asked for, then copies (cosine ≥ 0.95) are left out and the related article stays', () => {
    const hits = similarToKey(indexOf(docs), 0, { limit: 10 });
    expect(ids(hits)).toEqual(['related']);
    expect(hits[0]?.duplicate).toBe(false);
  });

  it('when duplicates are asked for, then copies come first, flagged duplicate', () => {
    const hits = similarToKey(indexOf(docs), 0, { limit: 10, includeDuplicates: true });
    expect(hits.map(({ id, duplicate }) => ({ id, duplicate }))).toEqual([
      { id: 'copy', duplicate: true },
      { id: 'near-copy', duplicate: true },
      { id: 'related', duplicate: false },
    ]);
    expect(hits[0]?.cosine).toBeCloseTo(1, 12);
    expect(hits[1]?.cosine).toBeCloseTo(near, 9);
  });
});

describe('SimilarFinder diversity: no two copies of one story in a list', () => {
  // The source shares w60 with story A (sent twice: a copy and a near-copy) and w61 with story B.
  const storyA = ['w63', 'w64', 'w65', 'w66', 'w67', 'w68'].flatMap((w) => [w, w, w]);
  const docs = padded(
    [
      { id: 'source', words: ['w60', 'w61', 'w62'] },
      { id: 'a1', words: ['w60', ...storyA] },
      { id: 'a2', words: ['w60', ...storyA, 'w69'] },
      { id: 'b', words: ['w61', 'w70', 'w71'] },
    ],
    4,
  );
  const pair = exactCosine(docs[1]!.words, docs[2]!, docs);

  it('when two related articles are copies of each other (not of the source), then only the better-ranked one is listed', () => {
    expect(pair).toBeGreaterThanOrEqual(DUPLICATE_COSINE);
    const hits = similarToKey(indexOf(docs), 0, { limit: 10 });
    expect(ids(hits)).toContain('b');
    expect(ids(hits).filter((id) => id.startsWith('a'))).toHaveLength(1);
  });

  it('when duplicates are asked for, then both copies are listed', () => {
    const hits = similarToKey(indexOf(docs), 0, { limit: 10, includeDuplicates: true });
    expect(ids(hits).filter((id) => id.startsWith('a')).sort()).toEqual(['a1', 'a2']);
  });

  it('when a copy is left out, then the next article takes its place and the list still holds `limit` hits', () => {
    const hits = similarToKey(indexOf(docs), 0, { limit: 2 });
    expect(hits).toHaveLength(2);
    expect(ids(hits)).toContain('b');
  });

  it('when the corpus is random, then no two listed hits are copies and the list is the greedy pass over the full ranking', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 60, max: 66 }), { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 14 }), (bags) => {
        const corpus = padded(bags.map((b, i) => ({ id: `d${String(i).padStart(2, '0')}`, words: b.map((w) => `w${w}`) })), 7);
        const index = indexOf(corpus);
        const limit = 4;
        const full = similarToKey(index, 0, { limit: 100, includeDuplicates: true }).filter((h) => !h.duplicate);
        const listed = similarToKey(index, 0, { limit });
        const cos = (a: string, b: string) => exactCosine(corpus.find((d) => d.id === a)!.words, corpus.find((d) => d.id === b)!, corpus);
        const greedy: string[] = [];
        for (const h of full.slice(0, DIVERSITY_SCAN * limit)) {
          if (greedy.length < limit && greedy.every((g) => cos(g, h.id) < DUPLICATE_COSINE)) greedy.push(h.id);
        }
        expect(ids(listed)).toEqual(greedy);
      }),
      { numRuns: 200 },
    );
  });
});

describe('SimilarFinder floor (minCosine)', () => {
  const all = find({ limit: 10 });

  it('when a floor is set, then hits below it are left out and the others keep their order and cosines', () => {
    const floor = all[0]!.cosine; // e alone: a–d tie below it
    const kept = find({ limit: 10, minCosine: floor });
    expect(kept).toEqual(all.filter((h) => h.cosine >= floor));
    expect(kept.length).toBeLessThan(all.length);
  });

  it('when the floor is 0 or absent, then nothing is left out; when it is 1, then only exact copies could stay', () => {
    expect(find({ limit: 10, minCosine: 0 })).toEqual(all);
    expect(find({ limit: 10, minCosine: 1 })).toEqual([]);
  });
});

describe('SimilarFinder explanations', () => {
  const source: TestDoc = { id: 'source', words: ['w60', 'w61', 'w62', 'w63', 'w64', 'w65', 'w66', 'w67', 'w68', 'w69'] };
  const docs = padded(
    [
      source,
      { id: 'all-ten', words: [...source.words, 'w70', 'w70', 'w71'] },
      { id: 'two', words: ['w60', 'w60', 'w65', 'w72', 'w73', 'w74'] },
    ],
    3,
  );

  it('when explain is asked, then each hit lists its shared words by share of the cosine, at most 8', () => {
    const hits = similarToKey(indexOf(docs), 0, { limit: 10, explain: true });
    expect(ids(hits)).toEqual(['all-ten', 'two']);
    const [allTen, two] = hits;
    expect(allTen?.terms).toHaveLength(8);
    for (const t of allTen!.terms!) expect(source.words).toContain(t.term);
    expect(two?.terms?.map((t) => t.term)).toEqual(['w60', 'w65']);
    expect(two!.terms![0]!.weight).toBeGreaterThan(two!.terms![1]!.weight);
    expect(two!.terms!.reduce((s, t) => s + t.weight, 0)).toBeCloseTo(two!.cosine, 12);
  });

  it('when explain is not asked, then hits have no terms', () => {
    for (const hit of similarToKey(indexOf(docs), 0, { limit: 10 })) expect(hit).not.toHaveProperty('terms');
  });
});

describe('SimilarFinder limit', () => {
  it.each([1, 2, 4, 5, 100])('when the limit is %p, then at most that many hits come, the best first', (limit) => {
    expect(ids(find({ limit }))).toEqual(['e', 'a', 'b', 'c', 'd'].slice(0, limit));
  });
});

describe('kthLargest', () => {
  it('when asked for the k-th largest of values with repeats, then it is the value a descending sort puts at k', () => {
    const values = [5, 1, 9, 9, 3, 7, 2, 9, 0, 4];
    const sorted = [...values].sort((a, b) => b - a);
    for (let k = 1; k <= values.length; k++) expect(kthLargest(Float64Array.from(values), k)).toBe(sorted[k - 1]);
  });
});
