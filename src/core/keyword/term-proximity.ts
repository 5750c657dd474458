import type { ResolvedTerm } from './resolve.js';

/** How many consecutive query terms are not written side by side, in query order, anywhere in one field. */
export function proximityOf(terms: readonly ResolvedTerm[], d: number): number {
  let sum = 0;
  let previous = positionsIn(terms[0]!, d);
  for (let t = 1; t < terms.length; t++) {
    const current = positionsIn(terms[t]!, d);
    if (!followed(previous, current)) sum++;
    previous = current;
  }
  return sum;
}

/**
 * Sources up to which a term's entries for a document are always found by a binary search in each source's list.
 * Past it the term keeps count: once its binary searches outnumber its postings, it walks them once into
 * {@link WalkedEntries} and reads each document's entries there from then on — at most about twice the cheaper of
 * the two ways, whichever the query needs (a binary search and a walked entry cost alike, ~10–30 ns). A short prefix
 * has thousands of sources ("s" expands to 4,154 terms on Reuters): `the s` took the index host's one thread 1.6 s of
 * CPU in binary searches alone, while "gold pri" needs a handful.
 */
const MANY_SOURCES = 16;

/** Every document's entries in a term's sources, in source order (compressed rows over the documents' range). */
interface WalkedEntries {
  /** The lowest document held; row k is document first + k. */
  readonly first: number;
  /** Row k's entries are at [start[k], start[k + 1]). */
  readonly start: Int32Array;
  readonly source: Int32Array;
  readonly entry: Int32Array;
}

/** What a term with many sources spent on binary searches, how many postings it has, and its walk once made. */
interface SourceLookup {
  spent: number;
  readonly postings: number;
  walked: WalkedEntries | undefined;
}

/** Per resolved term (one query): how its documents' entries are found. */
const lookups = new WeakMap<ResolvedTerm, SourceLookup>();

/** One walk over a term's postings (two passes: counting, then placing). */
function walkEntries(term: ResolvedTerm, postings: number): WalkedEntries {
  let first = Number.MAX_SAFE_INTEGER;
  let last = -1;
  for (const { list } of term.sources) {
    if (list.length === 0) continue;
    first = Math.min(first, list.docs[0]!);
    last = Math.max(last, list.docs[list.length - 1]!);
  }
  const start = new Int32Array(Math.max(0, last - first + 2));
  for (const { list } of term.sources) for (let i = 0; i < list.length; i++) start[list.docs[i]! - first + 1]!++;
  for (let k = 1; k < start.length; k++) start[k]! += start[k - 1]!;
  const cursor = start.slice();
  const source = new Int32Array(postings);
  const entry = new Int32Array(postings);
  for (let s = 0; s < term.sources.length; s++) {
    const { list } = term.sources[s]!;
    for (let i = 0; i < list.length; i++) {
      const slot = cursor[list.docs[i]! - first]!++;
      source[slot] = s;
      entry[slot] = i;
    }
  }
  return { first, start, source, entry };
}

/** The walk of a term's entries once it is worth making, else undefined (binary searches). */
function walkedEntries(term: ResolvedTerm): WalkedEntries | undefined {
  if (term.sources.length <= MANY_SOURCES) return undefined;
  let lookup = lookups.get(term);
  if (!lookup) {
    let postings = 0;
    for (const { list } of term.sources) postings += list.length;
    lookup = { spent: 0, postings, walked: undefined };
    lookups.set(term, lookup);
  }
  if (lookup.walked) return lookup.walked;
  lookup.spent += term.sources.length;
  if (lookup.spent > lookup.postings) lookup.walked = walkEntries(term, lookup.postings);
  return lookup.walked;
}

/** All positions of a term's sources in document d, sorted (a view into the postings when one source holds d). */
function positionsIn(term: ResolvedTerm, d: number): ArrayLike<number> {
  let one: Int32Array | undefined;
  let out: number[] | undefined;
  const take = (positions: Int32Array) => {
    if (one === undefined && out === undefined) one = positions;
    else {
      out ??= Array.from(one!);
      for (let j = 0; j < positions.length; j++) out.push(positions[j]!);
    }
  };
  const walked = walkedEntries(term);
  if (walked) {
    const row = d - walked.first;
    if (row >= 0 && row < walked.start.length - 1) {
      for (let k = walked.start[row]!; k < walked.start[row + 1]!; k++) take(term.sources[walked.source[k]!]!.list.positionsOf(walked.entry[k]!));
    }
  } else {
    for (const { list } of term.sources) {
      const i = list.find(d);
      if (i >= 0) take(list.positionsOf(i));
    }
  }
  if (out) return out.sort((a, b) => a - b);
  return one ?? NO_POSITIONS;
}

const NO_POSITIONS = new Int32Array(0);

/** Whether some position in `b` directly follows one in `a` (both sorted; fields never touch, see BODY_OFFSET). */
function followed(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    while (j < b.length && b[j]! < p + 1) j++;
    if (j === b.length) return false;
    if (b[j] === p + 1) return true;
  }
  return false;
}
