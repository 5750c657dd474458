import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entityTallies } from '../src/core/entities/extract-entities.js';
import type { PersonFeatures, Tally } from '../src/core/entities/salience.js';
import { personFeatures } from '../src/core/entities/salience.js';
import { defaultGazetteer } from '../src/entities/default-gazetteer.js';
import { Entities } from '../src/entities/entities.js';
import { EntityStore } from '../src/entities/entity-store.js';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { ingestArticles, refreshEntities } from '../src/services/ingest-articles.js';
import { readJsonl, SHARED } from './corpus.js';
import { halfOf } from './entity-split.js';
import type { LabelledRecord } from './entity-quality.js';

/** One article of the tune half: its date (ms, or null) and the features of each of its people. */
export interface TuneArticle {
  readonly id: string;
  readonly date: number | null;
  readonly people: Record<string, PersonFeatures>;
}

/**
 * The tune half of the split (entity-split.ts) as the person model is fitted on it: per Reuters person label with
 * tune-half articles, the entity autocomplete gives for it and the labelled tune articles; every tune article with
 * people. No report-half article is in it.
 */
export interface TuneData {
  readonly labels: Record<string, { readonly entity: string; readonly labelled: readonly string[] }>;
  readonly articles: readonly TuneArticle[];
}

/**
 * Indexes the whole Reuters file (corpus evidence as in production), then reads the tune half's person features
 * with the store's final evidence, and keeps only the tune half. Cached in `cache` (JSON) when given.
 */
export async function tuneData(cache?: string): Promise<TuneData> {
  if (cache !== undefined && fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, 'utf8')) as TuneData;
  const file = `${SHARED}/corpus/reuters21578.jsonl`;
  if (!fs.existsSync(file)) throw new Error(`${file} is absent`);
  const records = (readJsonl(file) as (LabelledRecord & { title: string; body: string; publishedAt?: string })[]).filter((r) => r.body !== undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-salience-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db') });
  const entities = Entities.open(path.join(dir, 'entities.db'));
  await ingestArticles({ engine, entities }, records.map((value, i) => ({ location: `record ${i}`, value })));
  await refreshEntities({ engine, entities });
  const tune = records.filter((r) => halfOf(r.id) === 'tune');
  const labelled = new Map<string, string[]>();
  for (const r of tune) for (const code of r.people ?? []) labelled.set(code, [...(labelled.get(code) ?? []), r.id]);
  const labels: Record<string, { entity: string; labelled: string[] }> = {};
  for (const [code, ids] of [...labelled].sort()) {
    const entity = (await entities.suggest(code.replace(/-/g, ' '), 'people', 1))[0]?.name;
    if (entity !== undefined) labels[code] = { entity, labelled: ids };
  }
  entities.close();
  const store = EntityStore.open(path.join(dir, 'entities.db'));
  const gazetteer = defaultGazetteer();
  const articles: TuneArticle[] = [];
  let differ = 0;
  for (const r of tune) {
    const { tallies, shape } = entityTallies(r, gazetteer, store);
    const people = new Map<string, Tally>();
    for (const [key, t] of tallies) if (key.startsWith('people:')) people.set(key.slice('people:'.length), t);
    if (people.size === 0) continue;
    const stored = (await engine.get(r.id))?.people ?? [];
    if (stored.length !== people.size || stored.some((p) => !people.has(p))) differ++;
    const date = r.publishedAt === undefined ? null : Date.parse(r.publishedAt);
    articles.push({ id: r.id, date, people: Object.fromEntries(personFeatures(people, shape)) });
  }
  if (differ > 0) process.stderr.write(`warning: ${differ} tune articles' people differ from the stored ones\n`);
  store.close();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const data = { labels, articles };
  if (cache !== undefined) fs.writeFileSync(cache, JSON.stringify(data));
  return data;
}
