import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { EntityKind } from '../src/core/entities/gazetteer.js';
import { EntityBurstReader } from '../src/entities/entity-bursts.js';
import { quantile, readJsonl, sharedCorpus } from './corpus.js';
import { loadTrendStores } from './trends-store.js';

/**
 * Entity bursts on the Reuters shared file (issue 18 item 3): the shared file is indexed through the ingest
 * pipeline, then, for the TOP most-named people (and organisations and places, for the timing), the profile's
 * bursts and new companions are computed as GET /api/entities/:type/:name computes them (EntityBurstReader over the
 * store file's entity tables), each printed with its days, articles against the entity's own baseline, Kleinberg's
 * weight and the entities first named with it then. Timings: the bursts and companions of one entity, in process,
 * p50/p99 over RUNS runs. Nothing was tuned: s = 2 and γ = 1 are the paper's.
 */
const TOP = Number(process.env.TOP ?? 20);
const RUNS = Number(process.env.RUNS ?? 20);

function topEntities(db: Database.Database, kind: EntityKind, limit: number): [string, number][] {
  return db.prepare('SELECT name, count(*) AS n FROM ent_mentions WHERE kind = ? GROUP BY name ORDER BY n DESC, name LIMIT ?').raw().all(kind, limit) as [string, number][];
}

async function main(): Promise<void> {
  const file = sharedCorpus('reuters21578.jsonl');
  if (!file) return;
  const started = performance.now();
  const stores = await loadTrendStores(readJsonl(file));
  console.log(`Reuters shared file indexed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const db = new Database(path.join(stores.dir, 'entities.db'), { readonly: true });
  const reader = new EntityBurstReader(db);
  const people = topEntities(db, 'people', TOP);
  let total = 0;
  for (const [name, articles] of people) {
    const { bursts, newCompanions } = reader.read('people', name);
    total += bursts.length;
    console.log(`\n${name} — ${articles} articles, ${bursts.length} burst${bursts.length === 1 ? '' : 's'}; new in its last 30 days: ${newCompanions.slice(0, 3).map((c) => `${c.name} (${c.articles})`).join(', ') || '-'}`);
    for (const b of bursts) {
      const fresh = b.newCompanions.slice(0, 3).map((c) => `${c.name} (${c.articles})`).join(', ');
      console.log(`  ${b.start} – ${b.end}  ${String(b.count).padStart(3)} articles vs ${b.baseline.toFixed(1).padStart(5)} expected, weight ${b.weight.toFixed(1).padStart(6)}, peak ${b.peak}${fresh ? `; first named with it: ${fresh}` : ''}`);
    }
  }
  console.log(`\n${total} bursts for the ${people.length} most-named people (${(total / Math.max(1, people.length)).toFixed(1)} each)`);
  const timed: [EntityKind, string][] = (['people', 'orgs', 'places'] as const).flatMap((kind) => topEntities(db, kind, TOP).map(([name]): [EntityKind, string] => [kind, name]));
  for (const [kind, name] of timed) reader.read(kind, name);
  // the profile's related list, the query it already ran before bursts, for comparison
  const related = db.prepare(`SELECT b.kind, b.name, count(*) AS n FROM ent_mentions a
    JOIN ent_mentions b ON b.article_id = a.article_id AND NOT (b.kind = a.kind AND b.name = a.name)
    WHERE a.kind = ? AND a.name = ? GROUP BY b.kind, b.name ORDER BY n DESC, b.name LIMIT 10`);
  const busiest = topEntities(db, 'places', 1)[0]!;
  const variants: [string, (kind: EntityKind, name: string) => unknown][] = [
    ['bursts alone', (kind, name) => reader.bursts(kind, name)],
    ['bursts + new companions (the profile)', (kind, name) => reader.read(kind, name)],
    ['the related list (for comparison)', (kind, name) => related.all(kind, name)],
  ];
  console.log(`\nin process, the top ${TOP} of each kind, ${RUNS} runs after a warm-up    p50 ms   p99 ms   ${busiest[0]} (${busiest[1]} articles) ms`);
  for (const [label, run] of variants) {
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      for (const [kind, name] of timed) {
        const t = performance.now();
        run(kind, name);
        times.push(performance.now() - t);
      }
    }
    const t = performance.now();
    run('places', busiest[0]);
    const most = performance.now() - t;
    console.log(`${label.padEnd(67)} ${quantile(times, 0.5).toFixed(2).padStart(7)}  ${quantile(times, 0.99).toFixed(2).padStart(7)}  ${most.toFixed(2).padStart(8)}`);
  }
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  db.close();
  await stores.close();
}

await main();
