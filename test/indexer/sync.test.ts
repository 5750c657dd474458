import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deriveArticleId } from '../../src/core/article.js';
import { SimilarityStore } from '../../src/similarity/similarity-store.js';
import type { CliRun } from '../helpers/indexer-cli.js';
import { FIXTURES, runIndexer, storedArticles, storedCount } from '../helpers/indexer-cli.js';

/**
 * Sync through the real CLI: a source changes between runs (an article added, one changed, one gone), and
 * --dry-run, --prune and --reset must report and do the right thing to both the search and the similarity index.
 */
const line = (id: string, title = `Story ${id} about the harbour`) => `${JSON.stringify({ id, title, body: `The body of ${id}, about ferries and the harbour.` })}\n`;

function similarityIds(dataDir: string): string[] {
  const store = SimilarityStore.open(path.join(dataDir, 'newsfind.db'));
  try {
    return (store.db.prepare('SELECT id FROM sim_docs ORDER BY id').pluck().all() as string[]);
  } finally {
    store.close();
  }
}

describe('indexer CLI sync: --dry-run, --prune, --reset', () => {
  let tmp: string;
  const file = (name: string) => path.join(tmp, name);
  const data = () => file('data');
  const runs: Record<string, CliRun> = {};
  const snapshots: Record<string, { count: number; similarity: string[] }> = {};
  const snapshot = async (name: string) => {
    snapshots[name] = { count: await storedCount(data()), similarity: similarityIds(data()) };
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-sync-'));
    fs.writeFileSync(file('a.jsonl'), line('a1') + line('a2') + line('a3'));
    fs.writeFileSync(file('b.jsonl'), line('b1'));
    runs.first = runIndexer(['--json', file('a.jsonl'), file('b.jsonl')], data());
    fs.writeFileSync(file('a.jsonl'), line('a1') + line('a3', 'Story a3, corrected') + line('a4'));
    runs.dry = runIndexer(['--json', '--dry-run', '--prune', file('a.jsonl')], data());
    await snapshot('afterDry');
    runs.prune = runIndexer(['--json', '--prune', file('a.jsonl')], data());
    await snapshot('afterPrune');
    runs.again = runIndexer(['--json', '--prune', file('a.jsonl')], data());
    fs.renameSync(file('a.jsonl'), file('a-moved.jsonl'));
    runs.missing = runIndexer(['--json', '--prune', file('a.jsonl')], data());
    await snapshot('afterMissing');
    runs.reset = runIndexer(['--json', '--reset', file('b.jsonl')], data());
    await snapshot('afterReset');
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const report = (name: string) => JSON.parse(runs[name]!.stdout) as Record<string, unknown>;

  it('when a source changed, then --dry-run reports what would be added, changed, unchanged and deleted, and writes nothing', async () => {
    expect(runs.dry!.status).toBe(0);
    expect(report('dry')).toMatchObject({ read: 3, deleted: 1, dryRun: { added: 1, changed: 1, unchanged: 1 } });
    expect(snapshots.afterDry).toEqual({ count: 4, similarity: ['a1', 'a2', 'a3', 'b1'] });
  });

  it('when --prune runs, then the article gone from the source leaves both indexes and the others are updated', async () => {
    expect(report('prune')).toMatchObject({ read: 3, indexed: 2, unchanged: 1, deleted: 1, rejected: 0 });
    expect(snapshots.afterPrune).toEqual({ count: 4, similarity: ['a1', 'a3', 'a4', 'b1'] });
  });

  it('when the same source is pruned again unchanged, then nothing is written or deleted', () => {
    expect(report('again')).toMatchObject({ read: 3, indexed: 0, unchanged: 3, deleted: 0 });
  });

  it('when a pruned source cannot be read, then it is rejected and nothing of it is deleted', () => {
    expect(runs.missing!.status).toBe(1);
    expect(report('missing')).toMatchObject({ read: 1, rejected: 1, deleted: 0 });
    expect(runs.missing!.stderr).toMatch(/not pruning .*a\.jsonl/);
    expect(snapshots.afterMissing!.count).toBe(4);
  });

  it('when --reset runs, then both indexes hold only what this run read', async () => {
    expect(report('reset')).toMatchObject({ read: 1, indexed: 1, unchanged: 0 });
    expect(snapshots.afterReset).toEqual({ count: 1, similarity: ['b1'] });
    expect(Object.keys(await storedArticles(data(), ['b1']))).toEqual(['b1']);
  });
});

describe('indexer CLI on folders of every source kind', () => {
  let tmp: string;
  let run: CliRun;
  let usage: Record<string, CliRun>;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-kinds-'));
    const folders = ['pages-text', 'pages-html', 'feeds', 'csv'].map((f) => path.join(FIXTURES, f));
    const map = 'title=headline,body=text,publishedAt=date,category=section,tags=keywords,url=link';
    run = runIndexer(['--json', '--map', map, '--rejects', path.join(tmp, 'rejects.jsonl'), ...folders], path.join(tmp, 'data'));
    usage = {
      map: runIndexer(['--map', 'headline=title', path.join(FIXTURES, 'csv')], path.join(tmp, 'usage')),
      format: runIndexer(['--format', 'yaml', path.join(FIXTURES, 'csv')], path.join(tmp, 'usage')),
      both: runIndexer(['--dry-run', '--reset', path.join(FIXTURES, 'csv')], path.join(tmp, 'usage')),
      rejects: runIndexer(['--rejects', path.join(tmp, 'no-such-folder', 'r.jsonl'), path.join(FIXTURES, 'csv')], path.join(tmp, 'usage')),
    };
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('then every kind is read and counted: 2 text pages, 2 HTML pages, 7 feed items, 7 CSV rows', () => {
    expect(run.status).toBe(1);
    // herald.rss item 4's unreadable pubDate costs it its date, not the item (kept with a warning)
    expect(JSON.parse(run.stdout)).toMatchObject({ read: 18, indexed: 12, rejected: 6 });
  });

  it('then a feed entry with the same canonical URL as a page already read is a duplicate id', () => {
    const rejects = fs.readFileSync(path.join(tmp, 'rejects.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { location: string; issues: { path: string; message: string }[] });
    expect(rejects.find((r) => r.location === 'feeds/kestria.atom:6 (item 1)')?.issues).toEqual([
      { path: 'id', message: expect.stringContaining('first seen at pages-html/council-vote.htm') },
    ]);
    expect(rejects.map((r) => r.location)).toEqual([
      'feeds/herald.rss:24 (item 3)',
      'feeds/kestria.atom:6 (item 1)',
      'csv/export.csv:6',
      'csv/export.csv:7',
      'csv/export.csv:8',
      'csv/export.csv:9',
    ]);
  });

  it('then pages and items are stored under ids from their canonical URLs, with their metadata', async () => {
    const lighthouse = deriveArticleId({ url: 'https://herald.example/culture/lighthouse-restored', title: '', body: '' });
    const ferry = deriveArticleId({ url: 'https://herald.example/transport/ferry-fares', title: '', body: '' });
    const stored = await storedArticles(path.join(tmp, 'data'), [lighthouse, ferry]);
    expect(stored[lighthouse]).toMatchObject({ author: 'Ilse Marrow', publishedAt: '2026-04-02T06:15:00.000Z', source: 'Valmora Herald' });
    expect(stored[ferry]).toMatchObject({ title: 'Ferry fares to rise in April', tags: ['Transport', 'Ferries'] });
  });

  it('when --map, --format or the options are wrong, then the run stops with exit 2 naming the problem', () => {
    expect(usage.map).toMatchObject({ status: 2, stderr: expect.stringContaining('"headline" is not an article field') });
    expect(usage.format).toMatchObject({ status: 2, stderr: expect.stringContaining('--format') });
    expect(usage.both).toMatchObject({ status: 2, stderr: expect.stringContaining('--dry-run and --reset') });
    expect(usage.rejects).toMatchObject({ status: 2, stderr: expect.stringContaining('--rejects: cannot write') });
    expect(fs.existsSync(path.join(tmp, 'usage', 'newsfind.db'))).toBe(false);
  });
});
