import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { seededRandom } from './attack-kit.js';

/** The shared folder beside the project (../shared), where the real corpora and peers live. */
export const SHARED = path.resolve(process.cwd(), '..', 'shared');

/** A shared corpus file's path, or undefined (with a message on stderr) when ../shared is absent. */
export function sharedCorpus(name: string): string | undefined {
  const file = path.join(SHARED, 'corpus', name);
  if (fs.existsSync(file)) return file;
  process.stderr.write(`skipped: ${file} is absent (the shared corpora live in ../shared, never in this repository)\n`);
  return undefined;
}

/** Every record of a JSON Lines file. */
export function readJsonl<T = Record<string, unknown>>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** A known-item query: words a reader remembers from a headline, maybe misspelled, and the article it targets. */
export interface KnownItemQuery {
  readonly q: string;
  readonly typo: boolean;
  readonly short?: boolean;
  readonly target: string;
}

export type QueryKind = 'clean' | 'typo' | 'short';
export const kindOf = (q: KnownItemQuery): QueryKind => (q.short ? 'short' : q.typo ? 'typo' : 'clean');

/** Known-item queries made by the peers' own generator (../shared/peers/make_known_item.py), so peers and we share them. */
export function knownItemQueries(corpusFile: string, count: number, seed: number): KnownItemQuery[] {
  const script = path.join(SHARED, 'peers', 'make_known_item.py');
  const out = execFileSync('python3', [script, corpusFile, String(count), String(seed)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as KnownItemQuery);
}

/** The p-th quantile (0–1) of a list of numbers (nearest rank). */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/** `count` distinct queries of 1–3 consecutive words (3+ letters) of random titles, as a search box gets them; seeded. */
export function shortTitleQueries(titles: readonly string[], count: number, seed: number): string[] {
  const rand = seededRandom(seed);
  const found = new Set<string>();
  while (found.size < count) {
    const words = titles[Math.floor(rand() * titles.length)]!.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 2);
    if (words.length === 0) continue;
    const start = Math.floor(rand() * words.length);
    found.add(words.slice(start, start + 1 + Math.floor(rand() * 3)).join(' '));
  }
  return [...found];
}
