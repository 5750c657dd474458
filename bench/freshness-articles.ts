import fs from 'node:fs';
import path from 'node:path';
import { seededRandom } from './attack-kit.js';

/** A BBC item as ../shared/corpus/bbc.jsonl holds it. */
export interface BbcItem {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly category?: string;
}

/** A new article the bench adds: a BBC item under a fresh id, its body ending with its own marker and its batch's. */
export interface FreshArticle {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly category?: string;
  readonly source: string;
  /** A word no other article holds: a search for it finds this article alone. */
  readonly marker: string;
}

/** Articles added together; a search for `marker` finds every one of them (and nothing else). */
export interface FreshBatch {
  readonly label: string;
  readonly marker: string;
  readonly articles: readonly FreshArticle[];
}

/** Letters of a marker after its `zq` prefix: random 12-letter words are many edits apart, so typos never join two. */
const MARKER_LETTERS = 12;

/**
 * Makes batches of new articles from the BBC items, in turn (wrapping around), each under an id never used before
 * (`fresh-<label>-<n>`) and with marker words drawn from a seeded random source: the same seed, the same articles.
 */
export class FreshArticles {
  private next = 0;
  private readonly random: () => number;

  constructor(
    private readonly items: readonly BbcItem[],
    seed: number,
  ) {
    if (items.length === 0) throw new Error('no BBC items to derive articles from');
    this.random = seededRandom(seed);
  }

  /** A new marker word (`zq` and 12 random lower-case letters). */
  marker(): string {
    return `zq${Array.from({ length: MARKER_LETTERS }, () => String.fromCharCode(97 + Math.floor(this.random() * 26))).join('')}`;
  }

  /** A batch of `size` new articles labelled `label` (letters, digits and '-' only: it goes into ids). */
  batch(label: string, size: number): FreshBatch {
    const marker = this.marker();
    const articles = Array.from({ length: size }, (_, n) => this.article(`fresh-${label}-${n}`, marker));
    return { label, marker, articles };
  }

  /** One new article with its own marker and `batchMarker`. */
  article(id: string, batchMarker: string): FreshArticle {
    const item = this.items[this.next++ % this.items.length]!;
    const marker = this.marker();
    const body = `${item.body}\n\n${marker} ${batchMarker}`;
    return { id, title: item.title, body, category: item.category, source: 'BBC', marker };
  }
}

/** Writes a batch as a JSON Lines file in `dir` (the indexer's input) and returns its path. */
export function writeBatchFile(dir: string, batch: FreshBatch): string {
  const file = path.join(dir, `${batch.label}.jsonl`);
  fs.writeFileSync(file, batch.articles.map(({ marker: _marker, ...a }) => JSON.stringify(a)).join('\n') + '\n');
  return file;
}
