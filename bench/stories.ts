import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { toArticle, articleInputSchema } from '../src/core/article.js';
import { DUPLICATE_COSINE } from '../src/core/similarity/find-similar.js';
import { termCounts } from '../src/core/similarity/analyzer.js';
import { SimilarityIndex } from '../src/core/similarity/similarity-index.js';
import { storyInput } from '../src/core/stories/story-input.js';
import { DEFAULT_STORY_OPTIONS, STORY_TOP_TERMS } from '../src/core/stories/story-options.js';
import type { StoryOptions } from '../src/core/stories/story-threads.js';
import { StoryThreads } from '../src/core/stories/story-threads.js';
import { compareEntries } from '../src/core/stories/term-window.js';
import { COPY_SCHEMA, CopyGroups } from '../src/storage/copy-groups.js';
import { readJsonl, sharedCorpus } from './corpus.js';
import { measureHostStart } from './stories-host.js';
import { measureScale } from './stories-scale.js';

/**
 * Story threads (core/stories/) on the shared corpora: Reuters (TOPICS codes) and BBC (categories; undated). Each
 * corpus is split by a hash of the id; each half is indexed and threaded on its own, in (publishedAt, id) order as
 * the index host builds. Printed per half: pairwise label agreement inside threads (pairs of two labelled articles
 * of one thread sharing a label), threads of 2+ articles, articles in them, sizes, build time per article. `GRID=1`
 * tries thresholds and windows on the tune half; PER_TERM=n overrides the entries read per term; SCALE=n threads n synthetic articles (µs per article as the corpus grows); HOST=1 times the index host's start over the Reuters file with and without threads; SAMPLE=path writes 20 report-half threads to hand-read (per corpus 5 pairs and 5 of 3+ articles).
 */
interface Doc { id: string; title: string; body: string; publishedAt?: string; topics?: string[]; category?: string }

const half = (id: string): 'tune' | 'report' => ((createHash('sha1').update(id).digest()[0]! & 1) === 0 ? 'tune' : 'report');
const labels = (d: Doc): string[] => (d.topics?.length ? d.topics : d.category ? [d.category] : []);
const DAY = 86_400_000;

interface Built { threads: StoryThreads; ms: number; docs: Doc[]; cosineTo: (a: string, b: string) => number }

/** Each article's copy group as the write path gives it (storage/copy-groups.ts), written in file order. */
function copyGroups(docs: readonly Doc[]): Map<string, string> {
  const db = new Database(':memory:');
  db.exec(COPY_SCHEMA);
  const groups = new CopyGroups(db);
  const out = new Map<string, string>();
  for (const d of docs) out.set(d.id, groups.assign([toArticle(articleInputSchema.parse(d))])[0]!.copyGroup!);
  db.close();
  return out;
}

function build(docs: Doc[], options: StoryOptions): Built {
  const index = new SimilarityIndex();
  const terms = new Map<string, number>();
  const entries = docs.map((d, key) => {
    const pairs: [number, number][] = [];
    for (const [term, { count, word }] of termCounts(d.title, d.body)) {
      let id = terms.get(term);
      if (id === undefined) {
        id = terms.size;
        terms.set(term, id);
        index.setTerm(id, term, word);
      }
      pairs.push([id, count]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const at = d.publishedAt ? Date.parse(d.publishedAt) : undefined;
    return { meta: { key, id: d.id, publishedAt: at }, vector: { terms: Int32Array.from(pairs, (p) => p[0]), counts: Float32Array.from(pairs, (p) => p[1]) } };
  });
  index.addAll(entries);
  const order = entries.map((e) => ({ id: e.meta.id, at: e.meta.publishedAt, key: e.meta.key })).sort(compareEntries);
  const threads = new StoryThreads(options);
  const docOf = new Map(order.map((o) => [o.id, index.docOf(o.key)]));
  const groups = copyGroups(docs);
  const inputOf = (id: string) => storyInput(index, docOf.get(id)!, STORY_TOP_TERMS, Number(process.env.STORY_IDF ?? 1))!;
  const started = performance.now();
  for (const o of order) {
    const input = inputOf(o.id);
    threads.add({ id: o.id, at: o.at, terms: input.terms, copyGroup: groups.get(o.id) }, (other) => input.cosineTo(docOf.get(other)));
  }
  return { threads, ms: performance.now() - started, docs, cosineTo: (a, b) => inputOf(a).cosineTo(docOf.get(b)) };
}

interface Figures { agreement: number; pairs: number; threads: number; inThreads: number; largest: number; sizes: string; usPerArticle: number; copies: string }

/**
 * Articles marked `copy` (an earlier article of the story in its copy group) against the former rule (cosine ≥ 0.95
 * to an earlier article of the story): `group / cosine / both`.
 */
function copyRoles({ cosineTo }: Built, story: readonly { id: string; role: string }[]): [byGroup: number, byCosine: number, both: number] {
  let byGroup = 0;
  let byCosine = 0;
  let both = 0;
  story.forEach((a, i) => {
    const g = a.role === 'copy';
    const c = i > 0 && story.slice(0, i).some((e) => cosineTo(a.id, e.id) >= DUPLICATE_COSINE);
    byGroup += g ? 1 : 0;
    byCosine += c ? 1 : 0;
    both += g && c ? 1 : 0;
  });
  return [byGroup, byCosine, both];
}

function measure(built: Built): Figures {
  const { threads, ms, docs } = built;
  const byId = new Map(docs.map((d) => [d.id, d]));
  const seen = new Set<string>();
  let pairs = 0;
  let agree = 0;
  let count = 0;
  let inThreads = 0;
  let largest = 0;
  const sizes = new Map<string, number>();
  const copies = [0, 0, 0];
  for (const d of docs) {
    const t = threads.thread(d.id, 1)!;
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    if (t.size < 2) continue;
    count++;
    inThreads += t.size;
    largest = Math.max(largest, t.size);
    const band = t.size <= 2 ? '2' : t.size <= 5 ? '3-5' : t.size <= 10 ? '6-10' : t.size <= 50 ? '11-50' : '51+';
    sizes.set(band, (sizes.get(band) ?? 0) + 1);
    const story = threads.thread(d.id, t.size)!.articles;
    copyRoles(built, story).forEach((n, i) => (copies[i]! += n));
    const members = story.map((a) => labels(byId.get(a.id)!)).filter((l) => l.length > 0);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        pairs++;
        if (members[i]!.some((l) => members[j]!.includes(l))) agree++;
      }
    }
  }
  const bands = ['2', '3-5', '6-10', '11-50', '51+'].map((b) => `${b}:${sizes.get(b) ?? 0}`).join(' ');
  return { agreement: pairs ? agree / pairs : Number.NaN, pairs, threads: count, inThreads, largest, sizes: bands, usPerArticle: (ms * 1000) / docs.length, copies: copies.join(' / ') };
}

const row = (name: string, h: string, o: StoryOptions, f: Figures) =>
  `${name.padEnd(8)} ${h.padEnd(7)} T=${o.threshold.toFixed(2)} ±${String(o.windowMs / DAY).padStart(2)}d  agreement ${f.agreement.toFixed(3)} (${String(f.pairs).padStart(6)} pairs)  threads ${String(f.threads).padStart(5)}  articles in them ${String(f.inThreads).padStart(5)}  largest ${String(f.largest).padStart(4)}  sizes ${f.sizes}  copies (group / cosine≥0.95 / both) ${f.copies}  ${f.usPerArticle.toFixed(0)} µs/article`;

function sample({ threads, docs }: Built, name: string, n: number): string[] {
  const byId = new Map(docs.map((d) => [d.id, d]));
  const sizes = new Map<string, number>();
  for (const d of docs) {
    const t = threads.thread(d.id, 1)!;
    if (t.size >= 2) sizes.set(t.id, t.size);
  }
  // half pairs, half threads of 3+ (most threads are pairs), each in a fixed pseudo-random order
  const hashed = [...sizes.keys()].sort((a, b) => createHash('sha1').update(a).digest('hex').localeCompare(createHash('sha1').update(b).digest('hex')));
  const picked = [...hashed.filter((id) => sizes.get(id) === 2).slice(0, n / 2), ...hashed.filter((id) => sizes.get(id)! >= 3).slice(0, n / 2)];
  const out: string[] = [];
  for (const id of picked) {
    const t = threads.thread(id, 12)!;
    out.push(`### ${name} ${id} (${t.size} articles${t.size > 12 ? ', first 12 shown' : ''})`);
    for (const a of t.articles) {
      const d = byId.get(a.id)!;
      out.push(`- ${a.role.padEnd(9)} ${d.publishedAt?.slice(0, 16) ?? 'undated'} ${a.id} [${labels(d).join(',')}] ${d.title.slice(0, 90)}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  console.log(`story threads: machine ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const grid = process.env.GRID === '1';
  const lines: string[] = [];
  for (const file of ['reuters21578.jsonl', 'bbc.jsonl']) {
    const path = sharedCorpus(file);
    if (!path) return;
    const all = readJsonl<Doc>(path);
    const name = file.split(/[.2]/)[0]!;
    for (const h of grid ? (['tune'] as const) : (['tune', 'report'] as const)) {
      const docs = all.filter((d) => half(d.id) === h);
      const tried: StoryOptions[] = grid
        ? [0.3, 0.35, 0.4, 0.45, 0.5, 0.6].flatMap((threshold) => [1, 3, 7].map((days) => ({ ...DEFAULT_STORY_OPTIONS, threshold, windowMs: days * DAY })))
        : [{ ...DEFAULT_STORY_OPTIONS, perTerm: Number(process.env.PER_TERM ?? DEFAULT_STORY_OPTIONS.perTerm) }];
      for (const o of tried) {
        const built = build(docs, o);
        console.log(row(name, h, o, measure(built)));
        if (!grid && h === 'report') lines.push(...sample(built, name, 10));
      }
    }
  }
  if (process.env.SCALE) for (const line of measureScale(Number(process.env.SCALE))) console.log(line);
  const reuters = sharedCorpus('reuters21578.jsonl');
  if (process.env.HOST === '1' && reuters) for (const line of await measureHostStart(readJsonl(reuters))) console.log(line);
  if (process.env.SAMPLE) {
    fs.writeFileSync(process.env.SAMPLE, `${lines.join('\n')}\n`);
    console.log(`sample of ${lines.filter((l) => l.startsWith('###')).length} threads written to ${process.env.SAMPLE}`);
  }
}

void main();
