import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Entities } from '../src/entities/entities.js';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { ingestArticles, refreshEntities } from '../src/services/ingest-articles.js';
import { readJsonl, SHARED } from './corpus.js';
import { halfOf } from './entity-split.js';
import type { LabelledRecord } from './entity-quality.js';

/**
 * `node dist/bench/entity-misses.js`: the articles behind the person filter's misses on the TUNE half of the split
 * (entity-split.ts) only: for each label under P@10 0.9 or R@50 0.97, the unlabelled articles in its top 10 and the
 * labelled articles outside its top 50, with each article's people and their salience. The report half is never
 * listed (its misses must not be used to tune rules).
 */
async function main(): Promise<void> {
  const file = `${SHARED}/corpus/reuters21578.jsonl`;
  if (!fs.existsSync(file)) throw new Error(`${file} is absent`);
  const records = readJsonl(file) as (LabelledRecord & { title: string; body: string })[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-entity-misses-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db') });
  const entities = Entities.open(path.join(dir, 'entities.db'));
  await ingestArticles({ engine, entities }, records.map((value, i) => ({ location: `record ${i}`, value })));
  await refreshEntities({ engine, entities });
  const tune = (id: string) => halfOf(id) === 'tune';
  const byId = new Map(records.map((r) => [r.id, r]));
  const labelled = new Map<string, Set<string>>();
  for (const r of records) if (tune(r.id)) for (const c of r.people ?? []) labelled.set(c, (labelled.get(c) ?? new Set()).add(r.id));
  const describe = async (id: string, entity: string) => {
    const a = await engine.get(id);
    const people = (a?.people ?? []).slice(0, 6).map((p) => `${p} ${a?.salience?.[`people:${p}`] ?? '?'}`).join('; ');
    const r = byId.get(id)!;
    const s = a?.salience?.[`people:${entity}`];
    return `    ${id} [labels: ${(r.people ?? []).join(',')}] sal=${s ?? '-'} "${r.title.slice(0, 70)}" people: ${people}`;
  };
  for (const [code, wanted] of [...labelled].filter(([, ids]) => ids.size >= 5).sort()) {
    const entity = (await entities.suggest(code.replace(/-/g, ' '), 'people', 1))[0]?.name;
    if (entity === undefined) continue;
    const ids: string[] = [];
    for (let page = 1; ids.length < 50; page++) {
      const res = await engine.search({ q: '', page, perPage: 100, sort: 'relevance', match: 'last', filters: { people: [entity] }, facets: [] });
      ids.push(...res.hits.map((h) => h.article.id).filter(tune));
      if (page >= res.totalPages) break;
    }
    const k = Math.min(10, wanted.size);
    const wrongTop = ids.slice(0, k).filter((id) => !wanted.has(id));
    const missed = [...wanted].filter((id) => !ids.slice(0, 50).includes(id)).filter((id) => wanted.size <= 50 || !ids.includes(id));
    const unlabelled50 = ids.slice(0, Math.min(50, wanted.size)).filter((id) => !wanted.has(id));
    if (wrongTop.length / k <= 0.1 && missed.length / Math.min(50, wanted.size) <= 0.03) continue;
    if (process.argv.includes('--ranked')) {
      const a = await Promise.all(ids.slice(0, k + 5).map((id) => engine.get(id)));
      console.log(`  ranked: ${a.map((x) => `${wanted.has(x!.id) ? '+' : '-'}${x!.salience?.[`people:${entity}`]}`).join(' ')}`);
      const ls = await Promise.all([...wanted].map((id) => engine.get(id)));
      console.log(`  labelled saliences: ${ls.map((x) => x?.salience?.[`people:${entity}`] ?? '-').sort().join(' ')}`);
    }
    if (wanted.size > 50) for (const id of unlabelled50) console.log(`   unlabelled in top ${Math.min(50, wanted.size)}:` + (await describe(id, entity)));
    console.log(`${code} → ${entity} (${wanted.size} labelled): ${wrongTop.length} of top ${k} unlabelled, ${missed.length} labelled outside top 50`);
    for (const id of wrongTop) console.log(await describe(id, entity));
    if (missed.length > 0) console.log('   missed:');
    for (const id of missed) console.log(await describe(id, entity));
  }
  await engine.close();
  entities.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
