import fs from 'node:fs';
import { readJsonl, SHARED } from '../../bench/corpus.js';
import { termCounts } from '../../src/core/similarity/analyzer.js';
import { SimilarFinder } from '../../src/core/similarity/find-similar.js';
import { SimilarityIndex } from '../../src/core/similarity/similarity-index.js';

/**
 * Exactness of "more like this" on the Reuters shared file: the top 10 found through the inverted index (strongest
 * 25 terms, candidates re-ranked by exact cosine) against an exhaustive exact cosine over every article under the
 * same weighting. Skipped, saying so, where ../shared is absent.
 */
const file = `${SHARED}/corpus/reuters21578.jsonl`;
const suite = fs.existsSync(file) ? describe : describe.skip;
if (!fs.existsSync(file)) console.warn(`similarity exactness skipped: ${file} is absent`);

suite('"more like this" exactness on the Reuters shared file', () => {
  it('when 200 articles are queried, then recall@10 against the exhaustive exact cosine is at least 0.99', () => {
    const docs = readJsonl<{ id: string; title: string; body: string }>(file);
    const index = new SimilarityIndex();
    const ids = new Map<string, number>();
    index.addAll(
      docs.map((d, key) => {
        const pairs = [...termCounts(d.title, d.body)].map(([term, { count, word }]): [number, number] => {
          let id = ids.get(term);
          if (id === undefined) {
            id = ids.size;
            ids.set(term, id);
            index.setTerm(id, term, word);
          }
          return [id, count];
        });
        pairs.sort((a, b) => a[0] - b[0]);
        return {
          meta: { key, id: d.id },
          vector: { terms: Int32Array.from(pairs, (p) => p[0]), counts: Float32Array.from(pairs, (p) => p[1]) },
        };
      }),
    );
    const finder = new SimilarFinder(index);
    let recall = 0;
    const sources = Array.from({ length: 200 }, (_, k) => (k * 7919) % docs.length);
    for (const d of sources) {
      const query = finder.weigh(index.vectorOf(d)!);
      const found = new Set(finder.find(query, { limit: 10, excludeDoc: d, includeDuplicates: true }).map((h) => h.id));
      const exhaustive: [string, number][] = [];
      for (let o = 0; o < index.slots; o++) if (o !== d) exhaustive.push([index.ids[o]!, index.exactCosine(query, o)]);
      exhaustive.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const best = exhaustive.slice(0, 10).filter(([, c]) => c > 0);
      recall += best.length === 0 ? 1 : best.filter(([id]) => found.has(id)).length / best.length;
    }
    expect(recall / sources.length).toBeGreaterThanOrEqual(0.99);
  });
});
