import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { SearchRequest } from '../src/engines/search-engine.js';
import { searchArticles } from '../src/services/search-articles.js';
import type { SearchExtras } from '../src/services/search-articles.js';
import { quantile, readJsonl, sharedCorpus } from './corpus.js';
import { loadTrendStores } from './trends-store.js';

/**
 * Cost of `histogram` and `significant` on /api/search, in process (the service function the route calls), on the
 * Reuters shared file: broad queries, each variant run RUNS times after a warm-up, p50/p99 in ms. Nothing here
 * was tuned: JLH, the 100-match sample and the minimum count of 3 are Elasticsearch's defaults.
 */
const RUNS = Number(process.env.RUNS ?? 30);
const QUERIES = ['said', 'oil', 'bank', 'trade', 'market', 'coffee', 'shares', 'dollar', '', 'prices'];

const request = (q: string, histogram?: SearchRequest['histogram'], perPage = 10): SearchRequest => ({
  q, page: 1, perPage, sort: 'relevance', match: 'last', filters: {}, facets: [], ...(histogram ? { histogram } : {}),
});

async function main(): Promise<void> {
  const file = sharedCorpus('reuters21578.jsonl');
  if (!file) return;
  const started = performance.now();
  const stores = await loadTrendStores(readJsonl(file));
  console.log(`Reuters shared file loaded in ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  const totals = await Promise.all(QUERIES.map(async (q) => (await searchArticles(stores, request(q))).totalHits));
  console.log(`queries (matches): ${QUERIES.map((q, i) => `${q || '(empty)'} ${totals[i]}`).join(', ')}`);
  const variants: [string, SearchRequest['histogram'], SearchExtras, number?][] = [
    ['plain search (perPage 10)', undefined, {}],
    ['the sample alone: plain search, perPage 100', undefined, {}, 100],
    ['+ histogram=month', 'month', {}],
    ['+ histogram=day', 'day', {}],
    ['+ significant=terms', undefined, { significant: ['terms'] }],
    ['+ significant=terms,people,orgs,places', undefined, { significant: ['terms', 'people', 'orgs', 'places'] }],
    ['+ histogram=week + significant=all four', 'week', { significant: ['terms', 'people', 'orgs', 'places'] }],
  ];
  console.log(`\n${RUNS} runs of the ${QUERIES.length} queries per variant, after one warm-up run`);
  console.log('variant                                        p50 ms   p99 ms');
  for (const [name, histogram, extras, perPage] of variants) {
    for (const q of QUERIES) await searchArticles(stores, request(q, histogram, perPage), extras);
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      for (const q of QUERIES) {
        const t = performance.now();
        await searchArticles(stores, request(q, histogram, perPage), extras);
        times.push(performance.now() - t);
      }
    }
    console.log(`${name.padEnd(46)} ${quantile(times, 0.5).toFixed(2).padStart(7)}  ${quantile(times, 0.99).toFixed(2).padStart(7)}`);
  }
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const coffee = await searchArticles(stores, request('coffee', 'month'), { significant: ['terms', 'people', 'orgs', 'places'] });
  const sum = (coffee.histogram?.buckets ?? []).reduce((s, b) => s + b.count, 0) + (coffee.histogram?.undated ?? 0);
  console.log(`\nq=coffee: totalHits ${coffee.totalHits}, histogram sum ${sum} over ${coffee.histogram?.buckets.length} months`);
  const s = coffee.significant;
  for (const kind of ['terms', 'people', 'orgs', 'places'] as const) {
    console.log(`  ${kind}: ${(s?.[kind] ?? []).map((v) => `${v.value} ${v.score.toFixed(1)} (${v.count}/${v.background})`).join(', ')}`);
  }
  console.log(`  sampled ${s?.sampled} of a corpus of ${s?.corpus}`);
  await stores.close();
}

await main();
