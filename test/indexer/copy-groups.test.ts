import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIndexer, storedArticles } from '../helpers/indexer-cli.js';

/**
 * Articles the indexer writes get their copy group as an API write does (services/article-writes.ts): its write
 * path was built without the store's copy groups, so syndicated copies it wrote were never collapsed in search nor
 * marked as copies in story threads, and every reconcile (the service's start) "healed" every one of them.
 */
describe('copy groups of articles written by the indexer', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-indexer-copies-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when the indexer writes a syndicated copy, then it joins the first article\'s group, and a reconcile finds nothing to heal', async () => {
    const body = 'The Valmora central bank raised its main rate by half a point on Tuesday, citing wage growth and a weaker currency.';
    const file = path.join(dir, 'copies.jsonl');
    fs.writeFileSync(file, [
      { id: 'wire-a', title: 'Valmora raises rates', body, publishedAt: '2026-03-01T08:00:00Z' },
      { id: 'wire-b', title: 'Valmora raises rates', body, publishedAt: '2026-03-01T09:00:00Z' },
      { id: 'other', title: 'Harbour strike ends', body: 'Dockers in Kestria returned to work after a three-week strike over pay.' },
    ].map((a) => JSON.stringify(a)).join('\n') + '\n');
    const dataDir = path.join(dir, 'data');
    expect(runIndexer([file], dataDir).status).toBe(0);
    const stored = await storedArticles(dataDir, ['wire-a', 'wire-b', 'other']);
    expect(stored['wire-a']?.copyGroup).toBeDefined();
    expect(stored['wire-b']?.copyGroup).toBe(stored['wire-a']?.copyGroup);
    expect(stored['other']?.copyGroup).not.toBe(stored['wire-a']?.copyGroup);
    const reconcile = runIndexer(['--json', '--reconcile'], dataDir);
    expect(reconcile.status).toBe(0);
    expect(JSON.parse(reconcile.stdout)).toMatchObject({ reconciled: { mismatched: 0, healed: 0 } });
  });
});
