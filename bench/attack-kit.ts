import type { AttackCase, AttackMethod } from './attack-http.js';

/** The API's two keys, as the bench configures them (each 16+ characters). */
export interface Keys {
  readonly search: string;
  readonly admin: string;
}

/** What every case builder draws on: the keys, real article ids and entity names, and the fixed seed. */
export interface CaseContext {
  readonly keys: Keys;
  readonly ids: readonly string[];
  readonly names: readonly { readonly type: 'person' | 'org' | 'place'; readonly name: string }[];
  readonly seed: number;
}

/** A deterministic pseudo-random source in [0, 1) (mulberry32): the same seed gives the same attack. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A shuffled copy of `items` (Fisher–Yates with `random`). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Percent-encodes the UTF-8 bytes of `s` (all but A–Z a–z 0–9 - . _ ~). Unlike encodeURIComponent it never throws:
 * a lone surrogate becomes U+FFFD, as a browser would send it.
 */
export function pct(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Raw percent sequences that decode to no valid UTF-8 (or to nothing), sent as they are. */
export const BAD_PERCENT = ['%FF', '%', '%%', '%ZZ', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%FF%FE', '%00', '%2', '%G0'];

/** A case; `init.heavy` puts it in the heavy tail. */
export function request(
  cls: string,
  method: AttackMethod,
  path: string,
  init: { headers?: Record<string, string>; body?: Buffer; heavy?: boolean; note?: string } = {},
): AttackCase {
  return { cls, method, path, ...init };
}

/** A JSON body. */
export const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** Headers carrying a key, and a JSON content type when `body` is set. */
export const keyed = (key: string, body = false): Record<string, string> => ({
  'x-api-key': key,
  ...(body ? { 'content-type': 'application/json' } : {}),
});

/** A GET with the search key. */
export const read = (ctx: CaseContext, cls: string, path: string, heavy = false): AttackCase =>
  request(cls, 'GET', path, { headers: keyed(ctx.keys.search), heavy });

/** A word of `length` consonants, no vowel and no `y` (the Porter stemmer's worst case). */
export const consonants = (length: number): string => 'bcdfghjklmnpqrstvwxz'.repeat(Math.ceil(length / 20)).slice(0, length);

/** `-w0 -w1 … -w{n-1}`: n distinct exclusions. */
export const exclusions = (n: number): string => Array.from({ length: n }, (_, i) => `-w${i}`).join(' ');
