import fc from 'fast-check';
import type { IndexedDoc } from '../../src/core/keyword/keyword-index.js';
import { KeywordIndex, MAX_FIELD_WORDS } from '../../src/core/keyword/keyword-index.js';
import { COMPACT_STEP_ENTRIES } from '../../src/core/keyword/stepped-compaction.js';
import { KeywordSearch } from '../../src/core/keyword/keyword-search.js';
import { parseQuery } from '../../src/core/query-parser.js';
import { BODY_OFFSET } from '../../src/core/keyword/posting-list.js';

const doc = (key: number, title: string, body: string): IndexedDoc => ({ key, id: `a${key}`, title, body });

/** What the index holds for a term in one document: title and body frequencies and positions, or undefined. */
function posting(index: KeywordIndex, term: string, key: number): { titleTf: number; bodyTf: number; positions: number[] } | undefined {
  const id = index.termIds.get(term);
  const slot = index.keys.lastIndexOf(key);
  if (id === undefined || slot < 0 || index.alive[slot] !== 1) return undefined;
  const list = index.lists[id]!;
  const i = list.find(slot);
  if (i < 0) return undefined;
  return { titleTf: list.titleTf(i), bodyTf: list.bodyTf(i), positions: [...list.positionsOf(i)] };
}

describe('KeywordIndex.add', () => {
  it('when copies are added, replaced and removed, then groupSize counts the live members of each group', () => {
    const index = new KeywordIndex();
    const copy = (key: number, group: string): IndexedDoc => ({ ...doc(key, 'Strike ends', ''), copyGroup: group });
    index.add(copy(1, 'g'));
    index.add(copy(2, 'g'));
    index.add(copy(3, 'h'));
    const size = (group: string) => index.groupSize[index.groups.idOf(group)!];
    expect([size('g'), size('h')]).toEqual([2, 1]);
    index.add(copy(2, 'h'));
    expect([size('g'), size('h')]).toEqual([1, 2]);
    index.remove(1);
    index.remove(3);
    expect([size('g'), size('h')]).toEqual([0, 1]);
  });

  it(`when a body has more than ${MAX_FIELD_WORDS} words, then the words past that are not indexed (Meilisearch's limit per attribute)`, () => {
    const index = new KeywordIndex();
    const filler = (n: number) => Array.from({ length: n }, () => 'filler').join(' ');
    index.add(doc(1, 'Long report', `${filler(MAX_FIELD_WORDS - 1)} kept ${filler(10)} dropped`));
    expect(posting(index, 'kept', 1)).toEqual({ titleTf: 0, bodyTf: 1, positions: [BODY_OFFSET + MAX_FIELD_WORDS - 1] });
    expect(posting(index, 'dropped', 1)).toBeUndefined();
    expect(posting(index, 'filler', 1)?.bodyTf).toBe(MAX_FIELD_WORDS - 1);
  });

  it('when a word is in the title and the body, then its frequencies and positions are kept per field', () => {
    const index = new KeywordIndex();
    index.add(doc(1, 'Oil prices rise', 'Oil rose as oil stocks fell; prices steady'));
    expect(posting(index, 'oil', 1)).toEqual({ titleTf: 1, bodyTf: 2, positions: [0, BODY_OFFSET, BODY_OFFSET + 3] });
    expect(posting(index, 'prices', 1)).toEqual({ titleTf: 1, bodyTf: 1, positions: [1, BODY_OFFSET + 6] });
    expect(posting(index, 'fell', 1)).toEqual({ titleTf: 0, bodyTf: 1, positions: [BODY_OFFSET + 5] });
  });

  it('when documents are added one by one or in bulk, then the postings are the same', () => {
    const words = ['oil', 'gas', 'price', 'rise', 'fall', 'opec', 'saudi'];
    const text = fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 8 }), (docs) => {
        const one = new KeywordIndex();
        docs.forEach(([t, b], i) => one.add(doc(i + 1, t, b)));
        const bulk = new KeywordIndex();
        bulk.addAll(docs.map(([t, b], i) => doc(i + 1, t, b)));
        for (const w of words) {
          for (let k = 1; k <= docs.length; k++) expect(posting(one, w, k)).toEqual(posting(bulk, w, k));
          expect(one.df[one.termIds.get(w) ?? -1] ?? 0).toBe(bulk.df[bulk.termIds.get(w) ?? -1] ?? 0);
        }
      }),
    );
  });

  it('when a document is replaced, then only its new words are held for it', () => {
    const index = new KeywordIndex();
    index.add(doc(1, 'Cocoa review', 'cocoa crop'));
    index.add(doc(1, 'Wheat review', 'wheat crop'));
    expect(posting(index, 'cocoa', 1)).toBeUndefined();
    expect(posting(index, 'wheat', 1)).toEqual({ titleTf: 1, bodyTf: 1, positions: [0, BODY_OFFSET] });
    expect(index.df[index.termIds.get('cocoa')!]).toBe(0);
  });
});

describe('KeywordIndex.termsWithPrefix', () => {
  it('when words arrive after the vocabulary was sorted, then prefix lookups find them in order at once', () => {
    const index = new KeywordIndex();
    index.addAll([doc(1, 'inflation index', 'industry')]);
    index.prepareQueries();
    index.add(doc(2, 'indigo inner', 'indices'));
    expect(index.termsWithPrefix('in')).toEqual(['index', 'indices', 'indigo', 'industry', 'inflation', 'inner']);
    index.prepareQueries();
    expect(index.termsWithPrefix('ind')).toEqual(['index', 'indices', 'indigo', 'industry']);
  });

  it('when thousands of new words arrive, then every one is found and the order holds', () => {
    const index = new KeywordIndex();
    index.addAll([doc(1, 'base', 'word')]);
    index.prepareQueries();
    const fresh = Array.from({ length: 5_000 }, (_, i) => `w${(i * 7919) % 5_000}x`);
    fresh.forEach((w, i) => index.add(doc(i + 2, w, 'body')));
    const found = index.termsWithPrefix('w');
    expect(found).toEqual(['word', ...fresh].sort());
  });
});

describe('KeywordIndex compaction', () => {
  /** Entries of removed documents still in the posting lists. */
  const deadEntries = (index: KeywordIndex): number =>
    index.lists.reduce((sum, list) => sum + Array.from(list.docs.subarray(0, list.length)).filter((d) => index.alive[d] !== 1).length, 0);
  const docs = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ key: i + 1, id: `a${i + 1}`, title: `Report ${i}`, body: `word${i % 500} harbour strike ${'filler '.repeat(i % 7)}day${i}` }));

  it('when many articles are removed, then the lists are compacted a step at a time, never all in one removal', () => {
    const index = new KeywordIndex();
    index.addAll(docs(4_000));
    let key = 1;
    while (!index.compacting) index.remove(key++);
    // the removal that began the compaction left most lists to later steps
    expect(deadEntries(index)).toBeGreaterThan(1_000);
    let steps = 0;
    while (!index.compactSome(COMPACT_STEP_ENTRIES)) steps++;
    expect(steps).toBeGreaterThan(3);
    expect(deadEntries(index)).toBe(0);
  });

  it('when a compaction is under way, then searches find what they found before it, and after', () => {
    const index = new KeywordIndex();
    index.addAll(docs(3_000));
    const search = () => new KeywordSearch(index).search({ query: parseQuery('harbour word7 '), match: 'last', sort: 'relevance', filter: {}, offset: 0, limit: 50, facets: [] });
    for (let key = 1; !index.compacting; key += 2) index.remove(key);
    const during = search();
    while (!index.compactSome(100));
    const after = search();
    expect(after.keys).toEqual(during.keys);
    expect(after.total).toBe(during.total);
  });
});
