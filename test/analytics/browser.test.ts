import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { startApi } from '../../bench/api-process.js';
import { queryReportSchema, relatedReportSchema } from '../../src/http/analytics-routes.js';
import type { TestServer } from '../e2e/host-pages.js';
import { hostPage, startHostSite } from '../e2e/host-pages.js';

/**
 * Analytics end to end: the built service (dist/src/main.js) with two HTTP workers on the demo articles, driven in
 * Debian's headless Chromium: a reader searches and clicks a result on the search page, searches for something
 * that is not there, and a news site's widget is seen and clicked; the reports (whichever worker answers) count
 * all of it, and the /analytics page shows them and downloads them as CSV.
 */
const CHROMIUM = '/usr/bin/chromium';
const present = fs.existsSync(CHROMIUM);
if (!present) console.warn(`analytics browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium)`);
const suite = present ? describe : describe.skip;

const ADMIN = 'analytics-e2e-admin-key-0001';
const ELECTION = 'demo-009';
const today = () => new Date().toISOString().slice(0, 10);
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** axe-core's serious and critical findings (WCAG 2 A and AA) on the page as it stands, as `id: targets`. */
const AXE_RUN = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
  .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`;

/** Retries an assertion until it passes or `ms` have passed (the service writes its events about once a second). */
async function eventually(assertion: () => Promise<void>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

suite('analytics in the browser (two workers)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let site: TestServer;
  let browser: Browser;
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
    site = await startHostSite(() => pages);
    api = await startApi(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-analytics-e2e-')), {
      DEMO_DATA: 'data/demo/articles.jsonl',
      WORKERS: '2',
      CORS_ORIGINS: site.origin,
      WEB_DIR: path.resolve('dist/web'),
      ADMIN_API_KEY: ADMIN,
    });
    pages['/story.html'] = hostPage(`${api.url}/widget.js`, ELECTION, { attributes: `data-link-base="${site.origin}/read/"` });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    api?.stop();
    await site?.close();
  });

  const report = async (which: 'queries' | 'related') => {
    const res = await fetch(`${api.url}/api/analytics/${which}`, { headers: { 'X-Api-Key': ADMIN } });
    expect(res.status).toBe(200);
    return (await res.json()) as unknown;
  };

  it('when a reader searches, clicks a result, and searches for what is not there, then the query report shows it', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/?q=${encodeURIComponent('Halvorsen election')}`);
    const first = page.locator('#results li a').first();
    await first.waitFor();
    await Promise.all([page.waitForURL(/\/article\//), first.click()]);
    const related = page.locator('#related li a');
    await related.first().waitFor(); // the article page's "More like this" list reports its impressions
    const relatedShown = await related.count();
    await page.goto(`${api.url}/?q=qqxyzzy`);
    await page.getByText(/No articles match/).waitFor();
    await page.close();
    await eventually(async () => {
      const body = queryReportSchema.parse(await report('queries'));
      expect(body.top).toEqual(expect.arrayContaining([{ query: 'halvorsen election', count: 1 }, { query: 'qqxyzzy', count: 1 }]));
      expect(body.zeroResults).toEqual([{ query: 'qqxyzzy', count: 1 }]);
      expect(body.noClick.map((q) => q.query)).not.toContain('halvorsen election');
      expect(body.daily.find((d) => d.day === today())).toMatchObject({ searches: 2, zeroResults: 1, clicks: 1 });
      expect(relatedReportSchema.parse(await report('related')).totals).toMatchObject({ impressions: relatedShown, clicks: 0 });
    });
  });

  it('when a news site shows the widget and a reader clicks its second link, then the related report counts the impressions and the click', async () => {
    const before = relatedReportSchema.parse(await report('related'));
    const page = await browser.newPage();
    await page.goto(`${site.origin}/story.html`);
    const links = page.locator('.newsfind-widget a');
    await links.first().waitFor();
    const shown = await links.count();
    // the click's beacon is sent as the page navigates away: closing the page before it has left could drop it
    const clickBeacon = page.waitForRequest((r) => r.url().endsWith('/api/events') && (r.postData() ?? '').includes('"click"'));
    await Promise.all([page.waitForURL(/\/read\//), links.nth(1).click(), clickBeacon]);
    await page.close();
    await eventually(async () => {
      const body = relatedReportSchema.parse(await report('related'));
      expect(body.totals.impressions - before.totals.impressions).toBe(shown);
      expect(body.totals.clicks - before.totals.clicks).toBe(1);
      const second = (r: typeof body) => r.byPosition.find((p) => p.position === 2) ?? { impressions: 0, clicks: 0 };
      expect(second(body).impressions - second(before).impressions).toBe(1);
      expect(second(body).clicks - second(before).clicks).toBe(1);
    });
  });

  it('when an editor opens /analytics with the admin key, then the page shows the queries and downloads them as CSV', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${api.url}/analytics`);
    await page.getByLabel('Admin API key').fill('not-the-admin-key-000');
    await page.getByRole('button', { name: 'Show the report' }).click();
    await page.getByText(/The key was refused/).waitFor();
    await page.getByLabel('Admin API key').fill(ADMIN);
    await page.getByRole('button', { name: 'Show the report' }).click();
    const zero = page.locator('#zero table');
    await zero.waitFor();
    expect(await zero.innerText()).toContain('qqxyzzy');
    expect(await page.locator('#top table').innerText()).toContain('halvorsen election');
    expect(await page.locator('#positions tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('#daily svg polyline').count()).toBe(2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV of top queries' }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('Query,Searches');
    expect(csv).toContain('halvorsen election,1');
    await page.evaluate(axeSource);
    expect(await page.evaluate(AXE_RUN)).toEqual([]);
    fs.mkdirSync('test-output/screenshots', { recursive: true });
    await page.screenshot({ path: 'test-output/screenshots/analytics.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
