import { ValidationError } from './errors.js';
import { tokenize } from './normalize.js';

/** Meilisearch reads only the first 10 words of a query; the embedded engine does the same so both behave alike. */
export const MAX_QUERY_WORDS = 10;
/**
 * Most exclusions (`-word`, `-"a phrase"`) a query may hold, and most words in one excluded phrase. Each one is a
 * pass over postings in every search and export page, so their number is bounded; a query beyond it is refused
 * rather than silently read in part (dropping an exclusion would widen the results).
 */
export const MAX_EXCLUSIONS = 10;

/** One query word; `prefix` marks the word being typed (the last one, when the query does not end with a space). */
export interface QueryWord {
  readonly kind: 'word';
  readonly text: string;
  readonly prefix: boolean;
}

/** Words that must appear together and in order, exactly (no typos, no prefix): `"foreign minister"`, or `U.S.`. */
export interface QueryPhrase {
  readonly kind: 'phrase';
  readonly words: readonly string[];
}

export type QueryTerm = QueryWord | QueryPhrase;

/**
 * A keyword query: the positive terms in the order typed (the order decides which are dropped first when results
 * are too few), and the terms no result may contain (`-word`, `-"a phrase"`).
 */
export interface ParsedQuery {
  readonly terms: readonly QueryTerm[];
  readonly exclusions: readonly QueryTerm[];
}

interface Chunk {
  readonly text: string;
  readonly quoted: boolean;
  readonly negated: boolean;
}

/** Splits raw text into whitespace-separated chunks and `"quoted"` chunks (an unclosed quote runs to the end). */
function chunks(raw: string): Chunk[] {
  const out: Chunk[] = [];
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    const negated = ch === '-' && i + 1 < raw.length && !/\s/u.test(raw[i + 1]!);
    const start = negated ? i + 1 : i;
    if (raw[start] === '"') {
      const end = raw.indexOf('"', start + 1);
      const stop = end === -1 ? raw.length : end;
      out.push({ text: raw.slice(start + 1, stop), quoted: true, negated });
      i = stop + 1;
      continue;
    }
    let stop = start;
    while (stop < raw.length && !/\s/u.test(raw[stop]!) && raw[stop] !== '"') stop++;
    out.push({ text: raw.slice(start, stop), quoted: false, negated });
    i = stop;
  }
  return out;
}

/**
 * The terms of one chunk. Quoted text is a phrase. An unquoted chunk that folds into several tokens is read as
 * separate words when some token has 2+ characters (`Japan's` → japan; `half-life` → half, life), so each keeps its
 * typo tolerance, and single-character tokens beside them (the `s` of a possessive) are dropped; a chunk made only
 * of single characters (`U.S.`) stays a phrase.
 */
function toTerms(tokens: string[], quoted: boolean): QueryTerm[] {
  if (quoted) return [{ kind: 'phrase', words: tokens }];
  const words = tokens.filter((t) => t.length > 1);
  if (tokens.length > 1 && words.length === 0) return [{ kind: 'phrase', words: tokens }];
  return (words.length === 0 ? tokens : words).map((text) => ({ kind: 'word', text, prefix: false }));
}

/** Refuses exclusions beyond {@link MAX_EXCLUSIONS}, or an excluded phrase of more words than that. */
function checkExclusions(exclusions: readonly QueryTerm[]): void {
  const refuse = (message: string) => {
    throw new ValidationError(`the query is not valid: ${message}`, [{ path: 'q', message }]);
  };
  if (exclusions.length > MAX_EXCLUSIONS) refuse(`at most ${MAX_EXCLUSIONS} exclusions (-word or -"a phrase") per query`);
  const last = exclusions.at(-1);
  if (last?.kind === 'phrase' && last.words.length > MAX_EXCLUSIONS) {
    refuse(`an excluded phrase may hold at most ${MAX_EXCLUSIONS} words`);
  }
}

/**
 * Parses what a reader typed. Words are folded like the index (see normalize.ts); see {@link toTerms} for chunks
 * that fold into several tokens. Only the first {@link MAX_QUERY_WORDS} positive words count; more than
 * {@link MAX_EXCLUSIONS} exclusions throw a {@link ValidationError} on `q`.
 */
export function parseQuery(raw: string): ParsedQuery {
  const terms: QueryTerm[] = [];
  const exclusions: QueryTerm[] = [];
  let words = 0;
  let full = false;
  let lastChunkWasPlainWord = false;
  for (const chunk of chunks(raw)) {
    const tokens = tokenize(chunk.text);
    lastChunkWasPlainWord = false;
    if (tokens.length === 0) continue;
    const chunkTerms = toTerms(tokens, chunk.quoted);
    if (chunk.negated) {
      exclusions.push(...chunkTerms);
      checkExclusions(exclusions);
      continue;
    }
    const size = chunkTerms.reduce((n, t) => n + (t.kind === 'word' ? 1 : t.words.length), 0);
    if (full || words + size > MAX_QUERY_WORDS) {
      full = true; // later words are ignored, later exclusions still count
      continue;
    }
    words += size;
    terms.push(...chunkTerms);
    lastChunkWasPlainWord = chunkTerms.at(-1)?.kind === 'word';
  }
  const endsTyping = lastChunkWasPlainWord && !/\s$/u.test(raw);
  const last = terms.at(-1);
  if (endsTyping && last?.kind === 'word') terms[terms.length - 1] = { ...last, prefix: true };
  return { terms, exclusions };
}
