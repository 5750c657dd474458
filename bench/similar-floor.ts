import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MIN_COSINE } from '../src/core/similarity/find-similar.js';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import { Similarity } from '../src/similarity/similarity.js';
import { readJsonl, sharedCorpus } from './corpus.js';

/**
 * The related list's floor and diversity, measured on the shared corpora. Sources are split by a hash of their id:
 * the floor is chosen on the "tune" half (the cosine that best separates neighbours sharing a topic from the rest)
 * and reported on the "report" half. Relevance: the neighbour shares a Reuters TOPICS code / the BBC category with the
 * source (sources without one are skipped; for the floor, unlabelled neighbours are skipped too: their relevance is
 * unknown). Diversity: topic precision@10 (mlt_quality.py's definition) and the pairs of copies (cosine ≥ 0.95 between
 * two hits) in the top 10, with diversity on (the default) and off (as before: the source's copies left out only).
 */
interface Doc {
  id: string;
  title: string;
  body: string;
  topics?: string[];
  category?: string;
}

const SOURCES = Number(process.env.SOURCES ?? 1000);
/** Neighbours per source whose cosine and relevance inform the floor (deeper than a list, to see weak matches). */
const WIDE = 50;
const half = (id: string): 'tune' | 'report' => ((createHash('sha1').update(id).digest()[0]! & 1) === 0 ? 'tune' : 'report');
const labels = (d: Doc): Set<string> => new Set(d.topics?.length ? d.topics : d.category ? [d.category] : []);

const BANDS = [0, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3, 1.01];

interface Item { cosine: number; relevant: boolean }

async function open(docs: readonly Doc[]): Promise<{ similarity: Similarity; done: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-floor-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db'), index: 'none' });
  const similarity = Similarity.open(path.join(dir, 'similarity.db'), { serve: true, cacheEntries: 0 });
  await ingestArticles({ engine, similarity }, docs.map((value, i) => ({ location: `record ${i}`, value })));
  await similarity.sync();
  return { similarity, done: async () => { await engine.close(); similarity.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** Share of relevant items at or above / below a floor. */
function split(items: readonly Item[], floor: number): { above: number; below: number; nAbove: number; nBelow: number } {
  const a = items.filter((i) => i.cosine >= floor);
  const b = items.filter((i) => i.cosine < floor);
  const p = (xs: Item[]) => (xs.length === 0 ? Number.NaN : xs.filter((x) => x.relevant).length / xs.length);
  return { above: p(a), below: p(b), nAbove: a.length, nBelow: b.length };
}

/**
 * The floor a corpus asks for: the highest edge (0.02 steps, up to 0.3) below which the neighbours (at least 10 of
 * them) share their source's topic less often than not: under it, a weak match is more likely wrong than right.
 */
function floorOf(items: readonly Item[]): number {
  let floor = 0;
  for (let edge = 0.02; edge <= 0.3 + 1e-9; edge += 0.02) {
    const below = items.filter((i) => i.cosine < edge);
    if (below.length >= 10 && below.filter((i) => i.relevant).length / below.length < 0.5) floor = Math.round(edge * 100) / 100;
  }
  return floor;
}

/** Cosines of the top 10 for texts from another corpus (no story in common: BBC 2004–05 against Reuters 1987). */
async function offCorpus(similarity: Similarity, texts: readonly Doc[]): Promise<number[]> {
  const out: number[] = [];
  for (const t of texts) out.push(...(await similarity.similarToText(t.title, t.body, { limit: 10 })).map((h) => h.cosine));
  return out;
}

async function measure(name: string, docs: Doc[], foreign: readonly Doc[]): Promise<{ items: Record<'tune' | 'report', Item[]>; off: number[] }> {
  const byId = new Map(docs.map((d) => [d.id, d]));
  const { similarity, done } = await open(docs);
  const picked = Array.from({ length: Math.min(SOURCES, docs.length) }, (_, k) => docs[Math.floor((k * docs.length) / Math.min(SOURCES, docs.length))]!);
  const sources = picked.filter((d) => labels(d).size > 0);
  const items: Record<'tune' | 'report', Item[]> = { tune: [], report: [] };
  const p10 = { on: [] as number[], off: [] as number[] };
  const copies = { on: 0, off: 0 };
  const shown = { on: 0, floor: 0, empty: 0 };
  for (const source of sources) {
    const want = labels(source);
    const rel = (id: string) => [...labels(byId.get(id)!)].some((l) => want.has(l));
    const on = (await similarity.similarTo(source.id, { limit: 10 }))!.hits;
    // diversity off, as before: the source's own copies left out, nothing else (a wider list, cut to 10)
    const off = (await similarity.similarTo(source.id, { limit: 30, includeDuplicates: true }))!.hits.filter((h) => !h.duplicate).slice(0, 10);
    for (const [k, hits] of [['on', on], ['off', off]] as const) {
      p10[k].push(hits.filter((h) => rel(h.id)).length / 10);
      const ids = hits.map((h) => h.id);
      const pairs = await copyPairs(similarity, ids);
      copies[k] += pairs;
    }
    const wide = (await similarity.similarTo(source.id, { limit: WIDE }))!.hits;
    for (const h of wide) if (labels(byId.get(h.id)!).size > 0) items[half(source.id)].push({ cosine: h.cosine, relevant: rel(h.id) });
    if (half(source.id) !== 'report') continue;
    const floored = on.filter((h) => h.cosine >= DEFAULT_MIN_COSINE);
    shown.on += on.length;
    shown.floor += floored.length;
    if (floored.length === 0) shown.empty++;
  }
  const off = await offCorpus(similarity, foreign);
  await done();
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`${name.padEnd(8)} ${String(sources.length).padStart(5)}  ${mean(p10.off).toFixed(3)} / ${mean(p10.on).toFixed(3)}   ${String(copies.off).padStart(5)} / ${String(copies.on).padStart(3)}   ` +
    `${(1 - shown.floor / shown.on).toFixed(3)} of the report half's top-10 hits hidden by the default floor ${DEFAULT_MIN_COSINE}, ${shown.empty} lists left empty`);
  return { items, off };
}

/** Pairs of hits that are copies of one story (cosine ≥ 0.95 between them), found by asking each hit's own copies. */
async function copyPairs(similarity: Similarity, ids: readonly string[]): Promise<number> {
  let pairs = 0;
  const set = new Set(ids);
  for (const id of ids) {
    const found = await similarity.similarTo(id, { limit: 20, includeDuplicates: true });
    pairs += (found?.hits ?? []).filter((h) => h.duplicate && set.has(h.id)).length;
  }
  return pairs / 2;
}

async function main(): Promise<void> {
  const files = [['reuters', 'reuters21578.jsonl'], ['bbc', 'bbc.jsonl']] as const;
  const all: Record<string, Record<'tune' | 'report', Item[]>> = {};
  const offs: Record<string, number[]> = {};
  const paths = files.map(([, file]) => sharedCorpus(file));
  if (paths.some((p) => p === undefined)) return;
  const corpora = paths.map((p) => readJsonl<Doc>(p!));
  console.log(`related list: up to ${SOURCES} labelled sources per corpus, top 10; machine ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('corpus   sources  p@10 diversity off / on   copy pairs in top 10 off / on   floor');
  for (const [k, [name]] of files.entries()) {
    const foreign = corpora[1 - k]!.filter((_d, i) => i % 10 === 0).slice(0, 200);
    const m = await measure(name, corpora[k]!, foreign);
    all[name] = m.items;
    offs[name] = m.off;
  }
  const floors = Object.entries(all).map(([name, x]) => [name, floorOf(x.tune)] as const);
  const chosen = Math.max(...floors.map(([, f]) => f));
  console.log(`\nfloor asked by each corpus's tune half: ${floors.map(([n, f]) => `${n} ${f}`).join(', ')}; the larger: ${chosen}; default in the code: ${DEFAULT_MIN_COSINE}`);
  console.log('corpus   half     floor   precision above (n)      precision below (n)');
  for (const [name, x] of Object.entries(all)) {
    for (const h of ['tune', 'report'] as const) {
      for (const floor of [...new Set([chosen, DEFAULT_MIN_COSINE])]) {
        const s = split(x[h], floor);
        console.log(`${name.padEnd(8)} ${h.padEnd(7)} ${floor.toFixed(2).padStart(6)}   ${s.above.toFixed(3)} (${String(s.nAbove).padStart(5)})        ${s.below.toFixed(3)} (${String(s.nBelow).padStart(5)})`);
      }
    }
  }
  console.log('\nprecision by cosine band (labelled neighbours in the top ' + WIDE + ')');
  console.log('corpus half     ' + BANDS.slice(0, -1).map((b, i) => `${b.toFixed(2)}-${BANDS[i + 1]!.toFixed(2)}`.padStart(12)).join(''));
  for (const [name, x, h] of Object.entries(all).flatMap(([n, v]) => (['tune', 'report'] as const).map((k) => [n, v, k] as const))) {
    const items = x[h];
    const cells = BANDS.slice(0, -1).map((b, i) => {
      const band = items.filter((it) => it.cosine >= b && it.cosine < BANDS[i + 1]!);
      return (band.length === 0 ? '–' : `${(band.filter((it) => it.relevant).length / band.length).toFixed(2)} (${band.length})`).padStart(12);
    });
    console.log(`${`${name} ${h}`.padEnd(15)} ${cells.join('')}`);
  }
  console.log('\ntexts of the other corpus (200 articles, no story in common): share of their top-10 hits below a floor');
  for (const [name, cs] of Object.entries(offs)) {
    const below = (f: number) => (cs.filter((c) => c < f).length / cs.length).toFixed(2);
    console.log(`${name.padEnd(8)} hits ${cs.length}: below 0.05 ${below(0.05)}, 0.06 ${below(0.06)}, 0.08 ${below(0.08)}, 0.10 ${below(0.1)}, 0.15 ${below(0.15)}, 0.20 ${below(0.2)}`);
  }
  console.log(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

void main();
