import { tokenize } from './normalize.js';

/** Words per shingle. */
export const SHINGLE_WORDS = 3;
/** MinHash values per signature: {@link BANDS} bands of {@link ROWS} values. */
export const BANDS = 16;
export const ROWS = 4;
/**
 * Estimated shingle Jaccard at or above which two texts are copies of one story. With 16 bands of 4 rows, a pair at
 * Jaccard s shares a band with probability 1 − (1 − s⁴)¹⁶: 0.92 at s = 0.6, 0.9998 at s = 0.8.
 */
export const COPY_JACCARD = 0.6;

/**
 * A text's MinHash signature over its word shingles: {@link BANDS} × {@link ROWS} 32-bit minima. Words are
 * keyword-search tokens (normalize.ts: case and accents folded); a shingle is {@link SHINGLE_WORDS} consecutive
 * words (a shorter text is one shingle). Each word is hashed once (FNV-1a); a shingle's two hashes h1, h2 mix its
 * words' hashes (MurmurHash3's finaliser, with two seeds), and its hash j is h1 + j·h2 (mod 2³²)
 * (Kirsch–Mitzenmacher); value j of the signature is the least hash j over the shingles. An empty text gives a
 * signature of 0xffffffff, equal to every other empty text's. Deterministic: no seed, no clock.
 */
export function storySignature(text: string): Uint32Array {
  const words = tokenize(text);
  const signature = new Uint32Array(BANDS * ROWS).fill(0xffffffff);
  if (words.length === 0) return signature;
  const wordHashes = Uint32Array.from(words, (w) => fnv1a(w, 0x811c9dc5));
  const count = Math.max(1, words.length - SHINGLE_WORDS + 1);
  const width = Math.min(SHINGLE_WORDS, words.length);
  for (let s = 0; s < count; s++) {
    let a = 0x9747b28c;
    let b = 0x2f8f8d4b;
    for (let w = s; w < s + width; w++) {
      a = fmix32(a ^ wordHashes[w]!);
      b = fmix32(Math.imul(b, 0x01000193) ^ wordHashes[w]!);
    }
    const h1 = a;
    const h2 = b | 1;
    for (let j = 0; j < signature.length; j++) {
      const h = (h1 + Math.imul(j, h2)) >>> 0;
      if (h < signature[j]!) signature[j] = h;
    }
  }
  return signature;
}

/** MurmurHash3's 32-bit finaliser: every input bit reaches every output bit. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Share of equal values between two signatures: an estimate of the shingle sets' Jaccard similarity (0–1). */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let j = 0; j < a.length; j++) if (a[j] === b[j]) same++;
  return a.length === 0 ? 0 : same / a.length;
}

/**
 * The signature's band keys (locality-sensitive hashing): one number per band, band index × 2³² + the FNV-1a hash of
 * its rows (exact in a double, and a SQLite integer). Two texts whose signatures share a key are candidate copies,
 * to confirm with {@link estimatedJaccard} ≥ {@link COPY_JACCARD}.
 */
export function bandKeys(signature: Uint32Array): number[] {
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5;
    for (let r = 0; r < ROWS; r++) h = Math.imul(h ^ signature[b * ROWS + r]!, 0x01000193) >>> 0;
    keys.push(b * 2 ** 32 + h);
  }
  return keys;
}

/** 32-bit FNV-1a of a string's UTF-16 code units, from a given offset basis. */
function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
