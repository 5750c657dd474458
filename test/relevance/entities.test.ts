import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readJsonl, SHARED } from '../../bench/corpus.js';
import type { LabelledRecord } from '../../bench/entity-quality.js';
import { PEER_ENTITY, scoreEntityFilter } from '../../bench/entity-quality.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { createApp } from '../../src/http/app.js';
import { ingestArticles, refreshEntities } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';

/**
 * Entities on the Reuters shared file (never copied into the repository): the person filter against the PEOPLE
 * labels, scored as ../shared/peers/peers_entity.py scores Xapian, and an export of every article streamed with
 * flat memory. Skipped, saying so, where ../shared is absent.
 */
const file = `${SHARED}/corpus/reuters21578.jsonl`;
const suite = fs.existsSync(file) ? describe : describe.skip;
if (!fs.existsSync(file)) console.warn(`entity relevance skipped: ${file} is absent`);

suite('entities on the Reuters shared file', () => {
  // made in beforeAll: a skipped describe still runs its body (no temporary folder left behind, nothing read)
  let dir: string;
  let records: LabelledRecord[];
  let engine: SqliteEngine;
  let entities: Entities;
  let similarity: Similarity;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-entities-test-'));
    records = readJsonl(file) as LabelledRecord[];
    engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db') });
    entities = Entities.open(path.join(dir, 'entities.db'));
    similarity = Similarity.open(':memory:', { serve: true });
    await ingestArticles({ engine, entities }, records.map((value, i) => ({ location: `record ${i}`, value })));
    await refreshEntities({ engine, entities });
  });

  afterAll(async () => {
    await engine.close();
    entities.close();
    similarity.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when each labelled person (≥ 5 articles) is picked by autocomplete and filtered on, then precision@10 beats Xapian and recall@50 ≥ 0.97', async () => {
    const scores = await scoreEntityFilter({ engine, entities }, records, 'people');
    expect(scores.names).toBeGreaterThanOrEqual(40);
    expect(scores.found).toBe(scores.names);
    expect(scores.precisionAt10).toBeGreaterThan(PEER_ENTITY.precisionAt10);
    expect(scores.recallAt50).toBeGreaterThanOrEqual(0.97);
  });

  it('when every article is exported as CSV, then all of them arrive, streamed in chunks, with flat memory', async () => {
    const app = createApp({ engine, similarity, entities, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    // the heap that survives a full collection, sampled while the export runs: garbage does not count
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const retained = () => (gc(), process.memoryUsage().heapUsed);
    const baseline = retained();
    let peak = baseline;
    try {
      const { lines, chunks } = await new Promise<{ lines: number; chunks: number }>((resolve, reject) => {
        http.get(`http://127.0.0.1:${port}/api/search?q=&format=csv`, (res) => {
          let count = 0;
          let n = 0;
          res.on('data', (chunk: Buffer) => {
            if (++n % 5 === 0) peak = Math.max(peak, retained());
            for (const byte of chunk) if (byte === 10) count++;
          });
          res.on('end', () => resolve({ lines: count, chunks: n }));
          res.on('error', reject);
        });
      });
      // every article once, plus the header (titles hold no line breaks in this corpus)
      expect(lines).toBe(records.length + 1);
      expect(chunks).toBeGreaterThan(10);
      // the articles with their bodies are ~20 MB and the CSV ~3 MB: at most a page of 500 is ever held
      expect(peak - baseline).toBeLessThan(8 * 1024 * 1024); // measured: under 1 MB
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
