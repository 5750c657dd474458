import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedCorpus } from '../helpers/generated-corpus.js';
import { runIndexer, startIndexer } from '../helpers/indexer-cli.js';
import type { StoreContents } from '../helpers/store-contents.js';
import { committedArticles, disagreements, storeContents } from '../helpers/store-contents.js';

/**
 * All or nothing across the stores: the indexer is killed with SIGKILL the moment the search store shows a new
 * batch of articles (when, writing store after store, the term vectors and entities of that batch would still be
 * on their way), and what is on disk — what a restarted process opens — must hold every article in every store
 * (articles, term vectors, entities, with the same content) or in none.
 */
const ARTICLES = 3_000;


/** Starts the indexer, kills it once the search store holds more than `threshold` articles, and returns the disk's state. */
async function killPast(args: readonly string[], dataDir: string, threshold: number): Promise<{ killed: boolean; contents: StoreContents }> {
  const child = startIndexer(args, dataDir);
  let done = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (done = true));
  while (!done && committedArticles(dataDir) <= threshold) await new Promise((resolve) => setTimeout(resolve, 2));
  const killed = !done && child.kill('SIGKILL');
  await exited;
  return { killed, contents: storeContents(dataDir) };
}

describe('when an indexer is killed with SIGKILL in the middle of a multi-store write', () => {
  let tmp: string;
  let data: string;
  let corpus: string;
  let kills: { killed: boolean; contents: StoreContents }[];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-atomic-'));
    corpus = path.join(tmp, 'corpus.jsonl');
    fs.writeFileSync(corpus, generatedCorpus(ARTICLES));
    data = path.join(tmp, 'data');
    kills = [];
    for (const fraction of [0, 0.2, 0.4, 0.6, 0.8]) {
      kills.push(await killPast(['--batch-size', '250', corpus], data, Math.floor(ARTICLES * fraction)));
    }
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('then the kills landed while the run was writing', () => {
    const partWay = kills.filter((k) => k.killed && k.contents.articles.size > 0 && k.contents.articles.size < ARTICLES);
    expect(partWay.length).toBeGreaterThanOrEqual(3);
  });

  it('then after each kill every article is wholly present in every store, or wholly absent', () => {
    for (const kill of kills) {
      expect(disagreements(kill.contents)).toEqual([]);
    }
  });

  it('then a re-run completes the store, and every store agrees on every article', () => {
    const rerun = runIndexer(['--json', corpus], data);
    expect(rerun.status).toBe(0);
    const contents = storeContents(data);
    expect(contents.articles.size).toBe(ARTICLES);
    expect(disagreements(contents)).toEqual([]);
  });
});
