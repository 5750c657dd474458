/**
 * What the corpus knows about people, for names an article gives only in part ("Treasury Secretary Baker").
 * Implementations keep, per article, the full names it gave; a lone name resolves to the full name seen in the
 * most articles with the same title word ("Secretary"), else with any title, ties by name.
 */
export interface NameResolver {
  /**
   * The full name `word` (a surname, or a family name written first) stands for, or undefined; only full names
   * seen in at least `minArticles` articles (default 1) count.
   */
  fullName(word: string, title: string | undefined, minArticles?: number): string | undefined;
  /** Whether `name` (two words or more) was seen as a person's full name in some article. */
  isKnownPerson(name: string): boolean;
  /** Whether `name` was seen as an organisation's in some article ("McDonnell Douglas Corp"). */
  isKnownOrg(name: string): boolean;
  /**
   * Whether `name` starts a longer organisation name ("Shearson Lehman" of "Shearson Lehman Brothers Inc") in more
   * articles than give it, with a title, as a person's.
   */
  startsOrgName(name: string): boolean;
}

/** The evidence key of an organisation's name (no word can be it). */
export const ORG_KEY = '\u0000org';

/** A full name an article gives, with the title written before it: the corpus's evidence for later lone names. */
export interface NameEvidence {
  /**
   * The words a lone mention may use for the name: its last word ("Lavrov" of "Sergei Lavrov"), and its first when
   * the article itself uses that word alone (a family name written first: "Qin" of "Qin Gang").
   */
  readonly keys: readonly string[];
  readonly name: string;
  /** The title's head word ("Secretary" of "Treasury Secretary"), if any. */
  readonly title: string | undefined;
}

/** One question an extraction asked of the corpus, and the answer it got (see {@link replay}). */
export type NameLookup =
  | { readonly ask: 'full'; readonly word: string; readonly title: string | undefined; readonly min: number | undefined; readonly answer: string | undefined }
  | { readonly ask: 'person' | 'org' | 'org-start'; readonly name: string; readonly answer: boolean };

/**
 * Wraps a resolver so that every question and its answer is recorded: an extraction is a pure function of the
 * text and these answers, so it needs redoing only when one of them would now be answered differently.
 */
export function recording(names: NameResolver): { resolver: NameResolver; lookups: NameLookup[] } {
  const lookups: NameLookup[] = [];
  const asked = new Set<string>();
  const keep = (key: string, lookup: NameLookup) => {
    if (!asked.has(key)) lookups.push(lookup);
    asked.add(key);
  };
  const resolver: NameResolver = {
    fullName(word, title, min) {
      const answer = names.fullName(word, title, min);
      keep(`f\u0000${word}\u0000${title ?? ''}\u0000${min ?? ''}`, { ask: 'full', word, title, min, answer });
      return answer;
    },
    isKnownPerson(name) {
      const answer = names.isKnownPerson(name);
      keep(`p\u0000${name}`, { ask: 'person', name, answer });
      return answer;
    },
    isKnownOrg(name) {
      const answer = names.isKnownOrg(name);
      keep(`o\u0000${name}`, { ask: 'org', name, answer });
      return answer;
    },
    startsOrgName(name) {
      const answer = names.startsOrgName(name);
      keep(`s\u0000${name}`, { ask: 'org-start', name, answer });
      return answer;
    },
  };
  return { resolver, lookups };
}

/** Whether `names` would answer every recorded question as it was answered then. */
export function replay(lookups: readonly NameLookup[], names: NameResolver): boolean {
  const known = {
    person: (n: string) => names.isKnownPerson(n),
    org: (n: string) => names.isKnownOrg(n),
    'org-start': (n: string) => names.startsOrgName(n),
  };
  return lookups.every((l) =>
    l.ask === 'full' ? names.fullName(l.word, l.title, l.min) === l.answer : known[l.ask](l.name) === l.answer,
  );
}

/** A resolver that knows nothing (every lone name stays as written). */
export const NO_NAMES: NameResolver = {
  fullName: () => undefined,
  isKnownPerson: () => false,
  isKnownOrg: () => false,
  startsOrgName: () => false,
};

/** "Treasury Secretary" → "Secretary"; "Foreign Minister" → "Minister". */
export function titleHead(title: string | undefined): string | undefined {
  return title?.split(' ').at(-1)?.replace(/\.$/, '');
}

/**
 * The evidence a full name gives, keyed by its last word and, when `familyFirst` (the article uses the first word
 * alone for the person), by its first: a given name ("Mark" of "Mark Eyskens") must not stand for the person elsewhere.
 */
export function evidenceOf(name: string, title: string | undefined, familyFirst: boolean): NameEvidence {
  const words = name.split(' ');
  const keys = familyFirst ? [...new Set([words[0]!, words.at(-1)!])] : [words.at(-1)!];
  return { keys, name, title: titleHead(title) };
}
