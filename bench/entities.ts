import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractEntities } from '../src/core/entities/extract-entities.js';
import { NO_NAMES } from '../src/core/entities/names.js';
import { defaultGazetteer } from '../src/entities/default-gazetteer.js';
import { Entities } from '../src/entities/entities.js';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { ingestArticles, refreshEntities } from '../src/services/ingest-articles.js';
import { readJsonl, SHARED } from './corpus.js';
import { halfOf } from './entity-split.js';
import type { LabelledRecord, PeopleJudgements } from './entity-quality.js';
import { PEER_ENTITY, scoreEntityFilter, scoreTopPeople } from './entity-quality.js';

/**
 * `npm run bench:entities`: indexes the Reuters shared file with entity extraction, then scores the person,
 * organisation and place filters against the Reuters labels (see entity-quality.ts), beside Xapian's phrase
 * search on the person labels.
 */
async function main(): Promise<void> {
  const file = `${SHARED}/corpus/reuters21578.jsonl`;
  if (!fs.existsSync(file)) throw new Error(`${file} is absent`);
  const records = readJsonl(file) as LabelledRecord[];
  const perArticle = extractionCost(records as unknown as { title: string; body: string }[]);
  console.log(`extraction: ${(perArticle * 1000).toFixed(0)} µs per article (median of 3 passes over ${records.length} articles, one pass of extractEntities)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-entities-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db') });
  const entities = Entities.open(path.join(dir, 'entities.db'));
  const started = performance.now();
  await ingestArticles({ engine, entities }, records.map((value, i) => ({ location: `record ${i}`, value })));
  const refreshed = await refreshEntities({ engine, entities });
  const seconds = (performance.now() - started) / 1000;
  console.log(`Reuters: ${records.length} articles indexed with entities in ${seconds.toFixed(1)} s (search + entities; ${refreshed} re-resolved)\n`);
  console.log('| labels | names (≥ 5 articles) | found by autocomplete | precision@10 | recall@50 | Xapian phrase P@10 / R@50 |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const kind of ['people', 'orgs', 'places'] as const) {
    const s = await scoreEntityFilter({ engine, entities }, records, kind);
    const peer = kind === 'people' ? `${PEER_ENTITY.precisionAt10} / ${PEER_ENTITY.recallAt50}` : '–';
    console.log(`| ${kind} | ${s.names} | ${s.found} | ${s.precisionAt10.toFixed(3)} | ${s.recallAt50.toFixed(3)} | ${peer} |`);
    // people's misses are listed for the tune half only (below): the report half is never looked at to tune rules
    if (process.argv.includes('--misses') && kind !== 'people') for (const m of s.misses) console.log(`  ${m.label} → ${m.entity}: P@10 ${m.p10.toFixed(2)}, R@50 ${m.r50.toFixed(2)}`);
  }
  console.log('\nPeople, by half of the fixed split (entity-split.ts: SHA-1 of the id; rules are tuned on the tune half only, ' +
    'the report half is the published figure); the whole file is indexed, only the half\'s articles count as labels and results:\n');
  console.log('| half | names (≥ 5 articles in the half) | found | precision@10 | recall@50 |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const judging of ['labels', 'headline'] as const) {
    for (const half of ['tune', 'report'] as const) {
      const s = await scoreEntityFilter({ engine, entities }, records, 'people', { within: (id) => halfOf(id) === half, judging });
      const label = judging === 'labels' ? half : `${half}, labels + headline rule (${s.added} articles added)`;
      console.log(`| ${label} | ${s.names} | ${s.found} | ${s.precisionAt10.toFixed(3)} | ${s.recallAt50.toFixed(3)} |`);
      const shown = half === 'tune' ? process.argv.includes('--misses') : process.argv.includes('--report-misses');
      if (shown) for (const m of s.misses) console.log(`  ${m.label} → ${m.entity}: P@10 ${m.p10.toFixed(2)}, R@50 ${m.r50.toFixed(2)}`);
    }
  }
  console.log('\n(labels + headline rule: an unlabelled article also counts when its headline names the label\'s last word and ' +
    'its body writes the person\'s full name: entity-quality.ts, Judging)');
  console.log('');
  const meili = await scoreEntityFilter({ engine, entities }, records, 'people', { order: 'about-first' });
  console.log(`| people, in Meilisearch's order (about first, then newest) | ${meili.names} | ${meili.found} | ` +
    `${meili.precisionAt10.toFixed(3)} | ${meili.recallAt50.toFixed(3)} | ${PEER_ENTITY.precisionAt10} / ${PEER_ENTITY.recallAt50} |`);
  await resolutionCost(entities, records);
  const judged = JSON.parse(fs.readFileSync(path.resolve('bench/fixtures/reuters-people-judged.json'), 'utf8')) as PeopleJudgements;
  const top = await scoreTopPeople(entities, judged);
  console.log(`\nThe ${top.top} people found in most articles: ${(top.precision * 100).toFixed(1)}% are people (of those judged by hand; ` +
    `not people: ${top.notPeople.length}; not judged yet: ${top.unjudged.length})`);
  if (process.argv.includes('--misses')) {
    console.log(`  not people: ${top.notPeople.join(', ')}`);
    console.log(`  not judged: ${top.unjudged.join(', ')}`);
  }
  await engine.close();
  entities.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * What an entity filter's resolution costs (services/resolve-entity-filters.ts): every Reuters person label asked
 * as its surname ("james-baker" → "baker") and in full, 20 rounds after a warm-up; how each resolved, and the p50 /
 * p99 per lookup in µs (in process, on this process's own names list).
 */
async function resolutionCost(entities: Entities, records: readonly LabelledRecord[]): Promise<void> {
  const codes = [...new Set(records.flatMap((r) => r.people ?? []))].sort();
  const asked = codes.flatMap((c) => [c.split('-').at(-1)!, c.replace(/-/g, ' ')]);
  const outcome: Record<string, number> = {};
  for (const q of asked) {
    const m = (await entities.resolve('people', q)).match;
    outcome[m] = (outcome[m] ?? 0) + 1;
  }
  const times: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const q of asked) {
      const t0 = performance.now();
      await entities.resolve('people', q);
      times.push((performance.now() - t0) * 1000);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`\nentity filter resolution: ${asked.length} names (each person label as surname and in full): ` +
    `${Object.entries(outcome).map(([m, n]) => `${m} ${n}`).join(', ')}; p50 ${at(0.5)} µs, p99 ${at(0.99)} µs per lookup`);
}

/** Median over three passes of the time to extract the entities of one article, in ms. */
function extractionCost(articles: readonly { title: string; body: string }[]): number {
  const gazetteer = defaultGazetteer();
  const times: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    for (const a of articles) extractEntities(a, gazetteer, NO_NAMES);
    times.push((performance.now() - t0) / articles.length);
  }
  return times.sort((a, b) => a - b)[1]!;
}

await main();
