import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deriveArticleId } from '../../src/core/article.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createMetrics } from '../../src/http/metrics.js';
import { IndexerRuns } from '../../src/storage/indexer-runs.js';
import type { CliRun } from '../helpers/indexer-cli.js';
import { storedArticles } from '../helpers/indexer-cli.js';
import { eventually, finished, HttpSite, runIndexerAsync, startIndexerPiped } from '../helpers/http-site.js';

/**
 * Follow mode (--every) against a loopback site whose feed changes between polls: an item added is picked up, an
 * item that drops out of the feed stays indexed (a feed is a window), a changed item is updated; a source that
 * answers 500 recovers while its neighbour goes on; SIGTERM ends the run with status 0; the state (validators,
 * failures) survives a restart and shows in /metrics.
 */

const idOf = (url: string) => deriveArticleId({ url, title: '', body: '' } as never);

interface Item {
  slug: string;
  title: string;
  text: string;
}

const rss = (base: string, title: string, items: readonly Item[]) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${title}</title>
${items
  .map((i) => `<item><title>${i.title}</title><link>${base}/news/${i.slug}</link><pubDate>Mon, 04 May 2026 08:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>${i.text}</p>]]></content:encoded></item>`)
  .join('\n')}
</channel></rss>`;

describe('follow mode (--every) against a feed that changes', () => {
  const site = new HttpSite();
  let base: string;
  let tmp: string;
  let live: Item[];
  let followed: CliRun;
  let restarted: CliRun;
  const dataDir = () => path.join(tmp, 'data');
  const stored = async (slug: string) => (await storedArticles(dataDir(), [idOf(`${base}/news/${slug}`)]))[idOf(`${base}/news/${slug}`)];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-follow-'));
    base = await site.start();
    live = [{ slug: 'dam', title: 'Dam inspection finds cracks', text: 'Engineers found cracks in the northern dam wall.' }];
    site.routes.set('/live.rss', (req, res) => {
      const body = rss(base, 'Live Desk', live);
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 12)}"`;
      if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
    });
    site.routes.set('/flaky.rss', (_req, res, hits) => {
      if (hits <= 2) res.writeHead(500).end('down');
      else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(base, 'Flaky Post', [{ slug: 'ferry', title: 'Ferry back in service', text: 'The ferry resumed on Tuesday.' }]));
    });

    site.routes.set('/away.rss', { status: 503, headers: { 'retry-after': '3600' } });

    const args = ['--every', '1s', '--retries', '0', '--host-delay', '0', `${base}/live.rss`, `${base}/flaky.rss`, `${base}/away.rss`];
    const child = startIndexerPiped(args, dataDir());
    try {
      await eventually(async () => (await stored('dam')) !== undefined, 'the first item is indexed');
      // between two polls: an item is added, the first drops out of the window
      live = [{ slug: 'bridge', title: 'Bridge reopens', text: 'The old bridge reopened to traffic.' }];
      await eventually(async () => (await stored('bridge')) !== undefined, 'the added item is indexed');
      // the item changes (the publisher corrects it)
      live = [{ slug: 'bridge', title: 'Bridge reopens after repairs', text: 'The old bridge reopened to traffic after repairs.' }];
      await eventually(async () => (await stored('bridge'))?.title === 'Bridge reopens after repairs', 'the changed item is updated');
      await eventually(async () => (await stored('ferry')) !== undefined, 'the flaky source recovers');
    } finally {
      child.kill('SIGTERM');
      followed = await finished(child);
    }
    restarted = await runIndexerAsync(['--json', `${base}/live.rss`], dataDir());
  });

  afterAll(async () => {
    await site.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('when an item is added to the feed between two polls, then it is indexed; the item that dropped out stays', async () => {
    expect(await stored('bridge')).toMatchObject({ title: 'Bridge reopens after repairs', body: 'The old bridge reopened to traffic after repairs.', source: 'Live Desk' });
    expect(await stored('dam')).toMatchObject({ title: 'Dam inspection finds cracks' });
  });

  it('when the feed has not changed, then the poll sends its ETag back and gets a 304', () => {
    const conditional = site.hitsOf('/live.rss').filter((h) => h.headers['if-none-match'] !== undefined);
    expect(conditional.length).toBeGreaterThan(0);
  });

  it('when SIGTERM arrives, then the follow run finishes its batch and exits 0', () => {
    expect(followed.status).toBe(0);
    expect(followed.stderr).toMatch(/flaky\.rss: HTTP 500/);
  });

  it('when a source answers 503 with a Retry-After of an hour, then the later polls leave it alone', () => {
    expect(site.hitsOf('/away.rss')).toHaveLength(1);
    expect(followed.stderr).toMatch(/skipping http:\/\/127\.0\.0\.1:\d+\/away\.rss until /);
    const runs = new IndexerRuns(path.join(dataDir(), 'indexer-state.db'));
    try {
      const away = runs.sources().find((s) => s.url.endsWith('/away.rss'));
      expect(away?.notBefore).toBeGreaterThan((away?.lastErrorAt ?? 0) + 3_500_000);
    } finally {
      runs.close();
    }
  });

  it('when the indexer restarts, then its state is there: the ETag is sent back and the source shows its history', () => {
    expect(restarted.status).toBe(0);
    expect(site.hitsOf('/live.rss').at(-1)?.headers['if-none-match']).toMatch(/^"[0-9a-f]{12}"$/);
    expect(JSON.parse(restarted.stdout.trim())).toMatchObject({ read: 0, indexed: 0 });
    const runs = new IndexerRuns(path.join(dataDir(), 'indexer-state.db'));
    try {
      const flaky = runs.sources().find((s) => s.url.endsWith('/flaky.rss'));
      expect(flaky).toMatchObject({ consecutiveFailures: 0, failuresTotal: 2, items: 1, lastError: expect.stringMatching(/HTTP 500/) as string });
    } finally {
      runs.close();
    }
  });

  it('when /metrics is scraped, then each source shows its last success, items, failures and lag', async () => {
    const engine = SqliteEngine.open({ file: path.join(dataDir(), 'newsfind.db') });
    const runs = new IndexerRuns(path.join(dataDir(), 'indexer-state.db'));
    try {
      const metrics = createMetrics({ engine, indexerRuns: runs, logError: (e) => { throw e; } });
      const text = await metrics.registry.metrics();
      const flaky = `source="${base}/flaky.rss"`;
      expect(text).toMatch(new RegExp(`newsfind_source_items\\{${flaky}\\} 1\\n`));
      expect(text).toMatch(new RegExp(`newsfind_source_failures\\{${flaky}\\} 2\\n`));
      expect(text).toMatch(new RegExp(`newsfind_source_consecutive_failures\\{${flaky}\\} 0\\n`));
      expect(text).toMatch(new RegExp(`newsfind_source_last_success_timestamp_seconds\\{${flaky}\\} \\d+`));
      expect(text).toMatch(new RegExp(`newsfind_source_lag_seconds\\{source="${base}/live.rss"\\} [\\d.]+`));
    } finally {
      runs.close();
      await engine.close();
    }
  });
});
