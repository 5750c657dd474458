import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApi } from '../../bench/api-process.js';
import { buildService, CHROMIUM, eventually, launchChromium, screenshot, seriousViolations, watchErrors } from './browser.js';

/**
 * The saved-searches page (issue 18, item 5) end to end: the built service with ADMIN_API_KEY on the demo articles,
 * driven in Debian's headless Chromium. The admin key is typed into the page; saved searches are listed, created
 * (from the search page's "Save this search", and following an entity's bursts), refused field by field, and
 * deleted after a confirmation; each state is checked against the API itself and by axe-core, at 1280 and 390 px,
 * light and dark.
 */
const present = fs.existsSync(CHROMIUM);
if (!present) console.warn(`saved-searches end-to-end tests skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run does)`);
const suite = present ? describe : describe.skip;

const ADMIN = 'e2e-saved-searches-admin-key-0001';
const SECRET = 'a-webhook-secret-of-32-characters';

interface Saved {
  readonly id: string;
  readonly name: string;
  readonly query?: Record<string, string | string[]>;
  readonly entityBursts?: { type: string; name: string };
  readonly webhook?: { url: string };
}

interface World {
  readonly api: Awaited<ReturnType<typeof startApi>>;
  readonly browser: Browser;
}

async function startWorld(): Promise<World> {
  buildService();
  const api = await startApi(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-e2e-saved-')), {
    DEMO_DATA: 'data/demo/articles.jsonl',
    WORKERS: '1',
    WEB_DIR: path.resolve('dist/web'),
    ADMIN_API_KEY: ADMIN,
  });
  return { api, browser: await launchChromium() };
}

const world = present ? await startWorld() : undefined;
afterAll(async () => {
  await world?.browser.close();
  world?.api.stop();
});

suite('the saved-searches page in headless Chromium', () => {
  const { api, browser } = world ?? ({} as World);

  /** Every saved search, as the API lists them (the demo service holds fewer than a page). */
  async function savedSearches(): Promise<Saved[]> {
    const res = await fetch(`${api.url}/api/saved-searches?limit=1000`, { headers: { 'X-Api-Key': ADMIN } });
    return ((await res.json()) as { savedSearches: Saved[] }).savedSearches;
  }

  async function createViaApi(body: object): Promise<Saved> {
    const res = await fetch(`${api.url}/api/saved-searches`, { method: 'POST', headers: { 'X-Api-Key': ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as Saved;
  }

  async function open(address: string, width = 1280, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
    const errors = watchErrors(page);
    await page.goto(`${api.url}${address}`);
    return { page, errors };
  }

  /** Types the admin key and shows the list. */
  async function unlock(page: Page, key = ADMIN): Promise<void> {
    await page.getByLabel('Admin API key').fill(key);
    await page.getByRole('button', { name: 'Show saved searches' }).click();
  }

  const item = (page: Page, name: string) => page.locator('#list > li', { has: page.getByRole('heading', { name, exact: true }) });

  it.each([1280, 390].flatMap((width) => (['light', 'dark'] as const).map((scheme) => [width, scheme] as const)))(
    'when the list is shown %i px wide in the %s theme, then it fits, names each search, what it follows and its webhook host only, and has no serious axe-core violation',
    async (width, scheme) => {
      const saved = await createViaApi({ name: `Tariffs ${width} ${scheme}`, query: { q: 'tariffs', category: ['world', 'business'] }, webhook: { url: 'https://hooks.example:8443/in/abc?token=hidden', secret: SECRET } });
      const { page, errors } = await open('/saved-searches', width, scheme);
      await unlock(page);
      const row = item(page, saved.name);
      await eventually(async () => expect(await row.count()).toBe(1));
      expect(await row.locator('.follows').textContent()).toBe('“tariffs” · category: world, business');
      expect(await row.locator('.meta').textContent()).toMatch(/^Webhook to hooks\.example:8443 · created \d{1,2} \w{3} \d{4}$/);
      expect(await row.textContent()).not.toMatch(/token|hidden|\/in\/abc/);
      expect(await row.getByRole('link', { name: `Atom feed: ${saved.name}` }).getAttribute('href')).toBe(`/api/saved-searches/${encodeURIComponent(saved.id)}/feed`);
      expect(await row.getByRole('link', { name: `Run on the search page: ${saved.name}` }).getAttribute('href')).toBe('/?q=tariffs&category=world&category=business');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await page.getByRole('navigation', { name: 'Site' }).locator('[aria-current="page"]').textContent()).toBe('Saved searches');
      await screenshot(page, `saved-searches-${width}px-${scheme}`);
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it('when the key is wrong, then the page says it was refused and shows no list', async () => {
    const { page } = await open('/saved-searches');
    await unlock(page, 'not-the-admin-key');
    await eventually(async () => expect(await page.getByRole('alert').textContent()).toBe(
      "The key was refused (the API key is not valid for saved searches): saved searches need the service's ADMIN_API_KEY.",
    ));
    expect(await page.locator('#list-section').isHidden()).toBe(true);
    await page.close();
  });

  it('when a search is saved from the search page, then the form holds its query, and Save creates it, lists it and focuses it', async () => {
    const { page, errors } = await open('/?q=snap%20election&category=world');
    const save = page.getByRole('link', { name: 'Save this search' });
    await eventually(async () => expect(await save.isVisible()).toBe(true));
    await save.click();
    await page.waitForURL(`${api.url}/saved-searches?q=snap+election&category=world`);
    expect(await page.getByLabel('Words').inputValue()).toBe('snap election');
    expect(await page.getByLabel('Categories').inputValue()).toBe('world');
    expect(await page.getByLabel('Name', { exact: true }).first().inputValue()).toBe('snap election');
    await page.getByLabel('Name', { exact: true }).first().fill('Snap election (world)');
    await page.getByRole('textbox', { name: 'Published from' }).fill('1 Mar 2026');
    await page.getByLabel('Admin API key').fill(ADMIN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(async () => expect(await page.locator('#status').textContent()).toMatch(/^Saved “Snap election \(world\)”\./));
    const created = (await savedSearches()).find((s) => s.name === 'Snap election (world)');
    expect(created?.query).toEqual({ q: 'snap election', category: 'world', from: '2026-03-01' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Snap election (world)');
    expect(await item(page, 'Snap election (world)').locator('.follows').textContent()).toBe('“snap election” · category: world · from 1 Mar 2026');
    expect(new URL(page.url()).search).toBe('');
    const feed = await fetch(`${api.url}/api/saved-searches/${encodeURIComponent(created?.id ?? '')}/feed`);
    expect(feed.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when the API refuses the webhook, then each message is shown next to its field, the first is focused, and nothing is saved', async () => {
    const before = (await savedSearches()).length;
    const { page, errors } = await open('/saved-searches?q=harbour');
    await page.getByLabel('Admin API key').fill(ADMIN);
    await page.getByLabel('URL').fill('ftp://hooks.example/in');
    await page.getByLabel('Secret').fill('short');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(async () => expect(await page.locator('#webhook-url-error').textContent()).toBe('webhook.url must be an http or https URL'));
    expect(await page.locator('#webhook-secret-error').textContent()).toBe('webhook.secret must be at least 16 characters');
    expect(await page.getByLabel('URL').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('webhook-url');
    expect(await page.getByRole('alert').textContent()).toBe('The search was not saved: see the fields marked below.');
    await screenshot(page, 'saved-searches-refused');
    expect(await seriousViolations(page)).toEqual([]);
    expect((await savedSearches()).length).toBe(before);
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]); // the browser logs the refused request itself
    await page.close();
  });

  it("when an entity's bursts are followed by keyboard, then its name is resolved as the entity page resolves it", async () => {
    const { page, errors } = await open('/saved-searches');
    await page.getByLabel('Admin API key').fill(ADMIN);
    await page.getByRole('radio', { name: "An entity's bursts" }).check();
    expect(await page.locator('#query-fields').isHidden()).toBe(true);
    await page.getByLabel('Kind').selectOption('person');
    await page.locator('#entity-name').fill('halvorsen');
    await page.getByLabel('URL').fill('https://hooks.example/bursts');
    await page.getByLabel('Secret').fill(SECRET);
    await page.getByLabel('Secret').press('Enter');
    await eventually(async () => expect(await page.locator('#status').textContent()).toMatch(/^Saved “halvorsen bursts”\./));
    const row = item(page, 'halvorsen bursts');
    expect(await row.locator('.follows').textContent()).toBe('Bursts of Zoë Halvorsen (person)');
    expect(await row.getByRole('link', { name: 'Entity page: halvorsen bursts' }).getAttribute('href')).toBe('/entity/person/Zo%C3%AB%20Halvorsen');
    expect(await row.textContent()).not.toContain(SECRET);
    expect((await savedSearches()).find((s) => s.name === 'halvorsen bursts')?.entityBursts).toEqual({ type: 'person', name: 'Zoë Halvorsen' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("when the entity page's \"Be told of its next bursts\" is followed, then the form is set to follow that entity", async () => {
    const { page, errors } = await open(`/entity/person/${encodeURIComponent('Zoë Halvorsen')}`);
    await page.getByRole('link', { name: 'Be told of its next bursts' }).click();
    await page.waitForURL(/\/saved-searches\?/);
    expect(await page.getByRole('radio', { name: "An entity's bursts" }).isChecked()).toBe(true);
    expect(await page.locator('#entity-type').inputValue()).toBe('person');
    expect(await page.locator('#entity-name').inputValue()).toBe('Zoë Halvorsen');
    expect(await page.locator('#name').inputValue()).toBe('Zoë Halvorsen bursts');
    expect(await page.locator('#query-fields').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when Delete is pressed, then a dialog asks first: Escape keeps the search and gives the focus back, Delete removes it', async () => {
    const saved = await createViaApi({ name: 'To be deleted', query: { q: 'kestria' } });
    const { page, errors } = await open('/saved-searches');
    await unlock(page);
    const button = page.getByRole('button', { name: 'Delete “To be deleted”' });
    await eventually(async () => expect(await button.count()).toBe(1));
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Delete “To be deleted”?' });
    expect(await dialog.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    expect(await dialog.isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Delete “To be deleted”');
    expect((await savedSearches()).some((s) => s.id === saved.id)).toBe(true);
    await button.press('Enter');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => expect(await page.locator('#status').textContent()).toMatch(/^Deleted “To be deleted”\. \d+ saved search/));
    expect(await item(page, 'To be deleted').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('list-heading');
    expect((await savedSearches()).some((s) => s.id === saved.id)).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
  // Last: it leaves more than a page of saved searches behind.
  it('when there are more than 100, then 100 are listed and "Show more" adds the rest; one saved meanwhile is in view at once and never listed twice', async () => {
    for (let i = 0; i < 105; i += 15) {
      await Promise.all(Array.from({ length: 15 }, (_, j) => createViaApi({ name: `Bulk ${i + j}`, query: { q: `bulk${i + j}` } })));
    }
    const { page, errors } = await open('/saved-searches');
    await unlock(page);
    await eventually(async () => expect(await page.locator('#list > li').count()).toBe(100));
    expect(await page.locator('#status').textContent()).toBe('100 saved searches shown; more follow.');
    await page.locator('#q').fill('late arrival');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(async () => expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('late arrival'));
    expect(await page.locator('#list > li').count()).toBe(101);
    await page.getByRole('button', { name: 'Show more' }).click();
    await eventually(async () => expect(await page.locator('#more').isHidden()).toBe(true));
    const total = (await savedSearches()).length;
    expect(await page.locator('#list > li').count()).toBe(total);
    expect(await item(page, 'late arrival').count()).toBe(1);
    expect(await page.locator('#status').textContent()).toBe(`${total} saved searches.`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
