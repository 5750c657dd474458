/** A word or a break of the text the entity extractor reads, with what it needs to know about its case. */
export interface Token {
  /** The word without a trailing period or possessive `'s`; for a break, the punctuation. */
  readonly text: string;
  /** Starts with a capital letter (or is an initial such as "J."). */
  readonly capital: boolean;
  /** Punctuation, a paragraph end, or a word on a line written in capitals: runs of names stop here. */
  readonly isBreak: boolean;
  /** The first word of a sentence, where a capital says nothing. */
  readonly sentenceStart: boolean;
  /** Index of the token in the text, the mention's position for salience. */
  readonly index: number;
  /** Written with a possessive ("Halvorsen's", "Semiconductors'"): a name ends here. */
  readonly possessive?: boolean;
}

/** Abbreviations whose period does not end a sentence. */
const ABBREVIATIONS = new Set([
  'Mr', 'Mrs', 'Ms', 'Dr', 'Sen', 'Rep', 'Gen', 'Col', 'Lt', 'Capt', 'Adm', 'Prof', 'St', 'Jr', 'Sr', 'Inc', 'Corp',
  'Co', 'Ltd', 'No', 'Gov', 'Ft', 'Mt', 'Messrs', 'Sgt', 'Maj', 'Rev', 'vs', 'U.S', 'U.K', 'U.N', 'E.U',
]);
const PIECE = /(?:\p{Lu}\.){2,}|\p{L}[\p{L}\p{M}\p{Nd}]*(?:['’-][\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}]*)*\.?|\d[\d,.]*|[.!?;:,()[\]"“”«»—–<>]|\n\s*\n/gu;
const UPPER_LINE = /^[^\p{Ll}]*$/u;

/**
 * Splits text into tokens: words (hyphenated compounds of capitalised words such as "China-Russia" split in two),
 * numbers and breaks. Lines written wholly in capitals (wire headlines, tables) carry no case signal: their words
 * are breaks, so no name is read from them.
 */
export function tokenizeForEntities(text: string, isKnown: (word: string) => boolean = () => false): Token[] {
  const out: Token[] = [];
  let sentenceStart = true;
  for (const line of text.split('\n')) {
    const upperLine = /\p{Lu}{2,}/u.test(line) && UPPER_LINE.test(line) && line.trim().split(/\s+/).length >= 3;
    for (const match of line.matchAll(PIECE)) {
      const raw = match[0];
      if (!startsWithLetter(raw)) {
        const ends = raw === '.' || raw === '!' || raw === '?' || raw === ':' || raw === '"' || raw === '“';
        out.push({ text: raw, capital: false, isBreak: true, sentenceStart: false, index: out.length });
        if (ends) sentenceStart = true;
        continue;
      }
      const dotted = raw.endsWith('.') && !/^(?:\p{Lu}\.){2,}$/u.test(raw);
      const bare = dotted ? raw.slice(0, -1) : raw;
      const word = withoutPossessiveS(bare);
      const after = line.charCodeAt(match.index + raw.length);
      const possessive = word !== bare || ((after === APOSTROPHE || after === RIGHT_QUOTE) && /^\p{Lu}\p{L}*s$/u.test(word));
      for (const part of splitCompound(word, isKnown)) {
        const capital = startsWithCapital(part);
        out.push({ text: part, capital, isBreak: upperLine, sentenceStart, index: out.length, ...(possessive ? { possessive } : {}) });
        sentenceStart = false;
      }
      if (dotted && !ABBREVIATIONS.has(word) && !/^\p{Lu}$/u.test(word)) sentenceStart = true;
    }
    if (line.trim() === '') sentenceStart = true;
    out.push({ text: '\n', capital: false, isBreak: true, sentenceStart: false, index: out.length });
  }
  return out;
}

const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;
/** First characters of the pieces of {@link PIECE} that are not words: digits, its punctuation, a paragraph's end. */
const NOT_WORD_START = new Set([...'0123456789.!?;:,()[]"“”«»—–<>\n'].map((c) => c.charCodeAt(0)));

/** Whether a piece of {@link PIECE} is a word (starts with a letter): every other piece starts with a digit, its punctuation or a line end. */
function startsWithLetter(piece: string): boolean {
  return !NOT_WORD_START.has(piece.charCodeAt(0));
}

/** Whether a word starts with a capital letter: A–Z and a–z by char code, anything else by its Unicode category. */
function startsWithCapital(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c >= 0x41 && c <= 0x5a) return true;
  if (c >= 0x61 && c <= 0x7a) return false;
  return /^\p{Lu}/u.test(word);
}

/** The word without a possessive 's or ’s at its end. */
function withoutPossessiveS(word: string): string {
  const n = word.length;
  if (n < 2 || word.charCodeAt(n - 1) !== 0x73) return word;
  const quote = word.charCodeAt(n - 2);
  return quote === APOSTROPHE || quote === RIGHT_QUOTE ? word.slice(0, -2) : word;
}

/** "China-Russia" → ["China", "Russia"] (both parts known names); "Leigh-Pemberton" and "high-level" stay whole. */
function splitCompound(word: string, isKnown: (word: string) => boolean): string[] {
  if (!word.includes('-') || isKnown(word)) return [word];
  const parts = word.split('-');
  return parts.every(isKnown) ? parts : [word];
}
