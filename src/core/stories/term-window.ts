/** An article as the term window holds it: its id and publication time (ms since the epoch; undefined: undated). */
export interface WindowEntry {
  readonly id: string;
  readonly at: number | undefined;
}

/** Order of a story's articles and of the window's lists: by publication time, then id; undated articles last, by id. */
export function compareEntries(a: WindowEntry, b: WindowEntry): number {
  if (a.at !== b.at) {
    if (a.at === undefined) return 1;
    if (b.at === undefined) return -1;
    return a.at - b.at;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Where `entry` goes in a list sorted by {@link compareEntries} (binary search). */
export function insertionPoint(list: readonly WindowEntry[], entry: WindowEntry): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(list[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Fewest adds between two sweeps of the dated lists. */
const SWEEP_MIN_ADDS = 1024;

/** How a {@link TermWindow} bounds its candidates and its memory. */
export interface TermWindowOptions {
  /** Candidates are published within this many ms of the article (either side). */
  readonly windowMs: number;
  /** Dated entries older than the newest dated article minus this (ms, at least `windowMs`) are dropped. */
  readonly retainMs: number;
  /** At most this many candidates per term: the nearest in time (dated), the latest to arrive (undated). */
  readonly perTerm: number;
}

/**
 * The recent articles holding each of a few strong terms, so that an arriving article finds the earlier articles of
 * its story without reading the corpus. Dated articles are kept per term sorted by (time, id) and dropped once older
 * than the newest dated article minus `retainMs`; a candidate search reads at most `perTerm` entries per term, the
 * nearest in time within ±`windowMs`. Undated articles have no time to compare: per term the last `perTerm` to
 * arrive are kept, and they are candidates only of each other. Nothing is removed but by age (dated) or by newer
 * arrivals (undated): the caller skips entries of articles it no longer holds as they were (story-threads.ts). Memory: terms per article × the articles within
 * `retainMs` of the newest (dated, give or take the adds between two sweeps) plus `perTerm` per term (undated); work per article: terms × `perTerm`.
 */
export class TermWindow {
  private readonly dated = new Map<number, WindowEntry[]>();
  private readonly undated = new Map<number, WindowEntry[]>();
  private newest = Number.NEGATIVE_INFINITY;
  private addsSinceSweep = 0;
  /** Adds before the next sweep: a tenth of the entries left by the last one, at least {@link SWEEP_MIN_ADDS}. */
  private sweepAfter = SWEEP_MIN_ADDS;
  /** Entries held, dated and undated. */
  private entries = 0;

  constructor(private readonly options: TermWindowOptions) {}

  /** Articles holding `term` near `entry` in time (not `entry` itself), at most `perTerm`. */
  near(term: number, entry: WindowEntry): WindowEntry[] {
    if (entry.at === undefined) return (this.undated.get(term) ?? []).filter((e) => e.id !== entry.id);
    const list = this.dated.get(term);
    if (!list) return [];
    const at = entry.at;
    const found: WindowEntry[] = [];
    let right = insertionPoint(list, entry);
    let left = right - 1;
    const { perTerm, windowMs } = this.options;
    while (found.length < perTerm) {
      const l = left >= 0 ? list[left] : undefined;
      const r = right < list.length ? list[right] : undefined;
      const dl = l ? at - l.at! : Number.POSITIVE_INFINITY;
      const dr = r ? r.at! - at : Number.POSITIVE_INFINITY;
      if (Math.min(dl, dr) > windowMs) break;
      const next = dl <= dr ? list[left--]! : list[right++]!;
      if (next.id !== entry.id) found.push(next);
    }
    return found;
  }

  /** Holds `entry` under each of `terms`. */
  add(entry: WindowEntry, terms: readonly number[]): void {
    for (const term of terms) {
      if (entry.at === undefined) {
        const list = this.undated.get(term) ?? [];
        list.push(entry);
        this.entries++;
        if (list.length > this.options.perTerm) {
          list.shift();
          this.entries--;
        }
        this.undated.set(term, list);
        continue;
      }
      const list = this.dated.get(term) ?? [];
      list.splice(insertionPoint(list, entry), 0, entry);
      this.entries++;
      this.dated.set(term, list);
    }
    if (entry.at !== undefined && entry.at > this.newest) this.newest = entry.at;
    // every list is swept once a tenth as many adds as the entries the last sweep left have passed: amortised, each
    // add pays for about ten entries read (and lists of terms no later article holds are emptied too)
    if (++this.addsSinceSweep >= this.sweepAfter) {
      this.addsSinceSweep = 0;
      for (const [term, list] of this.dated) this.prune(term, list);
      this.sweepAfter = Math.max(SWEEP_MIN_ADDS, Math.ceil(this.entries / 10));
    }
  }

  /** Entries held, dated and undated (memory figure). */
  size(): number {
    return this.entries;
  }

  private prune(term: number, list: WindowEntry[]): void {
    const horizon = this.newest - Math.max(this.options.retainMs, this.options.windowMs);
    let drop = 0;
    while (drop < list.length && list[drop]!.at! < horizon) drop++;
    if (drop > 0) {
      list.splice(0, drop);
      this.entries -= drop;
    }
    if (list.length === 0) this.dated.delete(term);
  }
}
