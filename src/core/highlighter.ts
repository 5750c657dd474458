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

/** Token boundaries and the matched folded word of each token (undefined: no match), as parallel arrays. */
interface Tokens {
  readonly starts: number[];
  readonly ends: number[];
  readonly matches: (string | undefined)[];
}

const ASCII_TOKEN = /[a-z0-9]+/g;

/** Tokenizes like the index; ASCII text (most news) takes a fast path: lower-cased once, no per-word folding. */
function tokens(text: string, terms: MatchTerms): Tokens {
  const out: Tokens = { starts: [], ends: [], matches: [] };
  const ascii = ASCII.test(text);
  const pattern = ascii ? ASCII_TOKEN : TOKEN;
  const source = ascii ? text.toLowerCase() : text;
  const { words, prefixes } = terms;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(source); m !== null; m = pattern.exec(source)) {
    const folded = ascii ? m[0] : foldText(m[0]);
    const hit = words.has(folded) || (prefixes.length > 0 && prefixes.some((p) => folded.startsWith(p)));
    out.starts.push(m.index);
    out.ends.push(m.index + m[0].length);
    out.matches.push(hit ? folded : undefined);
  }
  return out;
}

/** `text[from, to)` with every matched token wrapped in {@link MARK_OPEN}/{@link MARK_CLOSE}. */
function mark(text: string, list: Tokens, from: number, to: number): string {
  let out = '';
  let at = from;
  for (let i = 0; i < list.starts.length; i++) {
    const start = list.starts[i]!;
    const end = list.ends[i]!;
    if (list.matches[i] === undefined || start < from || end > to) continue;
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
  const count = list.starts.length;
  if (count === 0) return '';
  let best = 0;
  let bestScore = 0;
  const counts = new Map<string, number>();
  for (let end = 0; end < count; end++) {
    const added = list.matches[end];
    if (added !== undefined) counts.set(added, (counts.get(added) ?? 0) + 1);
    const start = end - words + 1;
    if (start > 0) {
      const removed = list.matches[start - 1];
      if (removed !== undefined) {
        const left = counts.get(removed)! - 1;
        if (left === 0) counts.delete(removed);
        else counts.set(removed, left);
      }
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
