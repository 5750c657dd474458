import { Meilisearch } from 'meilisearch';
import { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import type { SearchEngine } from '../../src/engines/search-engine.js';
import { engineContract } from './engine-contract.js';

/**
 * The contract against a live Meilisearch: opt-in (MEILI_URL, and MEILI_MASTER_KEY when the instance has one),
 * since `npm test` needs no network and no Docker. Each test gets its own index (`contract_<run>_<n>`), deleted when
 * the engine is closed. The master key is used as both the search and the admin key, so that no key is created per
 * test; key bootstrap is covered by meilisearch-adapter.test.ts.
 */
const url = process.env.MEILI_URL;
const masterKey = process.env.MEILI_MASTER_KEY;

if (url) {
  const run = Date.now().toString(36);
  let opened = 0;
  const admin = new Meilisearch({ host: url, ...(masterKey ? { apiKey: masterKey } : {}) });

  engineContract('meilisearch', async () => {
    const index = `contract_${run}_${++opened}`;
    const engine = new MeilisearchEngine({
      url,
      index,
      keys: masterKey ? { searchKey: masterKey, adminKey: masterKey } : {},
      role: 'api',
      taskTimeoutMs: 30_000,
      taskIntervalMs: 10,
    });
    const close = async () => {
      await engine.close();
      await admin.deleteIndex(index).waitTask({ timeout: 30_000 });
    };
    return {
      upsert: (articles) => engine.upsert(articles),
      delete: (ids) => engine.delete(ids),
      clear: () => engine.clear(),
      get: (id) => engine.get(id),
      search: (request) => engine.search(request),
      allResults: (request, batch) => engine.allResults(request, batch),
      stats: () => engine.stats(),
      health: () => engine.health(),
      sync: () => engine.sync(),
      findsNamedEntities: () => engine.findsNamedEntities(),
      close,
    } satisfies SearchEngine;
  });
} else {
  describe.skip('meilisearch engine contract: SKIPPED — set MEILI_URL (and MEILI_MASTER_KEY) to run it against a live Meilisearch', () => {
    it('runs the engine contract against a live Meilisearch', () => undefined);
  });
}
