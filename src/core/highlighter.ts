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

/** Longest token length told apart by {@link WordShapes}; longer tokens share its slot. */
const LONG = 63;

/**
 * What a token must look like to be a matched word or hold a matched prefix, as tables by ASCII char code and by
 * length: made once per {@link MatchTerms} (a page highlights 40 texts), so that most tokens are passed over on
 * their first letter, and the others compared in place: a token is cut out as a string only when it matches.
 */
interface WordShapes {
  /** 1 at each length (capped at {@link LONG}) of a matched word. */
  readonly lengths: Uint8Array;
  /** 1 at each ASCII first char code of a matched word or prefix (an empty prefix: at every code). */
  readonly firsts: Uint8Array;
  /** The matched words by ASCII first char code (null: none); words starting otherwise never match ASCII text. */
  readonly byFirst: readonly (readonly string[] | null)[];
  /** 1 at each ASCII first char code of a prefix (an empty prefix: at every code). */
  readonly prefixFirsts: Uint8Array;
}

const shapesOf = new WeakMap<MatchTerms, WordShapes>();

function shapes(terms: MatchTerms): WordShapes {
  let found = shapesOf.get(terms);
  if (!found) {
    const byFirst = Array.from({ length: 128 }, (): string[] | null => null); // packed: read for many tokens
    found = { lengths: new Uint8Array(LONG + 1), firsts: new Uint8Array(128), byFirst, prefixFirsts: new Uint8Array(128) };
    for (const w of terms.words) {
      found.lengths[Math.min(w.length, LONG)] = 1;
      const c = w.charCodeAt(0);
      if (c < 128) {
        (byFirst[c] ??= []).push(w);
        found.firsts[c] = 1;
      }
    }
    for (const p of terms.prefixes) {
      if (p.length === 0) {
        found.prefixFirsts.fill(1);
        found.firsts.fill(1);
      }
      const c = p.charCodeAt(0);
      if (c < 128) {
        found.prefixFirsts[c] = 1;
        found.firsts[c] = 1;
      }
    }
    shapesOf.set(terms, found);
  }
  return found;
}

/** Char classes by char code: other ASCII (0), [a-z0-9], [A-Z] (to lower-case), and anything beyond ASCII. */
const LOWER = 1;
const UPPER = 2;
const NOT_ASCII = 3;
const CHAR_CLASS = new Uint8Array(65_536).fill(NOT_ASCII, 128);
for (let c = 0; c < 128; c++) CHAR_CLASS[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) ? LOWER : c >= 65 && c <= 90 ? UPPER : 0;

/** Whether `text` holds the folded (lower-case ASCII) `word` at `start`, from the word's `from`th char, case ignored. */
function holdsFolded(text: string, word: string, start: number, from: number): boolean {
  for (let j = from; j < word.length; j++) {
    const c = text.charCodeAt(start + j);
    if ((CHAR_CLASS[c] === UPPER ? c + 32 : c) !== word.charCodeAt(j)) return false;
  }
  return true;
}

/**
 * Tokenizes like the index. ASCII text (most news) takes a fast path: scanned once by char code, case folded as it
 * is read. Text holding any other character takes the Unicode path, whole.
 */
function tokens(text: string, terms: MatchTerms): Tokens {
  return asciiTokens(text, terms) ?? unicodeTokens(text, terms);
}

/** The folded word the ASCII token `text[start, end)` matches, or undefined; `first` is its lower-cased first char. */
function matchedWord(text: string, start: number, end: number, first: number, terms: MatchTerms, shape: WordShapes): string | undefined {
  const length = end - start;
  const candidates = shape.lengths[Math.min(length, LONG)] === 1 ? shape.byFirst[first] : null;
  if (candidates) {
    for (const w of candidates) if (w.length === length && holdsFolded(text, w, start, 1)) return w;
  }
  if (shape.prefixFirsts[first] === 1) {
    for (const p of terms.prefixes) if (length >= p.length && holdsFolded(text, p, start, 0)) return text.slice(start, end).toLowerCase();
  }
  return undefined;
}

/** The fast path of {@link tokens}; undefined as soon as a character outside ASCII is met. */
function asciiTokens(text: string, terms: MatchTerms): Tokens | undefined {
  const shape = shapes(terms);
  const { firsts } = shape;
  const matchAt: number[] = [];
  const matchWord: string[] = [];
  const n = text.length;
  if (n >= scratch.starts.length) room(n); // fewer tokens than chars: no check per token
  const { starts, ends } = scratch;
  let count = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const kind = CHAR_CLASS[c]!;
    if (kind === 0) {
      i++;
      continue;
    }
    if (kind === NOT_ASCII) return undefined;
    const start = i;
    for (i++; i < n; i++) {
      const d = CHAR_CLASS[text.charCodeAt(i)]!;
      if (d === 0) break;
      if (d === NOT_ASCII) return undefined;
    }
    starts[count] = start;
    ends[count] = i;
    const first = kind === UPPER ? c + 32 : c;
    if (firsts[first] === 1) {
      const word = matchedWord(text, start, i, first, terms, shape);
      if (word !== undefined) {
        matchAt.push(count);
        matchWord.push(word);
      }
    }
    count++;
  }
  return { count, starts, ends, matchAt, matchWord };
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
