import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bench/api-process.js';
import { spawnEntry } from './helpers/entry-process.js';
import type { EntryProcess } from './helpers/entry-process.js';
import { generatedCorpus } from './helpers/generated-corpus.js';
import { startIndexer } from './helpers/indexer-cli.js';
import { disagreements, storeContents } from './helpers/store-contents.js';

/**
 * Writers in several processes at once on one DATA_DIR: the service (two workers, each writing POSTed articles)
 * and an indexer loading a corpus. Every write queues for the store file's lock instead of failing; a reader
 * looking at the stores while they write never finds an article in one store and not another; and in the end each
 * article is in every store (articles, term vectors, entities) with the same content.
 */
const ADMIN_KEY = 'admin-key-for-concurrent-writers-0123456789';
const CLIENTS = 6;
const POSTS_PER_CLIENT = 8;
const ARTICLES_PER_POST = 25;
const CORPUS = 2_500;

const posted = (client: number, post: number) =>
  Array.from({ length: ARTICLES_PER_POST }, (_, i) => ({
    id: `api-${client}-${post}-${i}`,
    title: `Harbour council vote ${client} ${post} ${i}`,
    body: `Councillor Mara Vint said the ferry ${client}-${post}-${i} will leave Valmora at dawn. The harbour master agreed.`,
  }));

async function waitUntilServing(service: EntryProcess, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((service.output().match(/"msg":"listening"/g) ?? []).length < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  expect(health.status).toBe(200);
}

describe('when the API and an indexer write to the same store at once', () => {
  let tmp: string;
  let dataDir: string;
  let statuses: number[];
  let indexerStatus: number | null;
  let snapshots: string[][];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-writers-'));
    dataDir = path.join(tmp, 'data');
    const corpus = path.join(tmp, 'corpus.jsonl');
    fs.writeFileSync(corpus, generatedCorpus(CORPUS));
    const port = await freePort();
    const service = spawnEntry('src/main.ts', [], {
      DATA_DIR: dataDir,
      PORT: String(port),
      WORKERS: '2',
      DEMO_DATA: 'off',
      LOG_LEVEL: 'info',
      ADMIN_API_KEY: ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    try {
      await waitUntilServing(service, port);
      const indexer = startIndexer(['--batch-size', '500', corpus], dataDir);
      const indexerExit = new Promise<number | null>((resolve) => indexer.once('exit', (code) => resolve(code)));
      const client = async (c: number) => {
        const out: number[] = [];
        for (let p = 0; p < POSTS_PER_CLIENT; p++) {
          const res = await fetch(`http://127.0.0.1:${port}/api/articles`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
            body: JSON.stringify(posted(c, p)),
          });
          out.push(res.status);
        }
        return out;
      };
      let writing = true;
      snapshots = [];
      const watch = (async () => {
        while (writing) {
          snapshots.push(disagreements(storeContents(dataDir)));
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      statuses = (await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)))).flat();
      indexerStatus = await indexerExit;
      writing = false;
      await watch;
    } finally {
      service.stop();
      await service.exited;
    }
  }, 240_000);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('then every POST succeeds and the indexer finishes without error', () => {
    expect(statuses).toHaveLength(CLIENTS * POSTS_PER_CLIENT);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(indexerStatus).toBe(0);
  });

  it('then at every moment a reader looked, the stores agreed on every article', () => {
    expect(snapshots.length).toBeGreaterThan(10);
    expect(snapshots.filter((d) => d.length > 0)).toEqual([]);
  });

  it('then every store holds every article, with the same content', () => {
    const contents = storeContents(dataDir);
    expect(contents.articles.size).toBe(CORPUS + CLIENTS * POSTS_PER_CLIENT * ARTICLES_PER_POST);
    expect(disagreements(contents)).toEqual([]);
  });
});
