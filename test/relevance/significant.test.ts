import fs from 'node:fs';
import { readJsonl, SHARED } from '../../bench/corpus.js';
import type { TrendStores } from '../../bench/trends-store.js';
import { loadTrendStores } from '../../bench/trends-store.js';
import { searchArticles } from '../../src/services/search-articles.js';
import { searchRequest } from '../helpers/make-article.js';

/**
 * Trends on the Reuters shared file (never copied into the repository): `q=coffee` must give coffee words as its
 * significant terms, not the wire's "said", and a histogram whose counts add up to the total. Nothing was tuned on
 * this file (JLH, the 100-match sample and the minimum count of 3 are Elasticsearch's defaults). Skipped, saying
 * so, where ../shared is absent.
 */
const file = `${SHARED}/corpus/reuters21578.jsonl`;
const suite = fs.existsSync(file) ? describe : describe.skip;
if (!fs.existsSync(file)) console.warn(`significant terms on Reuters skipped: ${file} is absent`);

const COFFEE_WORDS = ['coffee', 'ico', 'quota', 'quotas', 'bags', 'export', 'exports', 'producers', 'brazil', 'colombia', 'arabica', 'robusta', 'beans', 'coffees'];

suite('trends on the Reuters shared file', () => {
  let stores: TrendStores;

  beforeAll(async () => {
    stores = await loadTrendStores(readJsonl(file));
  }, 600_000);

  afterAll(async () => {
    await stores?.close();
  });

  it('when q=coffee asks significant terms, then they are coffee words and "said" is not among them', async () => {
    const result = await searchArticles(stores, searchRequest({ q: 'coffee', perPage: 10 }), { significant: ['terms', 'places'] });
    const terms = (result.significant?.terms ?? []).map((t) => t.value.toLowerCase());
    expect(result.significant?.sampled).toBe(100);
    expect(terms).toHaveLength(10);
    expect(terms[0]).toBe('coffee');
    expect(terms.filter((t) => COFFEE_WORDS.includes(t)).length).toBeGreaterThanOrEqual(5);
    expect(terms).not.toContain('said');
    expect((result.significant?.places ?? []).slice(0, 5).map((p) => p.value)).toContain('Brazil');
  });

  it('when a broad query asks a day histogram, then its counts plus undated add up to totalHits', async () => {
    for (const q of ['said', 'coffee', '']) {
      const result = await searchArticles(stores, searchRequest({ q, histogram: 'day' }));
      const counted = (result.histogram?.buckets ?? []).reduce((n, b) => n + b.count, 0) + (result.histogram?.undated ?? 0);
      expect(counted).toBe(result.totalHits);
    }
  });
});
