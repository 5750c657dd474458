import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as naturalStopWords } from 'natural/lib/natural/util/stopwords.js';
import { foldText } from '../normalize.js';

/**
 * Text analysis for TF-IDF similarity (keyword search has its own, see normalize.ts), the same for indexing and
 * querying:
 * 1. NFKC, case and diacritics folded (`Erdoğan` → erdogan);
 * 2. tokens are runs of letters and digits; dotted initials join (`U.S.` → us, `U.K.` → uk) and a possessive
 *    `'s` is dropped (`Russia's` → russia), where natural's WordTokenizer would split them;
 * 3. English stop words (natural's list plus common newswire function words) and tokens under 2 letters go;
 * 4. numbers stay (2+ characters): in newswire they mark the kind of story (earnings tables, quotas, years);
 * 5. tokens longer than {@link MAX_TERM_CHARS} are skipped (no word of any language is that long: they are
 *    identifiers, encodings or garbage, and natural's Porter stemmer is quadratic in a word's length — a
 *    100,000-letter word took a minute);
 * 6. Porter stemming (natural), cached per word.
 */
const EXTRA_STOP_WORDS = [
  'said', 'says', 'say', 'also', 'would', 'could', 'will', 'may', 'might', 'must', 'shall', 'one', 'two', 'new',
  'mr', 'mrs', 'ms', 'dr',
  'us', 'it', 'its', 'i', 'we', 'they', 'he', 'she', 'been', 'being', 'has', 'had', 'have', 'was', 'were', 'is', 'are',
];
const STOP = new Set([...naturalStopWords, ...EXTRA_STOP_WORDS].map((w) => w.toLowerCase()));
/** Words kept although they look like stop words: "us" is usually the country in news once dots are gone. */
const KEEP = new Set(['us']);

const TOKEN = /(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
/** The longest token the analyzer keeps, in UTF-16 code units; longer ones are skipped before stemming. */
export const MAX_TERM_CHARS = 64;
const STEM_CACHE_LIMIT = 200_000;
const stems = new Map<string, string>();

function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** The analyzed terms of a text, in order, each with the folded word it came from (`["minist", "ministers"]`). */
export function analyzeWords(text: string): [stem: string, word: string][] {
  const folded = foldText(text.normalize('NFKC'));
  const out: [string, string][] = [];
  for (const match of folded.matchAll(TOKEN)) {
    let token = match[0];
    if (token.length > MAX_TERM_CHARS) continue;
    if (token.includes('.')) token = token.replaceAll('.', '');
    else if (/['’]/.test(token)) token = token.replace(/['’]s$/, '').replace(/['’]/g, '');
    if (token.length < 2 || (STOP.has(token) && !KEEP.has(token))) continue;
    out.push([stem(token), token]);
  }
  return out;
}

/** The analyzed terms of a text, in order (stems; stop words and single characters removed). */
export function analyze(text: string): string[] {
  return analyzeWords(text).map(([s]) => s);
}

/** How much more a title term counts than a body term, by default. */
export const DEFAULT_TITLE_WEIGHT = 2;

/** A term's count in one text and the first word it was seen as (for explanations). */
export interface TermCount {
  readonly count: number;
  readonly word: string;
}

/**
 * Term counts accumulated text by text, in first-seen order: adding a text in pieces cut by {@link textPieces} gives
 * the same counts and first words as adding it whole.
 */
export class TermCounter {
  readonly counts = new Map<string, TermCount>();

  /** Counts each term of `text` `weight` times. */
  add(text: string, weight: number): void {
    for (const [term, word] of analyzeWords(text)) {
      const seen = this.counts.get(term);
      this.counts.set(term, { count: (seen?.count ?? 0) + weight, word: seen?.word ?? word });
    }
  }
}

/**
 * Term counts of an article: each body occurrence counts 1, each title occurrence `titleWeight` (default 2), so
 * that what the headline is about weighs more. Keys in first-seen order.
 */
export function termCounts(title: string, body: string, titleWeight = DEFAULT_TITLE_WEIGHT): Map<string, TermCount> {
  const counter = new TermCounter();
  counter.add(title, titleWeight);
  counter.add(body, 1);
  return counter.counts;
}

const WHITESPACE = /\s/u;

/**
 * `text` cut into pieces of at least `size` UTF-16 code units (the last may be shorter), each cut just after a
 * whitespace character, so that analysing the pieces one after the other finds the same terms as analysing the
 * whole: no token holds whitespace, and folding (NFKC, NFKD, marks, case) never joins a character to whitespace.
 * A run without whitespace is never cut (a piece then runs to the next whitespace).
 */
export function textPieces(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > size) {
    let cut = start + size;
    while (cut < text.length && !WHITESPACE.test(text[cut - 1]!)) cut++;
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  if (start < text.length || pieces.length === 0) pieces.push(text.slice(start));
  return pieces;
}
