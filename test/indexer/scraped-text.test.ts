import fs from 'node:fs';
import path from 'node:path';
import { breadcrumbParts, cleanScrapedText } from '../../indexer/clean/scraped-text.js';
import { dropChrome, lineKind } from '../../indexer/clean/chrome.js';
import { SHARED } from '../../bench/corpus.js';
import os from 'node:os';
import { deriveArticleId } from '../../src/core/article.js';
import { FIXTURES, runIndexer, storedArticles } from '../helpers/indexer-cli.js';

const seedRaw = path.join(SHARED, 'corpus', 'seed-raw.txt');
const seedClean = path.join(SHARED, 'corpus', 'seed.jsonl');
const seedPresent = fs.existsSync(seedRaw) && fs.existsSync(seedClean);
if (!seedPresent) console.warn(`seed page comparison skipped: ${SHARED}/corpus/seed-raw.txt or seed.jsonl is absent`);
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'pages-text', name), 'utf8');

(seedPresent ? describe : describe.skip)('the seed page (../shared/corpus/seed-raw.txt)', () => {
  const page = () => cleanScrapedText(fs.readFileSync(seedRaw, 'utf8'));
  const expected = () => JSON.parse(fs.readFileSync(seedClean, 'utf8')) as Record<string, string>;

  it('when cleaned, then title, source, category and body equal the cleaned seed.jsonl', () => {
    const { title, source, category, body } = expected();
    expect(page()).toEqual({ title, source, category, body });
  });

  it('when cleaned, then the body runs from the first paragraph to the last, with no chrome left', () => {
    const { body } = page();
    expect(body.startsWith('Chinese State Councilor and Foreign Minister Qin Gang')).toBe(true);
    expect(body.endsWith('will keep working towards political solutions.')).toBe(true);
    for (const chrome of ['Latest articles', 'More like this', 'Published on', 'Info Source', 'HomeWorld', 'Ghostemperor', 'South China Sea', 'Malaysia']) {
      expect(body).not.toContain(chrome);
    }
  });
});

(seedPresent ? describe : describe.skip)('the seed page through the indexer CLI (read from ../shared, never copied)', () => {
  let tmp: string;
  let run: ReturnType<typeof runIndexer>;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-seed-'));
    run = runIndexer(['--json', seedRaw], tmp);
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('when indexed as a text page, then the stored article equals seed.jsonl but for its id', async () => {
    expect(run.status).toBe(0);
    const { title, body, source, category } = JSON.parse(fs.readFileSync(seedClean, 'utf8')) as Record<string, string>;
    const id = deriveArticleId({ title: title!, body: body! });
    const { people, orgs, places, salience, ...stored } = (await storedArticles(tmp, [id]))[id] as unknown as Record<string, unknown>;
    // alone in the store, the article is its own copy group (storage/copy-groups.ts)
    expect(stored).toEqual({ id, title, body, source, category, copyGroup: id });
    expect(salience).toBeDefined();
    // the entities issue 4 expects of the seed page, once the indexer has cleaned it
    expect(people).toEqual(expect.arrayContaining(['Qin Gang', 'Sergei Lavrov', 'Xi Jinping']));
    expect(people).toHaveLength(3);
    expect(places).toEqual(expect.arrayContaining(['China', 'Russia', 'Ukraine']));
    expect(orgs).toEqual(expect.arrayContaining(['Shanghai Cooperation Organization', 'BRICS', 'United Nations', 'Eurasian Economic Union']));
  });
});

describe('cleanScrapedText on pages of the same shape (fixtures)', () => {
  it('when the breadcrumb is a separated trail and teaser lists follow, then they are left out', () => {
    const page = cleanScrapedText(fixture('harbour-strike.txt'));
    expect(page).toMatchObject({
      title: 'Dock Workers In Port Aldric End Three-Week Strike After Wage Deal',
      source: 'Valmora Herald',
      category: 'Business/Ports',
      author: 'Mara Lindqvist',
      publishedAt: '2026-03-14T00:00:00.000Z',
    });
    expect(page.body.split('\n\n')).toEqual([
      expect.stringMatching(/^Dock workers in Port Aldric returned to work/),
      expect.stringMatching(/^The agreement raises pay/),
      'What the deal means for shippers', // a lone subheading between paragraphs stays
      expect.stringMatching(/^Freight forwarders said/),
      '“We are glad the cranes are moving again,” said a council spokesperson.',
    ]);
  });

  it('when the breadcrumb is glued to a truncated title and a teaser sits mid-article, then both go', () => {
    const page = cleanScrapedText(fixture('regatta.txt'));
    expect(page).toMatchObject({
      title: 'The Kestrel Bay Regatta Returns After A Five-Year Break',
      source: 'Kestria Daily',
      category: 'News/Sport/Sailing',
      publishedAt: '2026-02-01',
    });
    expect(page.body).toMatch(/^More than eighty boats/);
    expect(page.body).toMatch(/on Saturday morning\.$/);
    for (const chrome of ['Read also', 'Duskland', 'Latest news', 'Halcyon', 'Coastal Trade Council', 'Posted']) expect(page.body).not.toContain(chrome);
  });

  it('when a site name and a section label sit above the headline, then the headline is still found', () => {
    const text = 'Kestria Daily\nLocal\nCouncil Votes To Pedestrianise Market Street\nBy Tomas Ferrand\n\nThe council voted on Tuesday.\n\nShops were divided.\n';
    expect(cleanScrapedText(text)).toEqual({
      title: 'Council Votes To Pedestrianise Market Street',
      author: 'Tomas Ferrand',
      body: 'The council voted on Tuesday.\n\nShops were divided.',
    });
  });

  it('when a page has no chrome at all, then every paragraph is kept', () => {
    const text = 'A plain headline\n\nFirst paragraph of the story.\n\nSecond paragraph, also a sentence.\n';
    expect(cleanScrapedText(text)).toEqual({ title: 'A plain headline', body: 'First paragraph of the story.\n\nSecond paragraph, also a sentence.' });
  });
});

describe('chrome heuristics', () => {
  it('when lines are classified, then sentences, headlines and truncated snippets are told apart', () => {
    expect(lineKind('The council met on Tuesday.')).toBe('text');
    expect(lineKind('“We are glad,” she said.”')).toBe('text');
    expect(lineKind('Ferry Fares To Rise In April')).toBe('headline');
    expect(lineKind('Operators blamed fuel costs for the rise, which...')).toBe('snippet');
    expect(lineKind('Operators blamed fuel costs for the rise, which…')).toBe('snippet');
  });

  it('when runs of headlines sit between paragraphs, then lists go and lone subheadings stay', () => {
    const lines = ['Para one.', 'Subheading', 'Para two.', 'Teaser A', 'Teaser B', 'Teaser C', 'Para three.', 'Share', 'Related', 'Snippet that was cut...'];
    expect(dropChrome(lines)).toEqual(['Para one.', 'Subheading', 'Para two.', 'Para three.']);
  });

  it('when breadcrumbs are split, then both separated and glued forms give their parts', () => {
    expect(breadcrumbParts('Home > World > Asia')).toEqual(['Home', 'World', 'Asia']);
    expect(breadcrumbParts('Home » Business')).toEqual(['Home', 'Business']);
    expect(breadcrumbParts('HomeWorldAsia')).toEqual(['Home', 'World', 'Asia']);
  });
});
