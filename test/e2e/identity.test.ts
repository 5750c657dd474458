import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApi } from '../../bench/api-process.js';
import { buildService, CHROMIUM, eventually, launchChromium, screenshot, seriousViolations, watchErrors } from './browser.js';

/**
 * The pages' look and their newer controls (issue 19, item 3), end to end in Debian's headless Chromium on the demo
 * articles: every page at 1280 and 390 px, light and dark, with no sideways overflow and no serious axe-core
 * violation (screenshots in test-output/screenshots); the filter drawer on a phone, the date fields in the one
 * date format, entity suggestions in the search box, the CSV export, and the entity chart on a phone.
 */
const present = fs.existsSync(CHROMIUM);
if (!present) console.warn(`page identity end-to-end tests skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run does)`);
const suite = present ? describe : describe.skip;

const WIDTHS = [1280, 390] as const;
const SCHEMES = ['light', 'dark'] as const;
const PERSON = 'Zoë Halvorsen';
const PAGES = [
  { name: 'search', path: '/?q=election', ready: '#results > li' },
  { name: 'article', path: '/article/demo-009', ready: '#related li' },
  { name: 'entity', path: `/entity/person/${encodeURIComponent(PERSON)}`, ready: 'svg.timeline-chart' },
] as const;

interface World {
  readonly api: Awaited<ReturnType<typeof startApi>>;
  readonly browser: Browser;
}

async function startWorld(): Promise<World> {
  buildService();
  const api = await startApi(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-e2e-identity-')), {
    DEMO_DATA: 'data/demo/articles.jsonl',
    WORKERS: '1',
    WEB_DIR: path.resolve('dist/web'),
  });
  return { api, browser: await launchChromium() };
}

const world = present ? await startWorld() : undefined;
afterAll(async () => {
  await world?.browser.close();
  world?.api.stop();
});

/** The relative luminance (0 black – 1 white) of a CSS `rgb()` colour. */
function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

suite('the pages\' identity in headless Chromium', () => {
  const { api, browser } = world ?? ({} as World);

  async function open(width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
    return { page, errors: watchErrors(page) };
  }

  describe.each(PAGES)('the $name page', ({ name, path: address, ready }) => {
    it.each(WIDTHS.flatMap((width) => SCHEMES.map((scheme) => [width, scheme] as const)))(
      'when it is shown %i px wide in the %s theme, then it fits, follows the theme and has no serious axe-core violation',
      async (width, scheme) => {
        const { page, errors } = await open(width, scheme);
        await page.goto(`${api.url}${address}`);
        await eventually(async () => expect(await page.locator(ready).count()).toBeGreaterThan(0));
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        const background = luminance(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor));
        if (scheme === 'dark') expect(background).toBeLessThan(0.05);
        else expect(background).toBeGreaterThan(0.85);
        expect(await page.locator('.site-header .wordmark').textContent()).toBe('newsfind');
        await screenshot(page, `${name}-${width}px-${scheme}`);
        expect(await seriousViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
      },
    );
  });

  it('when the search page is open, then the site navigation shows Search as the current page', async () => {
    const { page } = await open(1280);
    await page.goto(`${api.url}/`);
    const current = page.getByRole('navigation', { name: 'Site' }).locator('[aria-current="page"]');
    expect(await current.textContent()).toBe('Search');
    expect(await current.getAttribute('href')).toBe('/');
    await page.close();
  });

  it('when a phone opens the Filters drawer and ticks a facet, then the results are filtered and the drawer gives the focus back', async () => {
    const { page, errors } = await open(390);
    await page.goto(`${api.url}/?q=election`);
    await eventually(async () => expect(await page.locator('#results > li').count()).toBeGreaterThan(0));
    expect(await page.locator('#facets-section').isVisible()).toBe(false); // not below every result
    expect(await page.getByRole('button', { name: 'Filters', exact: true }).count()).toBe(1);
    const toggle = page.locator('#drawer-toggle');
    const toggleBox = await toggle.boundingBox();
    expect(toggleBox && toggleBox.y < 900).toBe(true); // reachable without scrolling past the results
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#facets-section').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('facets-heading');
    expect(await page.locator('#results-section').evaluate((e) => (e as HTMLElement).inert)).toBe(true);
    await screenshot(page, 'search-390px-drawer', { fullPage: false });
    expect(await seriousViolations(page)).toEqual([]);
    const world = page.getByRole('group', { name: 'Category' }).getByRole('checkbox', { name: /^world/ });
    await world.check();
    await eventually(() => expect(new URL(page.url()).searchParams.getAll('category')).toEqual(['world']));
    await page.keyboard.press('Escape');
    expect(await page.locator('#facets-section').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('drawer-toggle');
    await eventually(async () => expect(await page.locator('#filter-count').textContent()).toBe('1'));
    expect(await toggle.getAttribute('aria-label')).toBe('Filters, 1 chosen');
    expect(new Set(await page.locator('#results .tag').allTextContents())).toEqual(new Set(['world']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when dates are typed in the one date format, then they are searched, shown back alike, and a day that does not exist is refused in words', async () => {
    for (const width of WIDTHS) {
      const { page, errors } = await open(width);
      await page.goto(`${api.url}/?q=Duskland`);
      await eventually(async () => expect(await page.locator('#results > li').count()).toBeGreaterThan(0));
      // "To" and its field stay on one line: label and field share a row.
      const label = await page.locator('label[for="to"]').boundingBox();
      const field = await page.locator('#to').boundingBox();
      expect(label && field && Math.abs(label.y + label.height / 2 - (field.y + field.height / 2))).toBeLessThan(4);
      expect(await page.locator('label[for="to"]').evaluate((e) => e.getClientRects().length)).toBe(1);
      await page.fill('#from', 'mar 1, 2026');
      await page.locator('#from').press('Enter');
      await eventually(() => expect(new URL(page.url()).searchParams.get('from')).toBe('2026-03-01'));
      expect(await page.locator('#from').inputValue()).toBe('1 Mar 2026');
      await page.fill('#to', '31 Feb 2026');
      await page.locator('#to').dispatchEvent('change');
      await eventually(async () => expect(await page.locator('#dates-hint').textContent()).toBe('To: “31 Feb 2026” is not a date; write one like 15 Jun 2026.'));
      expect(await page.locator('#to').getAttribute('aria-invalid')).toBe('true');
      expect(new URL(page.url()).searchParams.get('to')).toBeNull();
      await page.reload();
      await eventually(async () => expect(await page.locator('#from').inputValue()).toBe('1 Mar 2026'));
      // The calendar button opens the browser's own picker; a day picked there is written in the house format.
      expect(await page.getByRole('button', { name: 'Choose the “From” date from a calendar' }).isVisible()).toBe(true);
      await page.locator('.date-input:has(#from) input[type="date"]').evaluate((picker) => {
        (picker as HTMLInputElement).value = '2026-04-02';
        picker.dispatchEvent(new Event('change'));
      });
      await eventually(() => expect(new URL(page.url()).searchParams.get('from')).toBe('2026-04-02'));
      expect(await page.locator('#from').inputValue()).toBe('2 Apr 2026');
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('when part of a name is typed, then entity suggestions appear, and choosing one by keyboard filters the results by it', async () => {
    const { page, errors } = await open(1280);
    await page.goto(`${api.url}/`);
    const input = page.locator('#q');
    await input.pressSequentially('Halvor', { delay: 20 });
    const options = page.getByRole('listbox').getByRole('option');
    await eventually(async () => expect(await options.count()).toBeGreaterThan(0));
    expect(await input.getAttribute('role')).toBe('combobox');
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await options.first().textContent()).toMatch(new RegExp(`^${PERSON}Person · \\d+ articles$`));
    await screenshot(page, 'search-suggestions');
    expect(await seriousViolations(page)).toEqual([]);
    await input.press('ArrowDown');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'));
    await input.press('Enter');
    await eventually(() => expect(new URL(page.url()).search).toBe(`?person=${encodeURIComponent(PERSON).replace(/%20/g, '+')}`));
    expect(await input.inputValue()).toBe('');
    expect(await page.getByRole('listbox').isHidden()).toBe(true);
    await eventually(async () => expect(await page.getByRole('group', { name: 'People' }).getByRole('checkbox', { name: new RegExp(`^${PERSON}`) }).isChecked()).toBe(true));
    await input.pressSequentially('Hal', { delay: 20 });
    await eventually(async () => expect(await options.count()).toBeGreaterThan(0));
    await input.press('Escape');
    expect(await page.getByRole('listbox').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when words of a headline are typed, then the completions offer it, and choosing it by keyboard searches it', async () => {
    const { page, errors } = await open(1280);
    await page.goto(`${api.url}/`);
    const input = page.locator('#q');
    await input.pressSequentially('snap elec', { delay: 20 });
    const options = page.getByRole('listbox').getByRole('option');
    await eventually(async () => expect(await options.allTextContents()).toContain('Duskland Prime Minister Calls Snap Election for JuneHeadline · 1 article'));
    expect(await page.getByRole('listbox').getAttribute('aria-label')).toMatch(/^Suggestions/);
    expect(await seriousViolations(page)).toEqual([]);
    const texts = await options.allTextContents();
    const at = texts.findIndex((t) => t.startsWith('Duskland Prime Minister Calls Snap Election'));
    for (let i = 0; i <= at; i++) await input.press('ArrowDown');
    await input.press('Enter');
    await eventually(() => expect(new URL(page.url()).searchParams.get('q')).toBe('Duskland Prime Minister Calls Snap Election for June'));
    expect(await page.getByRole('listbox').isHidden()).toBe(true);
    await eventually(async () => expect(await page.locator('#results > li').first().locator('h3').textContent()).toBe('Duskland Prime Minister Calls Snap Election for June'));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when Export CSV is clicked, then every result of the search downloads as CSV, one row each', async () => {
    const { page, errors } = await open(1280);
    await page.goto(`${api.url}/?q=Duskland&sort=newest`);
    await eventually(async () => expect(await page.locator('#status').textContent()).toMatch(/^\d+ results/));
    const total = Number(/^(\d+)/.exec((await page.locator('#status').textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(10); // more than one page: the export is not paged
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const file = await download.path();
    const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^rank,id,title/);
    expect(lines).toHaveLength(total + 1);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when an entity page is shown on a phone, then the chart is drawn at the phone\'s width with labels of 12 px or more that do not overlap', async () => {
    const { page, errors } = await open(390);
    await page.goto(`${api.url}/entity/person/${encodeURIComponent(PERSON)}`);
    const labels = page.locator('svg.timeline-chart text.label');
    await eventually(async () => expect(await labels.count()).toBeGreaterThan(1));
    const boxes = await labels.evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, height: r.height })));
    const chart = await page.locator('svg.timeline-chart').boundingBox();
    for (const [i, box] of boxes.entries()) {
      expect(box.height).toBeGreaterThanOrEqual(12);
      expect(box.left).toBeGreaterThanOrEqual(chart?.x ?? 0);
      expect(box.right).toBeLessThanOrEqual((chart?.x ?? 0) + (chart?.width ?? 0) + 0.5);
      if (i > 0) expect(box.left).toBeGreaterThan(boxes[i - 1]?.right ?? 0);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when the entity API answers a timeline whose busiest months tie, or none at all (undated articles), then the page says so and draws no empty chart', async () => {
    const { page, errors } = await open(1280);
    let answer: object = {};
    await page.route('**/api/entities/**', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(answer) }));
    const base = { type: 'person', name: 'Ada Quill', related: [], latest: [] };
    answer = { ...base, articles: 9, timeline: [{ month: '2026-02', articles: 2 }, { month: '2026-03', articles: 1 }, { month: '2026-04', articles: 2 }, { month: '2026-05', articles: 2 }, { month: '2026-06', articles: 2 }] };
    await page.goto(`${api.url}/entity/person/Ada%20Quill`);
    await eventually(async () => expect(await page.locator('.timeline figcaption').textContent()).toBe('9 articles from Feb 2026 to Jun 2026; at most 2 a month, in 4 months.'));
    expect(await page.locator('svg.timeline-chart rect.bar.peak').count()).toBe(4);
    answer = { ...base, articles: 3, timeline: [] };
    await page.reload();
    await eventually(async () => expect(await page.locator('.no-timeline').textContent()).toBe('None of the 3 articles naming it has a publication date, so there is nothing to chart by month.'));
    expect(await page.locator('svg.timeline-chart').count()).toBe(0);
    await screenshot(page, 'entity-undated');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
