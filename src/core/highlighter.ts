import { MARK_CLOSE, MARK_OPEN } from './highlight.js';
import { foldText } from './normalize.js';

/** What counts as a match when highlighting: folded words (query words and their typo variants) and prefixes. */
export interface MatchTerms {
  readonly words: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}

/** Default snippet length, in words. */
export const SNIPPET_WORDS = 30;
/** Only this many characters of a body are scanned for a snippet (a 1 MB body must not cost 1 MB per hit). */
const SCAN_LIMIT = 100_000;
/** Letters with their combining marks (`Zoe\u0308` is one word) and digits. */
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;
// eslint-disable-next-line no-control-regex -- ASCII test
const ASCII = /^[\u0000-\u007f]*$/;

/**
 * The tokens of a text: boundaries of every token (parallel arrays, `count` used) and the matched ones only, by
 * token index with their folded word. Most tokens match nothing, so nothing is kept of them but two numbers.
 */
interface Tokens {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly matchAt: readonly number[];
  readonly matchWord: readonly string[];
}

/** Boundaries grown as needed and reused: one highlight at a time per thread, and they are read before the next. */
let scratch = { starts: new Int32Array(1_024), ends: new Int32Array(1_024) };

function room(count: number): void {
  if (count < scratch.starts.length) return;
  const size = Math.max(count + 1, scratch.starts.length * 2);
  const grown = { starts: new Int32Array(size), ends: new Int32Array(size) };
  grown.starts.set(scratch.starts);
  grown.ends.set(scratch.ends);
  scratch = grown;
}

/** Whether char code `c` is in [a-z0-9] (ASCII text, lower-cased). */
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * Tokenizes like the index. ASCII text (most news) takes a fast path: lower-cased once, scanned by char code, and a
 * token is cut out as a string only when its length and first letter could be those of a matched word or it starts
 * with a matched prefix.
 */
function tokens(text: string, terms: MatchTerms): Tokens {
  return ASCII.test(text) ? asciiTokens(text.toLowerCase(), terms) : unicodeTokens(text, terms);
}

function asciiTokens(source: string, { words, prefixes }: MatchTerms): Tokens {
  const lengths = new Set<number>();
  const firsts = new Set<number>();
  for (const w of words) {
    lengths.add(w.length);
    firsts.add(w.charCodeAt(0));
  }
  const matchAt: number[] = [];
  const matchWord: string[] = [];
  const n = source.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    if (!isWordChar(source.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isWordChar(source.charCodeAt(i))) i++;
    room(count);
    scratch.starts[count] = start;
    scratch.ends[count] = i;
    const length = i - start;
    let hit = lengths.has(length) && firsts.has(source.charCodeAt(start)) && words.has(source.slice(start, i));
    if (!hit) for (const p of prefixes) if (length >= p.length && source.startsWith(p, start)) hit = true;
    if (hit) {
      matchAt.push(count);
      matchWord.push(source.slice(start, i));
    }
    count++;
  }
  return { count, starts: scratch.starts, ends: scratch.ends, matchAt, matchWord };
}

function unicodeTokens(text: string, { words, prefixes }: MatchTerms): Tokens {
  const matchAt: number[] = [];
  const matchWord: string[] = [];
  let count = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const folded = foldText(m[0]);
    room(count);
    scratch.starts[count] = m.index;
    scratch.ends[count] = m.index + m[0].length;
    if (words.has(folded) || prefixes.some((p) => folded.startsWith(p))) {
      matchAt.push(count);
      matchWord.push(folded);
    }
    count++;
  }
  return { count, starts: scratch.starts, ends: scratch.ends, matchAt, matchWord };
}

/** `text[from, to)` with every matched token wrapped in {@link MARK_OPEN}/{@link MARK_CLOSE}. */
function mark(text: string, list: Tokens, from: number, to: number): string {
  let out = '';
  let at = from;
  for (const i of list.matchAt) {
    const start = list.starts[i]!;
    const end = list.ends[i]!;
    if (start < from || end > to) continue;
    out += text.slice(at, start) + MARK_OPEN + text.slice(start, end) + MARK_CLOSE;
    at = end;
  }
  return out + text.slice(at, to);
}

/** The whole text with matches marked (for titles). */
export function highlightText(text: string, terms: MatchTerms): string {
  return mark(text, tokens(text, terms), 0, text.length);
}

/**
 * A window of `words` words of `text` holding the most distinct matched words (the earliest such window), with
 * matches marked and `…` where the text was cut; the opening words when nothing matches.
 */
export function cropSnippet(text: string, terms: MatchTerms, words = SNIPPET_WORDS): string {
  const scanned = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
  const list = tokens(scanned, terms);
  const { count, matchAt, matchWord } = list;
  if (count === 0) return '';
  // The window of `words` tokens ending at each matched token (the score only rises there), matches in it counted
  // by word: the first with the most distinct words wins.
  let best = 0;
  let bestScore = 0;
  const counts = new Map<string, number>();
  let first = 0;
  for (let j = 0; j < matchAt.length; j++) {
    counts.set(matchWord[j]!, (counts.get(matchWord[j]!) ?? 0) + 1);
    const start = matchAt[j]! - words + 1;
    for (; matchAt[first]! < start; first++) {
      const left = counts.get(matchWord[first]!)! - 1;
      if (left === 0) counts.delete(matchWord[first]!);
      else counts.set(matchWord[first]!, left);
    }
    if (counts.size > bestScore) {
      bestScore = counts.size;
      best = Math.max(0, start);
    }
  }
  const last = Math.min(count, best + words) - 1;
  const from = best === 0 ? 0 : list.starts[best]!;
  const cutEnd = last < count - 1 || scanned.length < text.length;
  const to = cutEnd ? list.ends[last]! : text.length;
  return `${best > 0 ? '…' : ''}${mark(text, list, from, to).trim()}${cutEnd ? '…' : ''}`;
}
