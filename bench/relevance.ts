import type { KnownItemQuery } from './corpus.js';
import { kindOf } from './corpus.js';
import { knownItemQueries, readJsonl, sharedCorpus } from './corpus.js';
import { copyFinder, duplicateRate } from './duplicate-rate.js';
import { PEER_MRR, scoreKnownItems } from './known-item.js';
import { byCopyGroup, loadOurEngine, ourSearcher } from './our-engine.js';
import { miniSearchPeer, rawFts5Peer } from './peers.js';
import type { FreshnessRow } from './relevance-freshness.js';
import { chooseHalfLife, freshnessRows, MAX_MRR_LOSS, printFreshness } from './relevance-freshness.js';

/**
 * Known-item MRR of our engine, MiniSearch and raw FTS5 on the same queries, per corpus and kind of query, and the
 * share of queries whose top 10 holds two copies of one story (cosine ≥ 0.95, as the related list defines them).
 */
async function main(): Promise<void> {
  const count = Number(process.env.QUERIES ?? 300);
  const seed = Number(process.env.SEED ?? 42);
  console.log(`known-item relevance: ${count} headlines per corpus, seed ${seed} (../shared/peers/make_known_item.py)`);
  console.log('ours: collapsed (one hit per copy group, the API default; a hit standing for the wanted article finds it); "all": collapse=false');
  console.log('corpus   kind    n    ours MRR  MiniSearch  raw FTS5  README best peer  ours s@10  ours dup@10  all MRR  all dup@10');
  const fresh: { name: string; tune: FreshnessRow[]; held: FreshnessRow[] }[] = [];
  for (const [name, file] of [['bbc', 'bbc.jsonl'], ['reuters', 'reuters21578.jsonl']] as const) {
    const path = sharedCorpus(file);
    if (!path) continue;
    const docs = readJsonl<{ id: string; title: string; body: string; publishedAt?: string }>(path);
    const queries: KnownItemQuery[] = knownItemQueries(path, count, seed);
    const { engine } = await loadOurEngine(docs);
    const ours = scoreKnownItems(ourSearcher(engine, { collapse: true, byGroup: true }), byCopyGroup(engine, queries));
    const all = scoreKnownItems(ourSearcher(engine), queries);
    const mini = scoreKnownItems(miniSearchPeer(docs), queries);
    const fts = scoreKnownItems(rawFts5Peer(docs), queries);
    const finder = await copyFinder(docs);
    for (const kind of ['clean', 'typo', 'short'] as const) {
      const f = (x: number) => x.toFixed(3).padStart(8);
      const ofKind = queries.filter((q) => kindOf(q) === kind);
      const dup = await duplicateRate(ourSearcher(engine, { collapse: true }), ofKind, finder.copies);
      const dupAll = await duplicateRate(ourSearcher(engine), ofKind, finder.copies);
      console.log(
        `${name.padEnd(8)} ${kind.padEnd(6)} ${String(ours[kind].n).padStart(4)} ${f(ours[kind].mrr)}  ${f(mini[kind].mrr)}   ${f(fts[kind].mrr)}  ${f(PEER_MRR[name][kind])}         ${f(ours[kind].successAt10)}   ${f(dup)}    ${f(all[kind].mrr)}  ${f(dupAll)}`,
      );
    }
    await finder.close();
    fresh.push({
      name,
      tune: freshnessRows(engine, docs, queries),
      held: freshnessRows(engine, docs, knownItemQueries(path, count, seed + 1_000)),
    });
    await engine.close();
  }
  // Freshness: the default half-life is chosen on the known-item queries of SEED and reported on those of SEED + 1000;
  // each corpus has its choice, and the default must hold on both: the longest of them (none if either has none).
  const choices = fresh.map((c) => chooseHalfLife(c.tune));
  const chosen = choices.length === 0 || choices.includes(undefined) ? undefined : Math.max(...(choices as number[]));
  for (const [part, pick] of [['tuning queries (seed ' + seed + ')', (c: (typeof fresh)[number]) => c.tune], ['held-out queries (seed ' + (seed + 1_000) + ')', (c: (typeof fresh)[number]) => c.held]] as const) {
    console.log(`\nfreshness on ${part}: known-item MRR and the median age of a search box's top 10 (500 short title queries)`);
    console.log('corpus   half-life  clean    typo   short   age, days');
    for (const c of fresh) printFreshness(c.name, pick(c));
  }
  console.log(`\ndefault chosen on the tuning queries: the shortest half-life costing at most ${MAX_MRR_LOSS} MRR on every kind and corpus: ${
    chosen === undefined ? 'none (freshness stays off by default)' : `${chosen} days`}`);
}

void main();
