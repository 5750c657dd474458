import fc from 'fast-check';
import { PostingList } from '../../src/core/keyword/posting-list.js';
import type { ResolvedTerm } from '../../src/core/keyword/resolve.js';
import { proximityOf } from '../../src/core/keyword/term-proximity.js';

/** A document's positions for one source: sorted, distinct. */
const positionsArb = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 4 }).map((p) => p.sort((a, b) => a - b));
/** One source: the documents (0–29) holding it, each with its positions. */
const sourceArb = fc.dictionary(fc.integer({ min: 0, max: 29 }).map(String), positionsArb, { maxKeys: 12 });

function termOf(sources: Record<string, number[]>[]): ResolvedTerm {
  return {
    query: { kind: 'word', text: 'w', prefix: true },
    sources: sources.map((docs, s) => {
      const list = new PostingList();
      for (const doc of Object.keys(docs).map(Number).sort((a, b) => a - b)) list.add(doc, 0, 1, docs[String(doc)]!);
      return { list, typos: 0, term: `w${s}` };
    }),
  };
}

/** The rule, read plainly: consecutive terms not side by side (some position of the second right after one of the first). */
function expected(sources: Record<string, number[]>[][], d: number): number {
  const positions = sources.map((term) => new Set(term.flatMap((docs) => docs[String(d)] ?? [])));
  let sum = 0;
  for (let t = 1; t < positions.length; t++) if (![...positions[t - 1]!].some((p) => positions[t]!.has(p + 1))) sum++;
  return sum;
}

describe('proximityOf', () => {
  it('for any terms, with few sources or many (a short prefix: found by a walk once binary searches cost more), each document gets the count the rule gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.array(sourceArb, { minLength: 1, maxLength: 3 }), fc.array(sourceArb, { minLength: 17, maxLength: 60 })), { minLength: 2, maxLength: 3 }),
        (sources) => {
          const terms = sources.map(termOf);
          // every document, asked in order, then again: the walk starts part way through the first pass
          for (let round = 0; round < 2; round++) {
            for (let d = 0; d < 30; d++) expect(proximityOf(terms, d)).toBe(expected(sources, d));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
