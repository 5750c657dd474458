/**
 * Posting-list entries a compaction step walks (whole lists until about this many: a few ms at most, beyond one very
 * long list). Each removal of a document carries a compaction under way on by a step (KeywordIndex, SimilarityIndex),
 * and the index host by the time its idle slices leave.
 */
export const COMPACT_STEP_ENTRIES = 4_096;

/**
 * A compaction of an index's posting lists (dropping removed documents' entries) carried on a step at a time, list
 * by list, from where the last step stopped, so that no one call compacts the whole index: the keyword index once
 * compacted every list in the removal that found a quarter of its entries dead (removing every Reuters article:
 * 24 times, one removal holding the index host 396–636 ms). Queries skip dead entries, so a pass under way changes
 * no answer; a list is replaced whole.
 */
export class SteppedCompaction {
  /** The next list to compact; -1: no pass under way. */
  private cursor = -1;

  /** Whether a pass is under way. */
  get underWay(): boolean {
    return this.cursor >= 0;
  }

  /** Begins a pass, unless one is under way. */
  begin(): void {
    if (this.cursor < 0) this.cursor = 0;
  }

  /**
   * Compacts `lists` from where the last step stopped (each list replaced by `compacted(list)`, whose `length` counts
   * toward `budget`; absent lists count 1) until about `budget` entries were walked. True when the pass ended here or
   * none is under way.
   */
  step<L extends { readonly length: number }>(lists: (L | undefined)[], compacted: (list: L) => L | undefined, budget: number): boolean {
    if (this.cursor < 0) return true;
    let walked = 0;
    while (this.cursor < lists.length && walked < budget) {
      const list = lists[this.cursor];
      walked += (list?.length ?? 0) + 1;
      if (list) lists[this.cursor] = compacted(list);
      this.cursor++;
    }
    if (this.cursor < lists.length) return false;
    this.cursor = -1;
    return true;
  }
}
