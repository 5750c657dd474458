import type { Gazetteer } from './gazetteer.js';
import { CORPORATE_SUFFIXES, HEAD_TITLES, NOT_NAMES, ORG_SUFFIXES, PREPOSITIONS, REPORTING_VERBS, ROLE_NOUNS } from './lexicon.js';
import { longestKnown } from './phrase-shapes.js';
import { isTitle } from './title-words.js';
import type { Token } from './tokens.js';

/**
 * The cue rules of segmentation: what the words around a candidate run (candidate-runs.ts) say about the name it
 * starts with. Each rule reads one run and its tokens and is tested alone (test/core/entities/segment-rules.test.ts).
 */
export interface RunCues {
  /** Index in the run of the first word that may start a name (the words before are sentence openers). */
  readonly start: number;
  /** A reporting verb follows the run ("Lavrov said"). */
  readonly spoken: boolean;
  /** A role noun stands before the name ("inside trader Ivan Boesky"), or opens the sentence as one ("Investor …"). */
  readonly role: boolean;
  /** A title with a lower-case head before the run ("Energy minister Subroto"): see {@link lowerCaseTitle}. */
  readonly title: string | undefined;
  /** An article stands right before the name ("the Texas Democrat"). */
  readonly determined: boolean;
}

/** Reads every cue of a run (the rules below), in the order segment() needs them. */
export function runCues(tokens: readonly Token[], run: readonly Token[], known: (i: number) => boolean): RunCues {
  let start = openingWords(run, known);
  const roleOpens = start === 0 && roleOpensSentence(run);
  if (roleOpens) start = 1;
  const before = tokens[run[0]!.index - 1];
  const plainStart = start === 0 && !run[0]!.sentenceStart;
  return {
    start,
    spoken: spokenAfter(tokens, run),
    role: roleOpens || (start === 0 && roleBefore(tokens, run)),
    title: plainStart ? lowerCaseTitle(tokens, before) : undefined,
    determined: determinerBefore(start === 0 ? before : run[start - 1]),
  };
}

/** `longestKnown` bound to one run, for {@link runCues}. */
export function knownInRun(run: readonly Token[], gazetteer: Gazetteer, localOrgs: ReadonlyMap<string, string>) {
  return (i: number): boolean => longestKnown(run, i, gazetteer, localOrgs) !== undefined;
}

/**
 * Sentence openers and lower-case words at the start of a run are no part of a name ("Neither Jose Sarney",
 * "Unlike Paul Volcker"); a title or a known name ends them, and so does "First" in a company's legal name ("First
 * Boston Corp"). Returns how many words to skip.
 */
export function openingWords(run: readonly Token[], known: (i: number) => boolean): number {
  const legalName = CORPORATE_SUFFIXES.has(run.at(-1)!.text);
  let i = 0;
  while (
    i < run.length &&
    (NOT_NAMES.has(run[i]!.text) || !run[i]!.capital) &&
    !(legalName && run[i]!.text === 'First' && i + 2 < run.length) &&
    !isTitle(run[i]!.text) &&
    !known(i)
  ) {
    i++;
  }
  return i;
}

/**
 * "Investor Paul Bilzerian said": a role noun capitalised only because it opens the sentence is no part of the
 * name; not in an organisation's name ("Champion International Corp").
 */
export function roleOpensSentence(run: readonly Token[]): boolean {
  return run.length > 1 && run[0]!.sentenceStart && !isTitle(run[0]!.text) &&
    ROLE_NOUNS.has(run[0]!.text.toLowerCase()) && !ORG_SUFFIXES.has(run.at(-1)!.text);
}

/** "Lavrov said", "Destrand told": a reporting verb right after the run, unless a preposition stands before it. */
export function spokenAfter(tokens: readonly Token[], run: readonly Token[]): boolean {
  const next = tokens[run.at(-1)!.index + 1];
  const before = tokens[run[0]!.index - 1];
  return next !== undefined && REPORTING_VERBS.has(next.text) && !(before !== undefined && PREPOSITIONS.has(before.text));
}

/**
 * "inside trader Ivan Boesky": a lower-case role noun right before the run, not at a sentence start, and not the
 * manager of a bond issue ("lead manager Drexel Burnham" is a bank).
 */
export function roleBefore(tokens: readonly Token[], run: readonly Token[]): boolean {
  const before = tokens[run[0]!.index - 1];
  return before !== undefined && ROLE_NOUNS.has(before.text) && !run[0]!.sentenceStart && !underwriter(tokens, before);
}

const UNDERWRITING: ReadonlySet<string> = new Set(['lead', 'sole', 'joint', 'co-lead', 'senior']);
/** "lead manager Drexel Burnham", "sole manager L.F. Rothschild": the manager of a bond issue is a bank. */
export function underwriter(tokens: readonly Token[], role: Token): boolean {
  return role.text === 'manager' && UNDERWRITING.has(tokens[role.index - 1]?.text.toLowerCase() ?? '');
}

/**
 * "Energy minister Subroto", "Guinness chairman Saunders": a head title written in lower case after a capitalised
 * word (a portfolio, a country, a company) is a title, as "Energy Minister" would be; undefined otherwise, and for
 * the manager of a bond issue ({@link underwriter}).
 */
export function lowerCaseTitle(tokens: readonly Token[], head: Token | undefined): string | undefined {
  if (head === undefined || head.isBreak || head.capital) return undefined;
  const word = `${head.text.charAt(0).toUpperCase()}${head.text.slice(1)}`;
  const qualifier = tokens[head.index - 1];
  if (!HEAD_TITLES.has(word) || !ROLE_NOUNS.has(head.text) || qualifier === undefined || qualifier.isBreak || !qualifier.capital) return undefined;
  if (underwriter(tokens, head)) return undefined; // "Sole manager L.F. Rothschild" is a bank
  return `${qualifier.text} ${word}`;
}

const DETERMINERS: ReadonlySet<string> = new Set(['the', 'a', 'an']);
/** "the Texas Democrat said", "a Caesars World board member": a name does not take an article. */
export function determinerBefore(token: Token | undefined): boolean {
  return token !== undefined && DETERMINERS.has(token.text.toLowerCase());
}
