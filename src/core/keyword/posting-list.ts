import { ensureRoom } from './growable.js';

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
  /**
   * Two numbers per entry i: at 2i its title and body frequencies (title × 65,536 + body, each capped at 65,535),
   * at 2i + 1 where its positions start in `positions` (they end where the next entry's start). One array, not three:
   * each typed array costs ~100 bytes of its own, and a Reuters index holds 43,000 lists.
   */
  info = new Uint32Array(0);
  positions = new Int32Array(0);
  length = 0;
  positionCount = 0;

  /**
   * Appends an entry for `doc` (higher than any held) with its positions: `positions[from]` to `positions[to - 1]`
   * (all of them by default; a range spares the caller a view per term, a document adding hundreds of terms).
   */
  add(doc: number, titleTf: number, bodyTf: number, positions: ArrayLike<number>, from = 0, to = positions.length): void {
    const i = this.length;
    if (i >= this.docs.length) this.grow(i + 1);
    const count = to - from;
    if (this.positionCount + count > this.positions.length) {
      this.positions = ensureRoom(this.positions, this.positionCount + count, Int32Array);
    }
    this.docs[i] = doc;
    this.info[2 * i] = Math.min(titleTf, 65_535) * 65_536 + Math.min(bodyTf, 65_535);
    this.info[2 * i + 1] = this.positionCount;
    // most terms occur once or twice in a document: a loop costs less than a view and a set() per term
    const out = this.positions;
    let at = this.positionCount;
    for (let k = from; k < to; k++) out[at++] = positions[k]!;
    this.positionCount = at;
    this.length = i + 1;
  }

  /** The term's frequency in the title of entry `i`'s document. */
  titleTf(i: number): number {
    return Math.floor(this.info[2 * i]! / 65_536);
  }

  /** The term's frequency in the body of entry `i`'s document. */
  bodyTf(i: number): number {
    return this.info[2 * i]! % 65_536;
  }

  private grow(entries: number): void {
    this.docs = ensureRoom(this.docs, entries, Int32Array);
    if (this.info.length < 2 * this.docs.length) {
      const info = new Uint32Array(2 * this.docs.length);
      info.set(this.info);
      this.info = info;
    }
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
    return this.positions.subarray(this.info[2 * i + 1]!, this.positionEnd(i));
  }

  /**
   * A copy holding only the entries whose document is alive (`alive[doc] === 1`), in arrays of exactly its size: one
   * pass to count, one to copy (entry by entry into grown arrays, a Reuters index's compaction took ~1 µs an entry).
   */
  compacted(alive: Uint8Array): PostingList {
    let kept = 0;
    let keptPositions = 0;
    for (let i = 0; i < this.length; i++) {
      if (alive[this.docs[i]!] !== 1) continue;
      kept++;
      keptPositions += this.positionEnd(i) - this.info[2 * i + 1]!;
    }
    const out = new PostingList();
    out.docs = new Int32Array(kept);
    out.info = new Uint32Array(2 * kept);
    out.positions = new Int32Array(keptPositions);
    let k = 0;
    let at = 0;
    for (let i = 0; i < this.length; i++) {
      if (alive[this.docs[i]!] !== 1) continue;
      const start = this.info[2 * i + 1]!;
      const end = this.positionEnd(i);
      out.docs[k] = this.docs[i]!;
      out.info[2 * k] = this.info[2 * i]!;
      out.info[2 * k + 1] = at;
      for (let p = start; p < end; p++) out.positions[at++] = this.positions[p]!;
      k++;
    }
    out.length = kept;
    out.positionCount = at;
    return out;
  }

  /** Where entry `i`'s positions end in `positions`. */
  private positionEnd(i: number): number {
    return i + 1 < this.length ? this.info[2 * i + 3]! : this.positionCount;
  }
}

/** Body positions start here; a title never has this many words. */
export const BODY_OFFSET = 1 << 20;
