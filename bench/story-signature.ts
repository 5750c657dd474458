import { createHash } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { bandKeys, estimatedJaccard, storySignature } from '../src/core/story-signature.js';
import { readJsonl, sharedCorpus } from './corpus.js';
import { copyFinder } from './duplicate-rate.js';

/**
 * How well an index-time MinHash signature (core/story-signature.ts) finds the copies the related list defines
 * (TF-IDF cosine ≥ 0.95): pairs found by LSH band keys and confirmed at an estimated Jaccard threshold, against the
 * cosine pairs, on the shared corpora. Pairs are split by a hash of the pair's first id: thresholds are to be chosen
 * on "tune" and read on "report".
 */
interface Doc { id: string; title: string; body: string }
const half = (id: string) => ((createHash('sha1').update(id).digest()[0]! & 1) === 0 ? 'tune' : 'report');
const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

async function main(): Promise<void> {
  console.log(`story signatures: machine ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('corpus   half    threshold  cosine pairs  signature pairs  recall  precision');
  for (const file of ['reuters21578.jsonl', 'bbc.jsonl']) {
    const path = sharedCorpus(file);
    if (!path) return;
    const docs = readJsonl<Doc>(path);
    const t = performance.now();
    const sigs = docs.map((d) => storySignature(`${d.title}\n${d.body}`));
    const usPerDoc = ((performance.now() - t) * 1000) / docs.length;
    const buckets = new Map<number, number[]>();
    sigs.forEach((s, i) => { for (const k of bandKeys(s)) { const b = buckets.get(k); if (b) b.push(i); else buckets.set(k, [i]); } });
    const candidates = new Map<string, number>();
    for (const members of buckets.values()) {
      for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) {
        const [a, b] = [members[x]!, members[y]!];
        candidates.set(pairKey(docs[a]!.id, docs[b]!.id), estimatedJaccard(sigs[a]!, sigs[b]!));
      }
    }
    const finder = await copyFinder(docs);
    const cosinePairs = new Set<string>();
    for (const d of docs) for (const c of await finder.copies(d.id)) cosinePairs.add(pairKey(d.id, c));
    await finder.close();
    for (const h of ['tune', 'report'] as const) {
      const mine = (k: string) => half(k.split('\u0000')[0]!) === h;
      const truth = [...cosinePairs].filter(mine);
      for (const threshold of [0.4, 0.5, 0.6, 0.7, 0.8]) {
        const found = [...candidates].filter(([k, j]) => mine(k) && j >= threshold).map(([k]) => k);
        const hit = found.filter((k) => cosinePairs.has(k)).length;
        console.log(`${file.split(/[.2]/)[0]!.padEnd(8)} ${h.padEnd(7)} ${threshold.toFixed(2).padStart(9)}  ${String(truth.length).padStart(12)}  ${String(found.length).padStart(15)}  ${(hit / truth.length).toFixed(3).padStart(6)}  ${(found.length ? hit / found.length : 0).toFixed(3).padStart(9)}`);
      }
    }
    console.log(`${file}: ${docs.length} articles, signature ${usPerDoc.toFixed(1)} µs per article`);
  }
}

void main();
