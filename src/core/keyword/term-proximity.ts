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

/** All positions of a term's sources in document d, sorted (a view into the postings when one source holds d). */
function positionsIn(term: ResolvedTerm, d: number): ArrayLike<number> {
  let one: Int32Array | undefined;
  let out: number[] | undefined;
  for (const { list } of term.sources) {
    const i = list.find(d);
    if (i < 0) continue;
    const positions = list.positionsOf(i);
    if (one === undefined && out === undefined) one = positions;
    else {
      out ??= Array.from(one!);
      for (let j = 0; j < positions.length; j++) out.push(positions[j]!);
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
