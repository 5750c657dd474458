import type { EntityKind, Gazetteer } from './gazetteer.js';
import {
  CORPORATE_SUFFIXES, HEAD_TITLES, NAME_PARTICLES, NOT_NAMES, ORG_ADJECTIVES, ORG_CONNECTORS, ORG_SUFFIXES,
} from './lexicon.js';
import { isTitle, misspelledTitle } from './title-words.js';
import type { Token } from './tokens.js';

/**
 * The shapes of the phrases the segmentation rules read (segment-rules.ts): where a name ends, whether words form an
 * organisation's name, a title, a known name, and the canonical form of each.
 */

const strip = (word: string) => word.replace(/\.$/, '');
/** "Ministers" → "Minister", "Secretaries" → "Secretary" (titles written for two people). */
const singular = (word: string) => (word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.replace(/s$/, ''));

/** A word of a title phrase ("Foreign", "Minister"), a plural head title ("Ministers") included. */
export const isTitleWord = (word: string): boolean =>
  isTitle(strip(word)) || (word.endsWith('s') && HEAD_TITLES.has(singular(word)));

/** A head title ("Secretary"; "Secertary" read through its typo): a title phrase without one names no one. */
export const isHeadTitle = (word: string): boolean =>
  HEAD_TITLES.has(singular(strip(word))) || misspelledTitle(strip(word)) !== undefined;

/** A word that may be part of a person's name: capitalised, no title, organisation word, known name or acronym. */
export const isNameWord = (t: Token, gazetteer: Gazetteer): boolean =>
  t.capital &&
  !NOT_NAMES.has(t.text) &&
  !ORG_SUFFIXES.has(t.text) &&
  !isTitle(t.text) &&
  !gazetteer.places.has(t.text) &&
  !gazetteer.orgs.has(t.text) &&
  !/^\p{Lu}{2,}$/u.test(t.text) &&
  (t.text.length > 1 || /^\p{Lu}$/u.test(t.text));

/** A known organisation or place found at a position of a run (see {@link longestKnown}). */
export interface KnownMatch {
  readonly kind: Exclude<EntityKind, 'people'>;
  readonly name: string;
  /** In words. */
  readonly length: number;
}

/** The longest organisation or place (gazetteer, or an acronym the article defined) starting at run[i]. */
export function longestKnown(
  run: readonly Token[],
  i: number,
  gazetteer: Gazetteer,
  localOrgs: ReadonlyMap<string, string>,
): KnownMatch | undefined {
  for (let n = Math.min(gazetteer.maxWords, run.length - i); n >= 1; n--) {
    if (!run[i + n - 1]!.capital) continue;
    const surface = run.slice(i, i + n).map((t) => t.text).join(' ');
    const org = localOrgs.get(surface) ?? gazetteer.orgs.get(surface);
    if (org !== undefined) return { kind: 'orgs', name: org, length: n };
    const place = gazetteer.places.get(surface);
    if (place !== undefined) return { kind: 'places', name: place, length: n };
  }
  return undefined;
}

/** "Standard Oil Co", "Bank of Tokyo Ltd": the rest of the run ends with an organisation word and holds no head title. */
export function isOrgPhrase(run: readonly Token[], i: number, knownAt: (k: number) => boolean): boolean {
  const rest = run.slice(i);
  const ofForm = rest.length >= 3 && ORG_SUFFIXES.has(rest[0]!.text) && rest[1]!.text === 'of'; // "University of Port Aldric"
  if (rest.length < 2 || rest.length > 7 || !(ofForm || ORG_SUFFIXES.has(rest.at(-1)!.text))) return false;
  if (rest.some((t) => t.text === 'the' || t.text === 'and')) return false;
  const isTitle = (t: Token) => HEAD_TITLES.has(strip(t.text)) && !ORG_ADJECTIVES.has(t.text);
  const of = rest.findIndex((t) => t.text === 'of');
  if (of > 0 && rest.slice(0, of).some(isTitle)) return false; // "Chairman John Smith of Texas Air Corp"
  // a company's legal name may hold places and title-like words: "Credit Suisse First Boston Ltd", "General Dynamics Corp"
  if (CORPORATE_SUFFIXES.has(rest.at(-1)!.text)) return true;
  if (rest.some(isTitle)) return false;
  return rest.every((_, k) => k === 0 || !knownAt(i + k));
}

/** "Standard Oil Co" → "Standard Oil"; connectors kept ("Bank of Tokyo"). */
export function orgName(words: readonly Token[]): string {
  const texts = words.map((w) => w.text);
  if (texts.length > 2 && CORPORATE_SUFFIXES.has(texts.at(-1)!)) texts.pop();
  while (texts.length > 1 && ORG_CONNECTORS.has(texts.at(-1)!)) texts.pop();
  return texts.join(' ');
}

/** "Chancellor of the Exchequer": connectors inside a title, when a title word follows them. */
export function titleJoin(run: readonly Token[], j: number): boolean {
  let k = j;
  while (k < run.length && !run[k]!.capital && ORG_CONNECTORS.has(run[k]!.text)) k++;
  return k > j && k < run.length && isTitle(run[k]!.text);
}

/** Where the name from `start` ends (exclusive): name words, with particles kept only between them; six words at most. */
export function nameEnd(run: readonly Token[], start: number, gazetteer: Gazetteer): number {
  let end = start;
  let k = start;
  while (k < run.length && end - start < 6) {
    const t = run[k]!;
    if (isNameWord(t, gazetteer)) end = ++k;
    else if (!t.capital && NAME_PARTICLES.has(t.text) && k > start) k++;
    else break;
  }
  return end;
}

/** "Jr", "Sr": a generation written after a surname. */
const GENERATIONS: ReadonlySet<string> = new Set(['Jr', 'Sr', 'Jnr', 'Snr']);

/**
 * A name's words as its canonical form writes them: middle initials dropped ("Ivan F. Boesky" → "Ivan Boesky"),
 * particles after the first word in lower case ("Richard Von Weizsaecker" → "Richard von Weizsaecker"), a generation
 * after the surname dropped ("Robert Miller Jr" → "Robert Miller", so that a later "Miller" is he).
 */
export function canonicalWords(words: readonly string[]): string[] {
  const named = words.length > 2 && GENERATIONS.has(words.at(-1)!) ? words.slice(0, -1) : words;
  const full = named.filter((w, i) => !(i > 0 && i < named.length - 1 && /^\p{Lu}$/u.test(w)));
  return full.map((w, i) => (i > 0 && i < full.length - 1 && NAME_PARTICLES.has(w.toLowerCase()) ? w.toLowerCase() : w));
}

/** "Shanghai Cooperation Organization (SCO)": the acronym in brackets right after a name, if any. */
export function definition(tokens: readonly Token[], lastIndex: number, atRunEnd: boolean): string | undefined {
  if (!atRunEnd) return undefined;
  const [open, acronym, close] = [tokens[lastIndex + 1], tokens[lastIndex + 2], tokens[lastIndex + 3]];
  return open?.text === '(' && close?.text === ')' && acronym && /^\p{Lu}[\p{Lu}\d&-]{1,9}$/u.test(acronym.text)
    ? acronym.text
    : undefined;
}

/**
 * Whether a capitalised word other than a sentence opener or a month stands right next to the words (the "House" of
 * "White House"); "Reagan and Gorbachev", "Reagan on Monday" and "Reagan's Treasury" have none.
 */
export function nameNextTo(tokens: readonly Token[], words: readonly Token[]): boolean {
  const isName = (t: Token | undefined) => t !== undefined && !t.isBreak && t.capital && !NOT_NAMES.has(t.text);
  const last = words.at(-1)!;
  return isName(tokens[words[0]!.index - 1]) || (!last.possessive && isName(tokens[last.index + 1]));
}
