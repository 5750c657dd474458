import fs from 'node:fs';
import { knownItemQueries, readJsonl, SHARED } from '../../bench/corpus.js';
import { PEER_MRR, scoreKnownItems } from '../../bench/known-item.js';
import { byCopyGroup, loadOurEngine, ourSearcher } from '../../bench/our-engine.js';

/**
 * Known-item relevance on the real corpora in ../shared (never copied into the repository): for headlines taken
 * clean, with one typo, and as two words with one misspelled, our mean reciprocal rank must be at least the best
 * peer's figure in ../shared/peers/README.md. Skipped, saying so, where ../shared is absent.
 */
const corpora = [
  ['bbc', `${SHARED}/corpus/bbc.jsonl`],
  ['reuters', `${SHARED}/corpus/reuters21578.jsonl`],
] as const;
const present = corpora.every(([, file]) => fs.existsSync(file));
const suite = present ? describe : describe.skip;
if (!present) console.warn(`known-item relevance skipped: ${SHARED}/corpus is absent`);

suite('known-item relevance on the shared corpora (300 headlines each, seed 42)', () => {
  describe.each(corpora)('%s', (name, file) => {
    let scores: ReturnType<typeof scoreKnownItems>;
    let collapsed: ReturnType<typeof scoreKnownItems>;

    beforeAll(async () => {
      const { engine } = await loadOurEngine(readJsonl(file));
      const queries = knownItemQueries(file, 300, 42);
      scores = scoreKnownItems(ourSearcher(engine), queries);
      collapsed = scoreKnownItems(ourSearcher(engine, { collapse: true, byGroup: true }), byCopyGroup(engine, queries));
      await engine.close();
    }, 300_000); // a corpus of 17,122 articles written as the service writes them, on a busy CI machine

    it.each(['clean', 'typo', 'short'] as const)('when queries are %s, then MRR is at least the best peer', (kind) => {
      expect(scores[kind].n).toBeGreaterThan(250);
      expect(scores[kind].mrr).toBeGreaterThanOrEqual(PEER_MRR[name][kind]);
    });

    it.each(['clean', 'typo', 'short'] as const)('when %s queries are collapsed by copy group (the API default), then MRR is not lower than without', (kind) => {
      expect(collapsed[kind].mrr).toBeGreaterThanOrEqual(scores[kind].mrr);
    });
  });
});
