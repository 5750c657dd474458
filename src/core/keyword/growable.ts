/** Typed arrays that grow as needed: the storage of the in-memory keyword index. */
type TypedArray = Int32Array | Uint16Array | Uint32Array | Float32Array | Float64Array | Uint8Array;
type Ctor<T extends TypedArray> = { new (length: number): T };

/** A copy of `array` with room for at least `needed` elements, by doubling (the same array when it already has room). */
export function ensureCapacity<T extends TypedArray>(array: T, needed: number, ctor: Ctor<T>): T {
  if (needed <= array.length) return array;
  let size = Math.max(4, array.length);
  while (size < needed) size *= 2;
  return copyInto(array, size, ctor);
}

/**
 * A copy of `array` with room for `needed` elements and an eighth more (at least 4): for the posting lists of a
 * live index. After a bulk build every list is an exact view of shared buffers, so the first document added to a
 * term copies its list; doubling then left half of each copied list empty (a Reuters index grew by tens of MiB
 * over the first articles added), an eighth leaves far less at the price of more copies
 * of the lists that keep growing (still amortised constant per entry).
 */
export function ensureRoom<T extends TypedArray>(array: T, needed: number, ctor: Ctor<T>): T {
  if (needed <= array.length) return array;
  return copyInto(array, needed + Math.max(4, needed >> 3), ctor);
}

function copyInto<T extends TypedArray>(array: T, size: number, ctor: Ctor<T>): T {
  const grown = new ctor(size);
  grown.set(array);
  return grown;
}
