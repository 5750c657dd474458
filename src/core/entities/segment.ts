import type { EntityKind, Gazetteer } from './gazetteer.js';
import {
  CORPORATE_SUFFIXES, HEAD_TITLES, NAME_PARTICLES, NOT_NAMES, ORG_ADJECTIVES, ORG_CONNECTORS, ORG_HEADS, ORG_SUFFIXES,
  PREPOSITIONS, REPORTING_VERBS, ROLE_NOUNS,
} from './lexicon.js';
import { isTitle, misspelledTitle } from './title-words.js';
import type { Token } from './tokens.js';

/** A known organisation or place named in the text. */
export interface KnownMention {
  readonly kind: 'orgs' | 'places';
  readonly name: string;
  readonly index: number;
}

/**
 * A name that may be a person's: `cue` says why ("title": written after a title such as "Foreign Minister";
 * "speaker": followed by "said", "told"…; "none": a capitalised phrase and nothing more).
 */
export interface NameMention {
  readonly words: readonly string[];
  readonly title: string | undefined;
  readonly cue: 'title' | 'speaker' | 'role' | 'none';
  readonly index: number;
  /** Written first in its sentence, where a capital says nothing. */
  readonly sentenceStart: boolean;
  /** No other capitalised word stands right next to it ("Reagan said"; not the "White" of "White House"). */
  readonly whole: boolean;
}

export interface Segments {
  readonly known: KnownMention[];
  readonly names: NameMention[];
}

const DETERMINERS: ReadonlySet<string> = new Set(['the', 'a', 'an']);
const strip = (word: string) => word.replace(/\.$/, '');
/** "Ministers" → "Minister", "Secretaries" → "Secretary" (titles written for two people). */
const singular = (word: string) => (word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.replace(/s$/, ''));
const isTitleWord = (word: string) =>
  isTitle(strip(word)) || (word.endsWith('s') && HEAD_TITLES.has(singular(word)));
/** A head title ("Secretary"; "Secertary" read through its typo). */
const isHeadTitle = (word: string) => HEAD_TITLES.has(singular(strip(word))) || misspelledTitle(strip(word)) !== undefined;

/** Capitalised words with the lower-case particles and connectors between them: the candidates for names. */
function runs(tokens: readonly Token[], possessiveJoins: ReadonlySet<string>): Token[][] {
  const out: Token[][] = [];
  let run: Token[] = [];
  const joins = (t: Token) => !t.isBreak && (NAME_PARTICLES.has(t.text) || ORG_CONNECTORS.has(t.text));
  // a possessive ends a run ("Reagan's Treasury"), unless a known name goes on across it ("People's Bank of China")
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

/** Whether the joiners from `i` ("of the") lead to a capitalised word. */
function capitalAfterJoins(tokens: readonly Token[], i: number, joins: (t: Token) => boolean): boolean {
  let k = i;
  while (k < tokens.length && joins(tokens[k]!) && k - i < 3) k++;
  const next = tokens[k];
  return next !== undefined && next.capital && !next.isBreak;
}

const isNameWord = (t: Token, gazetteer: Gazetteer) =>
  t.capital &&
  !NOT_NAMES.has(t.text) &&
  !ORG_SUFFIXES.has(t.text) &&
  !isTitle(t.text) &&
  !gazetteer.places.has(t.text) &&
  !gazetteer.orgs.has(t.text) &&
  !/^\p{Lu}{2,}$/u.test(t.text) &&
  (t.text.length > 1 || /^\p{Lu}$/u.test(t.text));

/**
 * Reads one article's tokens into known organisations and places (longest gazetteer match first, including
 * acronyms the article defines in brackets), organisations by their last word ("… Corp", "… Organization"), and
 * candidate person names with their cue.
 */
export function segment(tokens: readonly Token[], gazetteer: Gazetteer, localOrgs: Map<string, string>): Segments {
  const known: KnownMention[] = [];
  const names: NameMention[] = [];
  for (const run of runs(tokens, gazetteer.possessiveJoins)) {
    let i = 0;
    // "First Boston Corp", "First Chicago Corp": in a company's name "First" is no sentence opener
    const legalName = CORPORATE_SUFFIXES.has(run.at(-1)!.text);
    while (
      i < run.length &&
      (NOT_NAMES.has(run[i]!.text) || !run[i]!.capital) &&
      !(legalName && run[i]!.text === 'First' && i + 2 < run.length) &&
      !isTitle(run[i]!.text) &&
      !longestKnown(run, i, gazetteer, localOrgs)
    ) {
      i++;
    }
    // "Investor Paul Bilzerian said": a role noun capitalised only because it opens the sentence
    const roleOpens = i === 0 && run.length > 1 && run[0]!.sentenceStart && !isTitle(run[0]!.text) &&
      ROLE_NOUNS.has(run[0]!.text.toLowerCase()) && !ORG_SUFFIXES.has(run.at(-1)!.text); // not "Champion International Corp"
    if (roleOpens) i = 1;
    const start = i;
    const next = tokens[run.at(-1)!.index + 1];
    const before = tokens[run[0]!.index - 1];
    const spoken = next !== undefined && REPORTING_VERBS.has(next.text) && !(before !== undefined && PREPOSITIONS.has(before.text));
    const role = roleOpens || (i === 0 && before !== undefined && ROLE_NOUNS.has(before.text) && !run[0]!.sentenceStart &&
      !underwriter(tokens, before));
    const lowerTitle = i === 0 && !run[0]!.sentenceStart ? lowerCaseTitle(tokens, before) : undefined;
    // "the Texas Democrat said", "a Caesars World board member": a name does not take an article
    const determiner = i === 0 ? before : run[i - 1];
    const determined = determiner !== undefined && DETERMINERS.has(determiner.text.toLowerCase());
    while (i < run.length) {
      const t = run[i]!;
      if (!t.capital) {
        i++;
        continue;
      }
      const knownAt = (k: number) => longestKnown(run, k, gazetteer, localOrgs) !== undefined;
      const found = longestKnown(run, i, gazetteer, localOrgs);
      // a company's legal name is read whole before the places in it ("Texas Air Corp", "Gulf Canada Ltd"), not
      // before a known organisation ("Moody's Investors Service Inc")
      const company = found?.kind !== 'orgs' && legalName && isOrgPhrase(run, i, knownAt);
      // "New York Stock Exchange", "Kuwait News Agency": a place opening an organisation's name is part of the name
      // (and still a place the article names)
      const placeOpens =
        !company && found?.kind === 'places' && i + found.length < run.length && isOrgPhrase(run, i + found.length, knownAt);
      if (placeOpens) known.push({ kind: 'places', name: found.name, index: t.index });
      else if (found && !company) {
        known.push({ kind: found.kind, name: found.name, index: t.index });
        i += found.length;
        const def = definition(tokens, run.at(-1)!.index, i === run.length);
        if (def && found.kind === 'orgs') localOrgs.set(def, found.name);
        continue;
      }
      // a legal name that is no company phrase here was ruled out above
      if (company || placeOpens || (!legalName && isOrgPhrase(run, i, knownAt))) {
        known.push({ kind: 'orgs', name: orgName(run.slice(i)), index: t.index });
        const def = definition(tokens, run.at(-1)!.index, true);
        if (def) localOrgs.set(def, orgName(run.slice(i)));
        break;
      }
      let j = i;
      while (j < run.length && (isTitleWord(run[j]!.text) || (j > i && titleJoin(run, j)))) j++;
      if (j > i) {
        const title = run.slice(i, j).map((w) => w.text).join(' ');
        const head = run.slice(i, j).some((w) => isHeadTitle(w.text));
        const end = nameEnd(run, j, gazetteer);
        if (head && end > j) {
          const at = run[j]!.index;
          names.push({ words: nameWords(run, j, end), title, cue: 'title', index: at, sentenceStart: false, whole: false });
        }
        i = Math.max(end, j);
        continue;
      }
      j = i;
      while (j < run.length && !isTitle(run[j]!.text) && !longestKnown(run, j, gazetteer, localOrgs)) j++;
      const atStart = i === start;
      plain(run.slice(i, j), {
        spoken: spoken && j === run.length,
        role: role && atStart,
        title: atStart ? lowerTitle : undefined,
        determined: determined && atStart,
        known, names, localOrgs, tokens,
      });
      i = j;
    }
  }
  return { known, names };
}

/** A phrase with no title and no known name: an organisation by its last word, or name candidates. */
interface PlainContext {
  readonly spoken: boolean;
  readonly role: boolean;
  /** A title written with a lower-case head right before the words ("Energy Minister" of "Energy minister Subroto"). */
  readonly title?: string | undefined;
  /**
   * An article stands right before the words ("the Far East"): their first piece, when of two words or more, is
   * no person's name ("the Reagan administration" still names Reagan).
   */
  readonly determined: boolean;
  readonly known: KnownMention[];
  readonly names: NameMention[];
  readonly localOrgs: Map<string, string>;
  readonly tokens: readonly Token[];
}

function plain(words: Token[], out: PlainContext): void {
  while (words.length > 0 && !words.at(-1)!.capital) words.pop();
  if (words.length === 0) return;
  const last = words.at(-1)!.text;
  if (words.length >= 2 && (ORG_SUFFIXES.has(last) || ORG_HEADS.has(words[0]!.text))) {
    const name = orgName(words);
    out.known.push({ kind: 'orgs', name, index: words[0]!.index });
    const def = definition(out.tokens, words.at(-1)!.index, true);
    if (def) out.localOrgs.set(def, name);
    const bare = name.split(' ');
    if (bare.length >= 2 && name !== words.map((w) => w.text).join(' ')) out.localOrgs.set(name, name);
    return;
  }
  let piece: Token[] = [];
  let isFirst = true;
  const flush = (isLast: boolean) => {
    while (piece.length > 0 && !piece.at(-1)!.capital) piece.pop();
    while (piece.length > 1 && CORPORATE_SUFFIXES.has(piece[0]!.text)) piece.shift(); // "Sachs and Co Goldman said"
    const single = piece.length === 1 && (ORG_SUFFIXES.has(piece[0]!.text) || /^\p{Lu}{2,}$/u.test(piece[0]!.text));
    // "S P" of "S&P", "U S": initials alone name no one
    const initials = piece.every((w) => w.text.replace(/\.$/, '').length === 1);
    const determined = isFirst && out.determined && piece.length > 1;
    // "analyst Rosario Ilacqua of L.F. Rothschild said": the speaker is not the words after "of"
    const speaks = isLast && out.spoken && !PREPOSITIONS.has(out.tokens[(piece[0]?.index ?? 0) - 1]?.text ?? '');
    if (piece.length > 0 && piece.length <= 5 && !single && !initials && !determined) {
      out.names.push({
        words: canonicalWords(piece.map((w) => w.text)),
        title: isFirst ? out.title : undefined,
        cue: isFirst && out.title !== undefined ? 'title' : isFirst && out.role ? 'role' : speaks ? 'speaker' : 'none',
        index: piece[0]!.index,
        sentenceStart: piece[0]!.sentenceStart,
        whole: !nameNextTo(out.tokens, piece),
      });
    }
    piece = [];
    isFirst = false;
  };
  for (const w of words) {
    if ((!w.capital && ORG_CONNECTORS.has(w.text)) || NOT_NAMES.has(w.text)) flush(false);
    else piece.push(w);
  }
  flush(true);
}

/**
 * "Energy minister Subroto", "Guinness chairman Saunders": a head title written in lower case after a capitalised
 * word (a portfolio, a country, a company) is a title, as "Energy Minister" would be; undefined otherwise.
 */
function lowerCaseTitle(tokens: readonly Token[], head: Token | undefined): string | undefined {
  if (head === undefined || head.isBreak || head.capital) return undefined;
  const word = `${head.text.charAt(0).toUpperCase()}${head.text.slice(1)}`;
  const qualifier = tokens[head.index - 1];
  if (!HEAD_TITLES.has(word) || !ROLE_NOUNS.has(head.text) || qualifier === undefined || qualifier.isBreak || !qualifier.capital) return undefined;
  return `${qualifier.text} ${word}`;
}

/** "lead manager Drexel Burnham", "sole manager L.F. Rothschild": the manager of a bond issue is a bank. */
const UNDERWRITING: ReadonlySet<string> = new Set(['lead', 'sole', 'joint', 'co-lead', 'senior']);
function underwriter(tokens: readonly Token[], role: Token): boolean {
  return role.text === 'manager' && UNDERWRITING.has(tokens[role.index - 1]?.text.toLowerCase() ?? '');
}

/**
 * Whether a capitalised word other than a sentence opener or a month stands right next to the words (the "House" of
 * "White House"); "Reagan and Gorbachev", "Reagan on Monday" and "Reagan's Treasury" have none.
 */
function nameNextTo(tokens: readonly Token[], words: readonly Token[]): boolean {
  const isName = (t: Token | undefined) => t !== undefined && !t.isBreak && t.capital && !NOT_NAMES.has(t.text);
  const last = words.at(-1)!;
  return isName(tokens[words[0]!.index - 1]) || (!last.possessive && isName(tokens[last.index + 1]));
}

/** "Standard Oil Co" → "Standard Oil"; connectors kept ("Bank of Tokyo"). */
function orgName(words: readonly Token[]): string {
  const texts = words.map((w) => w.text);
  if (texts.length > 2 && CORPORATE_SUFFIXES.has(texts.at(-1)!)) texts.pop();
  while (texts.length > 1 && ORG_CONNECTORS.has(texts.at(-1)!)) texts.pop();
  return texts.join(' ');
}

/** The words of a name from `start`, with particles kept only between capitalised words. */
function nameEnd(run: readonly Token[], start: number, gazetteer: Gazetteer): number {
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

/** "Standard Oil Co", "Bank of Tokyo Ltd": the rest of the run ends with an organisation word and holds no head title. */
function isOrgPhrase(run: readonly Token[], i: number, knownAt: (k: number) => boolean): boolean {
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

/** "Chancellor of the Exchequer": connectors inside a title, when a title word follows them. */
function titleJoin(run: readonly Token[], j: number): boolean {
  let k = j;
  while (k < run.length && !run[k]!.capital && ORG_CONNECTORS.has(run[k]!.text)) k++;
  return k > j && k < run.length && isTitle(run[k]!.text);
}

/**
 * A name's words as its canonical form writes them: middle initials dropped ("Ivan F. Boesky" → "Ivan Boesky"),
 * particles after the first word in lower case ("Richard Von Weizsaecker" → "Richard von Weizsaecker").
 */
function nameWords(run: readonly Token[], start: number, end: number): string[] {
  return canonicalWords(run.slice(start, end).map((t) => t.text));
}

function canonicalWords(words: readonly string[]): string[] {
  const full = words.filter((w, i) => !(i > 0 && i < words.length - 1 && /^\p{Lu}$/u.test(w)));
  return full.map((w, i) => (i > 0 && i < full.length - 1 && NAME_PARTICLES.has(w.toLowerCase()) ? w.toLowerCase() : w));
}

/** The longest organisation or place (gazetteer, or an acronym the article defined) starting at run[i]. */
function longestKnown(
  run: readonly Token[],
  i: number,
  gazetteer: Gazetteer,
  localOrgs: ReadonlyMap<string, string>,
): { kind: Exclude<EntityKind, 'people'>; name: string; length: number } | undefined {
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

/** "Shanghai Cooperation Organization (SCO)": the acronym in brackets right after a name, if any. */
function definition(tokens: readonly Token[], lastIndex: number, atRunEnd: boolean): string | undefined {
  if (!atRunEnd) return undefined;
  const [open, acronym, close] = [tokens[lastIndex + 1], tokens[lastIndex + 2], tokens[lastIndex + 3]];
  return open?.text === '(' && close?.text === ')' && acronym && /^\p{Lu}[\p{Lu}\d&-]{1,9}$/u.test(acronym.text)
    ? acronym.text
    : undefined;
}
