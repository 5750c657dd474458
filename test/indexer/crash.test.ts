import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentHash } from '../../src/core/article.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { SimilarityStore } from '../../src/similarity/similarity-store.js';
import { generatedCorpus } from '../helpers/generated-corpus.js';
import { runIndexer, startIndexer } from '../helpers/indexer-cli.js';
import { committedArticles } from '../helpers/store-contents.js';

/**
 * Crash safety: the indexer is killed with SIGKILL at several points of a run (while it starts, and once a fifth,
 * a half and four fifths of the corpus are in the store), re-run to completion, and the result must equal an
 * uninterrupted run into another DATA_DIR: the same ids with the same content hashes in the engine, nothing
 * duplicated, and the similarity index holding exactly the articles of the search index.
 */
const ARTICLES = 4_000;


/** Runs the indexer and kills it with SIGKILL once `when` holds (or it ends by itself); returns what the store held. */
async function runAndKill(args: readonly string[], dataDir: string, when: () => boolean): Promise<{ killed: boolean; count: number }> {
  const child = startIndexer(args, dataDir);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && !when()) await new Promise((resolve) => setTimeout(resolve, 10));
  const killed = !done && child.kill('SIGKILL');
  await exited;
  return { killed, count: committedArticles(dataDir) };
}

/** Every article of a run's store as id → content hash, the engine's count, and the similarity index's ids → hash. */
async function snapshot(dataDir: string) {
  const engine = SqliteEngine.open({ file: path.join(dataDir, 'newsfind.db') });
  const similarity = SimilarityStore.open(path.join(dataDir, 'newsfind.db'));
  try {
    const hashes: Record<string, string | undefined> = {};
    for (let i = 1; i <= ARTICLES; i++) {
      const article = await engine.get(`gen-${i}`);
      hashes[`gen-${i}`] = article && contentHash(article);
    }
    const rows = similarity.db.prepare('SELECT id, content_hash FROM sim_docs ORDER BY id').all() as { id: string; content_hash: string }[];
    const search = await engine.search({ q: 'harbour', page: 1, perPage: 1, sort: 'relevance', match: 'all', filters: {}, facets: [] });
    return {
      count: (await engine.stats()).articles,
      hashes,
      similarity: Object.fromEntries(rows.map((r) => [r.id, r.content_hash])),
      harbourHits: search.totalHits,
    };
  } finally {
    await engine.close();
    similarity.close();
  }
}

describe('indexer crash safety (kill -9 and re-run)', () => {
  let tmp: string;
  let kills: { killed: boolean; count: number }[];
  let final: ReturnType<typeof runIndexer>;
  let interrupted: Awaited<ReturnType<typeof snapshot>>;
  let reference: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-crash-'));
    const corpus = path.join(tmp, 'corpus.jsonl');
    fs.writeFileSync(corpus, generatedCorpus(ARTICLES));
    const data = path.join(tmp, 'killed');
    const args = ['--batch-size', '100', corpus];
    const started = Date.now();
    kills = [await runAndKill(args, data, () => Date.now() - started > 400)];
    for (const fraction of [0.2, 0.5, 0.8]) kills.push(await runAndKill(args, data, () => committedArticles(data) >= ARTICLES * fraction));
    final = runIndexer(['--json', ...args], data);
    interrupted = await snapshot(data);
    expect(runIndexer([corpus], path.join(tmp, 'reference')).status).toBe(0);
    reference = await snapshot(path.join(tmp, 'reference'));
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('then the kills landed part-way through runs', () => {
    const partWay = kills.filter((k) => k.killed && k.count < ARTICLES);
    expect(partWay.length).toBeGreaterThanOrEqual(2);
  });

  it('then the re-run completes without rejections and writes only what was missing or half-written', () => {
    expect(final.status).toBe(0);
    const report = JSON.parse(final.stdout) as { read: number; indexed: number; unchanged: number };
    expect(report.read).toBe(ARTICLES);
    expect(report.indexed + report.unchanged).toBe(ARTICLES);
    expect(report.unchanged).toBeGreaterThan(0);
  });

  it('then the search index equals an uninterrupted run: same ids, same content hashes, none twice', () => {
    expect(interrupted.count).toBe(ARTICLES);
    expect(Object.values(interrupted.hashes).every((h) => h !== undefined)).toBe(true);
    expect(interrupted.hashes).toEqual(reference.hashes);
    expect(interrupted.harbourHits).toBe(reference.harbourHits);
  });

  it('then the similarity index holds exactly the articles of the search index, with the same content', () => {
    expect(interrupted.similarity).toEqual(interrupted.hashes);
    expect(reference.similarity).toEqual(reference.hashes);
  });
});
