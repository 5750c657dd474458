import { createHash } from 'node:crypto';

/**
 * Scoring helpers of the extraction benchmark (bench/extraction.ts) and of the real-web tests: bag-of-words F1 of
 * a body against an expected text, field and date comparisons, and the fixed split of a test suite into two halves.
 */

/** Han, Hiragana, Katakana and Hangul characters count one token each (those scripts do not space their words). */
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu;

/** The lower-cased word tokens of a text (see {@link TOKEN}). */
export const tokens = (text: string): string[] => text.toLowerCase().match(TOKEN) ?? [];

/**
 * Bag-of-words F1 of `got` against `expected`: 2PR / (P + R), where precision P and recall R count tokens as a
 * multiset (a word said twice must be found twice). 1 when both are empty, 0 when only one is.
 */
export function bodyF1(got: string, expected: string): number {
  const want = new Map<string, number>();
  const expectedTokens = tokens(expected);
  for (const t of expectedTokens) want.set(t, (want.get(t) ?? 0) + 1);
  const gotTokens = tokens(got);
  if (gotTokens.length === 0 || expectedTokens.length === 0) return gotTokens.length === expectedTokens.length ? 1 : 0;
  let common = 0;
  for (const t of gotTokens) {
    const left = want.get(t) ?? 0;
    if (left > 0) {
      common++;
      want.set(t, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / gotTokens.length;
  const recall = common / expectedTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Whitespace collapsed, trimmed, typographic quotes and dashes folded: how two short fields are compared. */
export const normaliseField = (text: string): string =>
  text
    .normalize('NFC')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();

/** Whether two dates name the same instant (both read by Date.parse); false when either is unreadable. */
export function sameInstant(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return !Number.isNaN(x) && x === y;
}

/**
 * Which half of a suite a case belongs to: `dev` (the half one may look at while fixing) or `held-out` (never looked
 * at), by the first byte of the SHA-256 of its name, so that the split never moves when cases are added.
 */
export const halfOf = (name: string): 'dev' | 'held-out' =>
  (createHash('sha256').update(name).digest()[0]! & 1) === 0 ? 'dev' : 'held-out';

/** The arithmetic mean of some numbers (NaN for none). */
export const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
