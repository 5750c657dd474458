import type { EntityKind, Gazetteer } from './gazetteer.js';
import { NOT_NAMES, ORG_HEADS, ORG_SUFFIXES, TITLE_WORDS } from './lexicon.js';
import type { NameEvidence, NameLookup, NameResolver } from './names.js';
import { evidenceOf, ORG_KEY, recording } from './names.js';
import type { NameMention } from './segment.js';
import { segment } from './segment.js';
import type { ArticleShape, Tally } from './salience.js';
import { LEAD_TOKENS, newTally, rankEntities } from './salience.js';
import { tokenizeForEntities } from './tokens.js';

/** The entities of one article: canonical names per kind, most salient first, and the corpus evidence it gives. */
export interface ExtractedEntities {
  readonly people: string[];
  readonly orgs: string[];
  readonly places: string[];
  /**
   * Salience per entity, keyed `kind:name` (salience.ts): ln(1 + mentions) + 2 when the headline names it + 0.5 when
   * it is named in the first 60 tokens − 0.3 × ln(1 + words / 500), at least 0.01; for people, the same formula
   * written as a linear model over richer features (salience.ts, PERSON_WEIGHTS). Two decimals.
   */
  readonly salience: Record<string, number>;
  /** Full person names the article gives (see NameResolver). */
  readonly evidence: NameEvidence[];
  /**
   * The questions asked of the corpus and their answers: none means the result cannot change as the corpus grows;
   * otherwise it changes only if one of the answers does.
   */
  readonly lookups: readonly NameLookup[];
}

/** Changes whenever the extractor reads the same text otherwise: stored entities from another version are redone. */
export const EXTRACTION_VERSION = 3;

const wordCount = (text: string): number => text.split(/\s+/u).filter((w) => w !== '').length;
/** A lone name with no cue resolves through the corpus only to a full name given in this many articles. */
const STRONG_EVIDENCE = 3;

/**
 * Extracts people, organisations and places from an article (see docs/ARCHITECTURE.md, "Entities"):
 * - organisations and places from the gazetteer (longest match, demonyms count as their country), acronyms the
 *   article defines in brackets, and organisations recognised by their last word ("… Corp", "… Organization");
 * - people from names after a title ("Foreign Minister Qin Gang", "Mr Lavrov") or before a reporting verb
 *   ("Lavrov said"); titles are never part of a name;
 * - within the article a lone word of a full name ("Qin", "Lavrov") is that person (the nearest full name before
 *   it when two share the word); a lone name with no full name in the article resolves through `names` (corpus
 *   evidence), else stays as written when a title or a reporting verb marks it as a person;
 * - an upper-case headline carries no case signal: the entities found in the body are looked for in it instead.
 */
export function extractEntities(
  article: { readonly title: string; readonly body: string },
  gazetteer: Gazetteer,
  names: NameResolver,
): ExtractedEntities {
  const { tallies, shape, evidence, lookups } = entityTallies(article, gazetteer, names);
  return { ...rankEntities(tallies, shape), evidence, lookups };
}

/** What {@link extractEntities} counts before ranking: per `kind:name`, how the article names the entity. */
export interface EntityTallies {
  readonly tallies: Map<string, Tally>;
  readonly shape: ArticleShape;
  readonly evidence: NameEvidence[];
  readonly lookups: readonly NameLookup[];
}

/** The counting half of {@link extractEntities} (also read by bench/fit-salience.ts to fit the person model). */
export function entityTallies(
  article: { readonly title: string; readonly body: string },
  gazetteer: Gazetteer,
  names: NameResolver,
): EntityTallies {
  const localOrgs = new Map<string, string>();
  const isKnown = (word: string) => gazetteer.places.has(word) || gazetteer.orgs.has(word);
  const bodyTokens = tokenizeForEntities(article.body, isKnown);
  segment(bodyTokens, gazetteer, localOrgs); // a first pass learns the organisations the article names in full
  const body = segment(bodyTokens, gazetteer, localOrgs);
  const mixedTitle = hasCaseSignal(article.title);
  const title = mixedTitle ? segment(tokenizeForEntities(article.title, isKnown), gazetteer, localOrgs) : undefined;
  const tallies = new Map<string, Tally>();
  const count = (kind: EntityKind, name: string, index: number, inTitle: boolean, cue?: NameMention['cue']) => {
    const key = `${kind}:${name}`;
    const t = tallies.get(key) ?? newTally(bodyTokens.length);
    if (inTitle) t.inTitle = true;
    else {
      t.mentions++;
      t.first = Math.min(t.first, index);
      if (index < LEAD_TOKENS) t.lead++;
      if (cue === 'title') t.titled++;
      if (cue === 'speaker') t.spoken++;
    }
    tallies.set(key, t);
  };
  for (const m of body.known) count(m.kind, m.name, m.index, false);
  for (const m of title?.known ?? []) count(m.kind, m.name, 0, true);
  const { resolver: tracked, lookups } = recording(names);
  // "McDonnell Douglas said": a name another article gave as an organisation's is that organisation; so is one that
  // starts a longer organisation name, when it speaks ("Shearson Lehman said"; "in Port Aldric" stays a place)
  const isOrg = (m: NameMention) => {
    if (m.words.length < 2 || m.cue === 'title' || m.cue === 'role') return false;
    const name = m.words.join(' ');
    return tracked.isKnownOrg(name) || (m.cue === 'speaker' && tracked.startsOrgName(name));
  };
  const [bodyOrgs, bodyNames] = partition(body.names, isOrg);
  const [titleOrgs, titleNames] = partition(title?.names ?? [], isOrg);
  for (const m of bodyOrgs) count('orgs', m.words.join(' '), m.index, false);
  for (const m of titleOrgs) count('orgs', m.words.join(' '), 0, true);
  const articleOrgs = [...body.known.filter((m) => m.kind === 'orgs').map((m) => m.name), ...bodyOrgs.map((m) => m.words.join(' '))];
  const people = new PeopleOfArticle(tracked, shortNames(articleOrgs, gazetteer));
  people.learn([...bodyNames, ...titleNames]);
  people.resolveAll(bodyNames, (kind, name, index, cue) => count(kind, name, index, false, cue));
  people.resolveAll(titleNames, (kind, name) => count(kind, name, 0, true));
  if (!mixedTitle) markUpperTitle(article.title, tallies);
  const orgEvidence = [...new Set(body.known.filter((m) => m.kind === 'orgs' && !gazetteer.orgNames.has(m.name) && m.name.includes(' ')).map((m) => m.name))]
    .map((name) => ({ keys: [ORG_KEY], name, title: undefined }));
  const shape = { words: wordCount(article.body), tokens: bodyTokens.length };
  return { tallies, shape, evidence: [...people.evidence(), ...orgEvidence], lookups };
}

/** The items that pass a test, and those that do not, each in order. */
function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

/** The people of one article: full names first, then every mention resolved against them. */
class PeopleOfArticle {
  private readonly full = new Map<string, string | undefined>();
  /** Full names the article itself marks as people's (evidence must not depend on the corpus, or it would feed back). */
  private readonly given = new Set<string>();
  private readonly byWord = new Map<string, { name: string; index: number }[]>();
  /** Words the article uses alone as a person's name, marked as one ("Qin said", "Mr Qin"). */
  private readonly usedAlone = new Set<string>();

  /**
   * @param shortOrgs the first word of each organisation the article names, standing for it when used alone
   *   ("Wilson Brothers said … Wilson reported": the company, not a person called Wilson)
   */
  constructor(
    private readonly names: NameResolver,
    private readonly shortOrgs: ReadonlyMap<string, string>,
  ) {}

  learn(mentions: readonly NameMention[]): void {
    // a surname used alone *as a person's* ("Boesky said", "Mr Boesky") makes the full name a person's
    for (const m of mentions) if (m.words.length === 1 && m.cue !== 'none') this.usedAlone.add(m.words[0]!);
    for (const m of mentions) {
      if (m.words.length < 2) continue;
      const name = m.words.join(' ');
      const own = m.cue !== 'none' || this.usedAlone.has(m.words.at(-1)!);
      if (!own && !this.full.has(name) && !this.names.isKnownPerson(name)) continue;
      if (own) this.given.add(name);
      if (!this.full.has(name) || m.title !== undefined) this.full.set(name, m.title ?? this.full.get(name));
    }
    for (const name of this.full.keys()) {
      const words = name.split(' ');
      for (const w of new Set([words[0]!, words.at(-1)!])) {
        const list = this.byWord.get(w) ?? [];
        list.push({ name, index: mentions.find((m) => m.words.join(' ') === name)?.index ?? 0 });
        this.byWord.set(w, list);
      }
    }
  }

  /** Counts every mention that names a person, or an organisation by its short name. */
  resolveAll(mentions: readonly NameMention[], count: (kind: 'people' | 'orgs', name: string, at: number, cue: NameMention['cue']) => void): void {
    // a titled lone name decides for the same name written bare in the article ("Treasury Secretary Baker … Baker said")
    const titled = new Map<string, string>();
    for (const m of mentions) {
      const word = m.words[0]!;
      if (m.words.length !== 1 || m.cue !== 'title' || titled.has(word) || this.nearest(word, m.index) !== undefined) continue;
      titled.set(word, this.names.fullName(word, m.title) ?? word);
    }
    for (const m of mentions) {
      const name = m.words.join(' ');
      if (this.full.has(name)) count('people', this.canonical(name), m.index, m.cue);
      else if (m.words.length === 1) {
        const person = this.nearest(name, m.index);
        const org = this.shortOrgs.get(name);
        if (person === undefined && org !== undefined && m.cue !== 'title' && m.cue !== 'role') {
          count('orgs', org, m.index, m.cue);
          continue;
        }
        const resolved = person ?? titled.get(name) ?? this.lone(m);
        if (resolved !== undefined) count('people', resolved, m.index, m.cue);
      }
    }
  }

  /** A lone name with no full name in the article: corpus evidence, else the name as written when a title marks it. */
  private lone(m: NameMention): string | undefined {
    const name = m.words[0]!;
    if (m.cue !== 'none') {
      const resolved = this.names.fullName(name, m.title);
      // "Kestria said", "lead manager Credit Suisse": a lone word after a role or before a reporting verb is a
      // person only when the corpus knows it; a title ("President Reagan") is enough on its own
      return resolved ?? (m.cue === 'title' ? name : undefined);
    }
    return m.sentenceStart || !m.whole ? undefined : this.names.fullName(name, undefined, STRONG_EVIDENCE);
  }

  evidence(): NameEvidence[] {
    return [...this.full]
      .filter(([name]) => this.given.has(name))
      .map(([name, title]) => evidenceOf(name, title, this.usedAlone.has(name.slice(0, name.indexOf(' ')))));
  }

  /** A shorter full name inside a longer one is the longer one ("George Bush" in "George W. Bush"). */
  private canonical(name: string): string {
    const words = name.split(' ');
    let best = name;
    for (const other of this.full.keys()) {
      const o = other.split(' ');
      if (o.length > best.split(' ').length && o[0] === words[0] && o.at(-1) === words.at(-1)) best = other;
    }
    return best === name ? (this.fuller(words) ?? name) : best;
  }

  /**
   * The name as the corpus gives it most often, when that is the same name written more fully or otherwise:
   * "Santos Alvite" → "Fernando Santos Alvite", "De Clercq" → "Willy de Clercq", "Robin Leigh Pemberton" →
   * "Robin Leigh-Pemberton". Only the count moves: the article's evidence keeps its own spelling.
   */
  private fuller(words: readonly string[]): string | undefined {
    const fold = (text: string) => text.toLowerCase().replaceAll('-', ' ');
    const written = fold(words.join(' '));
    const hyphened = words.length > 2 && /^\p{Lu}/u.test(words.at(-2)!); // "Leigh Pemberton", not "du Plessis"
    const keys = hyphened ? [words.at(-1)!, `${words.at(-2)!}-${words.at(-1)!}`] : [words.at(-1)!];
    for (const key of keys) {
      const known = this.names.fullName(key, undefined);
      if (known === undefined || known === words.join(' ')) continue;
      const folded = fold(known);
      if (folded === written || folded.endsWith(` ${written}`)) return known;
    }
    return undefined;
  }

  private nearest(word: string, index: number): string | undefined {
    const candidates = this.byWord.get(word);
    if (!candidates) return undefined;
    const before = candidates.filter((c) => c.index <= index).sort((a, b) => b.index - a.index);
    return this.canonical((before[0] ?? candidates[0]!).name);
  }
}

/** The first words of organisations' names that could name one alone: "Wilson" of "Wilson Brothers", not "General". */
function shortNames(orgs: readonly string[], gazetteer: Gazetteer): Map<string, string> {
  const short = new Map<string, string>();
  for (const org of orgs) {
    const space = org.indexOf(' ');
    if (space < 0) continue; // a one-word name is found as it is
    const first = org.slice(0, space);
    const generic = TITLE_WORDS.has(first) || ORG_HEADS.has(first) || ORG_SUFFIXES.has(first) || NOT_NAMES.has(first);
    if (generic || short.has(first) || !/^\p{Lu}\p{Ll}+$/u.test(first)) continue;
    if (!gazetteer.places.has(first) && !gazetteer.orgs.has(first)) short.set(first, org);
  }
  return short;
}

/** False for headlines in capitals or in Title Case, where a capital says nothing about a name. */
function hasCaseSignal(title: string): boolean {
  const words = title.match(/\p{L}{4,}/gu) ?? [];
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  return words.length > 0 && capitalised / words.length < 0.7;
}

/** Headline words of an upper-case headline that name a body entity (any of its words of four letters or more). */
function markUpperTitle(title: string, tallies: Map<string, Tally>): void {
  const words = new Set(title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  for (const [key, tally] of tallies) {
    const name = key.slice(key.indexOf(':') + 1).toLowerCase();
    const parts = name.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (parts.some((p) => (p.length >= 4 || parts.length === 1) && words.has(p))) tally.inTitle = true;
  }
}
