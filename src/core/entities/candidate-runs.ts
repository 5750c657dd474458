import { NAME_PARTICLES, ORG_CONNECTORS } from './lexicon.js';
import type { Token } from './tokens.js';

/**
 * The candidates for names: runs of capitalised words with the lower-case particles and connectors between them
 * ("Bank of Tokyo", "Richard von Weizsaecker"). A run ends at a break, at a sentence start and after a possessive
 * ("Reagan's Treasury"), unless a known name goes on across it (`possessiveJoins`: "People's Bank of China").
 */
export function candidateRuns(tokens: readonly Token[], possessiveJoins: ReadonlySet<string>): Token[][] {
  const out: Token[][] = [];
  let run: Token[] = [];
  const joins = (t: Token) => !t.isBreak && (NAME_PARTICLES.has(t.text) || ORG_CONNECTORS.has(t.text));
  const endsAt = (last: Token | undefined, t: Token) => last?.possessive === true && !possessiveJoins.has(`${last.text} ${t.text}`);
  tokens.forEach((t, i) => {
    if (!t.isBreak && t.capital) {
      if ((t.sentenceStart || endsAt(run.at(-1), t)) && run.length > 0) {
        out.push(run);
        run = [];
      }
      run.push(t);
    } else if (run.length > 0 && joins(t) && capitalAfterJoins(tokens, i, joins)) {
      run.push(t);
    } else if (run.length > 0) {
      out.push(run);
      run = [];
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
