import { CORPORATE_SUFFIXES, NAME_PARTICLES, ORG_CONNECTORS } from './lexicon.js';
import type { Token } from './tokens.js';

/**
 * The candidates for names: runs of capitalised words with the lower-case particles and connectors between them
 * ("Bank of Tokyo", "Richard von Weizsaecker"). A run ends at a break, at a sentence start and after a possessive
 * ("Reagan's Treasury"), unless a known name goes on across it (`possessiveJoins`: "People's Bank of China"); the
 * comma of a partnership's name is stepped over ({@link commaInCompanyName}).
 */
export function candidateRuns(tokens: readonly Token[], possessiveJoins: ReadonlySet<string>): Token[][] {
  const out: Token[][] = [];
  let run: Token[] = [];
  let partnership = false;
  const joins = (t: Token) => !t.isBreak && (NAME_PARTICLES.has(t.text) || ORG_CONNECTORS.has(t.text));
  const endsAt = (last: Token | undefined, t: Token) => last?.possessive === true && !possessiveJoins.has(`${last.text} ${t.text}`);
  tokens.forEach((t, i) => {
    if (!t.isBreak && t.capital) {
      if ((t.sentenceStart || endsAt(run.at(-1), t)) && run.length > 0) {
        out.push(run);
        run = [];
        partnership = false;
      }
      run.push(t);
    } else if (run.length > 0 && run.length <= 6 && commaInCompanyName(tokens, i, partnership)) {
      partnership = true; // the comma is left out: "Goldman, Sachs and Co" reads as "Goldman Sachs and Co"
    } else if (run.length > 0 && joins(t) && capitalAfterJoins(tokens, i, joins)) {
      run.push(t);
    } else if (run.length > 0) {
      out.push(run);
      run = [];
      partnership = false;
    }
  });
  if (run.length > 0) out.push(run);
  return out;
}

/** Whether the joiners from `i` ("of the", at most three) lead to a capitalised word. */
function capitalAfterJoins(tokens: readonly Token[], i: number, joins: (t: Token) => boolean): boolean {
  let k = i;
  while (k < tokens.length && joins(tokens[k]!) && k - i < 3) k++;
  const next = tokens[k];
  return next !== undefined && next.capital && !next.isBreak;
}

/**
 * "Goldman, Sachs and Co", "Baker, Fentress and Co", "L.F. Rothschild, Unterberg, Towbin Inc": a comma followed by
 * capitalised words joined by another comma or an "and", up to a corporate suffix (eight tokens at most), is part of
 * a partnership's name, not the end of a name ("Baker" alone would be read as a person's surname).
 */
export function commaInCompanyName(tokens: readonly Token[], i: number, inPartnership = false): boolean {
  if (tokens[i]?.text !== ',') return false;
  let words = 0;
  let joined = inPartnership; // the second comma of "Rothschild, Unterberg, Towbin Inc" follows a first
  for (let k = i + 1; k < tokens.length && k <= i + 8; k++) {
    const t = tokens[k]!;
    if (t.text === ',' || t.text === 'and') {
      if (words === 0) return false;
      joined = true;
      continue;
    }
    if (t.isBreak || !t.capital) return false;
    // "Robert Miller Jr, Chrysler Corp vice chairman": one company after a comma is an apposition, not a partner
    if (CORPORATE_SUFFIXES.has(t.text)) return joined && words > 0 && tokens[k - 1]!.text !== ',';
    words++;
  }
  return false;
}
