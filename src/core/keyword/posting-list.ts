import { ensureCapacity } from './growable.js';

/**
 * The documents holding one term, in increasing document number (documents only ever get new, higher numbers),
 * with the term's frequency in the title and in the body, and its positions (title positions from 0, body positions
 * from {@link BODY_OFFSET}, so that no title word is ever "next to" a body word). Entries of removed documents stay
 * until the index compacts.
 */
export class PostingList {
  // Empty until the first entry: a bulk build replaces them with views, and a small array per term and field
  // would be allocated, dropped and left as fragments of the native heap.
  docs = new Int32Array(0);
  titleTf = new Uint16Array(0);
  bodyTf = new Uint16Array(0);
  /** Where each entry's positions start in `positions`; they end where the next entry's start. */
  posStart = new Int32Array(0);
  positions = new Int32Array(0);
  length = 0;
  positionCount = 0;

  add(doc: number, titleTf: number, bodyTf: number, positions: ArrayLike<number>): void {
    const i = this.length;
    if (i >= this.docs.length) this.grow(i + 1);
    if (this.positionCount + positions.length > this.positions.length) {
      this.positions = ensureCapacity(this.positions, this.positionCount + positions.length, Int32Array);
    }
    this.docs[i] = doc;
    this.titleTf[i] = Math.min(titleTf, 65_535);
    this.bodyTf[i] = Math.min(bodyTf, 65_535);
    this.posStart[i] = this.positionCount;
    this.positions.set(positions, this.positionCount);
    this.positionCount += positions.length;
    this.length = i + 1;
  }

  private grow(entries: number): void {
    this.docs = ensureCapacity(this.docs, entries, Int32Array);
    this.titleTf = ensureCapacity(this.titleTf, entries, Uint16Array);
    this.bodyTf = ensureCapacity(this.bodyTf, entries, Uint16Array);
    this.posStart = ensureCapacity(this.posStart, entries, Int32Array);
  }

  /** The entry index of `doc`, or -1 (binary search). */
  find(doc: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = this.docs[mid]!;
      if (d === doc) return mid;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The positions of entry `i`. */
  positionsOf(i: number): Int32Array {
    const end = i + 1 < this.length ? this.posStart[i + 1]! : this.positionCount;
    return this.positions.subarray(this.posStart[i]!, end);
  }

  /** A copy holding only the entries whose document is still alive. */
  compacted(alive: (doc: number) => boolean): PostingList {
    const out = new PostingList();
    for (let i = 0; i < this.length; i++) {
      const doc = this.docs[i]!;
      if (alive(doc)) out.add(doc, this.titleTf[i]!, this.bodyTf[i]!, this.positionsOf(i));
    }
    return out;
  }
}

/** Body positions start here; a title never has this many words. */
export const BODY_OFFSET = 1 << 20;
