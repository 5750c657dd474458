/** Typed arrays that grow by doubling: the storage of the in-memory keyword index. */
type TypedArray = Int32Array | Uint16Array | Uint32Array | Float32Array | Float64Array | Uint8Array;
type Ctor<T extends TypedArray> = { new (length: number): T };

/** A copy of `array` with room for at least `needed` elements (the same array when it already has room). */
export function ensureCapacity<T extends TypedArray>(array: T, needed: number, ctor: Ctor<T>): T {
  if (needed <= array.length) return array;
  let size = Math.max(4, array.length);
  while (size < needed) size *= 2;
  const grown = new ctor(size);
  grown.set(array);
  return grown;
}
