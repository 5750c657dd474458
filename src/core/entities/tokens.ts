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
      if (!/^\p{L}/u.test(raw)) {
        const ends = raw === '.' || raw === '!' || raw === '?' || raw === ':' || raw === '"' || raw === '“';
        out.push({ text: raw, capital: false, isBreak: true, sentenceStart: false, index: out.length });
        if (ends) sentenceStart = true;
        continue;
      }
      const dotted = raw.endsWith('.') && !/^(?:\p{Lu}\.){2,}$/u.test(raw);
      const bare = dotted ? raw.slice(0, -1) : raw;
      const word = bare.replace(/['’]s$/u, '');
      const possessive = word !== bare || /^\p{Lu}\p{L}*s$/u.test(word) && /^['’]/u.test(line.slice(match.index + raw.length));
      for (const part of splitCompound(word, isKnown)) {
        const capital = /^\p{Lu}/u.test(part);
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

/** "China-Russia" → ["China", "Russia"] (both parts known names); "Leigh-Pemberton" and "high-level" stay whole. */
function splitCompound(word: string, isKnown: (word: string) => boolean): string[] {
  if (!word.includes('-') || isKnown(word)) return [word];
  const parts = word.split('-');
  return parts.every(isKnown) ? parts : [word];
}
