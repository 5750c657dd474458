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

interface Token {
  readonly start: number;
  readonly end: number;
  /** The matched folded word, or undefined. */
  readonly match: string | undefined;
}

function tokens(text: string, terms: MatchTerms): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const folded = ASCII.test(m[0]) ? m[0].toLowerCase() : foldText(m[0]);
    const hit = terms.words.has(folded) || terms.prefixes.some((p) => folded.startsWith(p));
    out.push({ start: m.index, end: m.index + m[0].length, match: hit ? folded : undefined });
  }
  return out;
}

/** `text[from, to)` with every matched token wrapped in {@link MARK_OPEN}/{@link MARK_CLOSE}. */
function mark(text: string, list: readonly Token[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const t of list) {
    if (t.match === undefined || t.start < from || t.end > to) continue;
    out += text.slice(at, t.start) + MARK_OPEN + text.slice(t.start, t.end) + MARK_CLOSE;
    at = t.end;
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
  if (list.length === 0) return '';
  let best = 0;
  let bestScore = 0;
  const counts = new Map<string, number>();
  for (let end = 0; end < list.length; end++) {
    const added = list[end]!.match;
    if (added !== undefined) counts.set(added, (counts.get(added) ?? 0) + 1);
    const start = end - words + 1;
    if (start > 0) {
      const removed = list[start - 1]!.match;
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
  const last = Math.min(list.length, best + words) - 1;
  const from = best === 0 ? 0 : list[best]!.start;
  const cutEnd = last < list.length - 1 || scanned.length < text.length;
  const to = cutEnd ? list[last]!.end : text.length;
  return `${best > 0 ? '…' : ''}${mark(text, list, from, to).trim()}${cutEnd ? '…' : ''}`;
}
