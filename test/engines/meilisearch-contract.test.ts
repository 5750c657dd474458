import { engineContract } from './engine-contract.js';

/** The contract against a live Meilisearch: opt-in (MEILI_URL), since `npm test` needs no network and no Docker. */
if (process.env.MEILI_URL) {
  engineContract('meilisearch', async () => {
    throw new Error(`MEILI_URL is set (${process.env.MEILI_URL}), but the Meilisearch adapter is not built yet (issue 6)`);
  });
} else {
  describe.skip('meilisearch engine contract (set MEILI_URL to run)', () => {
    it('runs the engine contract against a live Meilisearch', () => undefined);
  });
}
