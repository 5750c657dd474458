import type { EntityKind } from '../entities/gazetteer.js';
import { tokenize } from '../normalize.js';
import { titlePhrases } from './title-phrases.js';

/** What a completion is: an entity (by kind), a phrase frequent in titles, or an article's title. */
export type SuggestionKind = EntityKind | 'phrase' | 'title';

/** One completion for the search box. */
export interface Suggestion {
  /** The text to put in the box: an entity's canonical name, a phrase as a title writes it, or a title. */
  readonly text: string;
  readonly kind: SuggestionKind;
  /** Articles behind it: naming the entity, holding the phrase in their title, or bearing the title. */
  readonly articles: number;
}

/** What the index needs of an article: its title and the entities stored for it. */
export interface SuggestSource {
  readonly title: string;
  readonly entities: readonly { readonly kind: EntityKind; readonly name: string }[];
}

/** How large the index may grow. */
export interface SuggestLimits {
  /** Titles (and their phrases) held at most: the latest arrivals; older ones go first (default 20,000). */
  readonly maxTitles?: number;
  /** A phrase is offered once this many held titles hold it (default 3). */
  readonly minPhraseArticles?: number;
}

interface Entry {
  /** The folded text: its words (tokenize) joined by one space; a word is found at the start or after a space. */
  readonly folded: string;
  text: string;
  entityKind: EntityKind | undefined;
  entities: number;
  phrases: number;
  titles: number;
}

type Field = 'entities' | 'phrases' | 'titles';

/**
 * What one article adds: entity entries, and (while its title is held) its title and phrase entries. The title's
 * entries are found again from the title when it goes (its phrases are not kept per article: ~8 per Reuters title,
 * 143,000 small arrays on Reuters).
 */
interface Held {
  readonly entities: readonly string[];
  /** The title as counted (the string its entry's text is made from), while held. */
  title: string | undefined;
}

/**
 * Titles holding a phrase and its first spelling: a bare count when the spelling is its folded key (every phrase of
 * a headline in lower case: most of them), else both. Most phrases occur once, so this map is most of the index.
 */
type PhraseCount = number | { readonly text: string; n: number };

const KIND_ORDER: Record<SuggestionKind, number> = { people: 0, orgs: 0, places: 0, phrase: 1, title: 2 };

/** Bucket keys of a word: its first 2 and first 3 characters; single characters are not bucketed. */
const bucketsOf = (word: string): string[] => (word.length < 2 ? [] : word.length === 2 ? [word] : [word.slice(0, 2), word.slice(0, 3)]);
/** The bucket keys of an entry's folded text, each once. */
const bucketKeys = (folded: string): Set<string> => new Set(folded.split(' ').flatMap(bucketsOf));
/** The key of an entry: the text's words (tokenize), joined by one space. */
const fold = (text: string): string => tokenize(text).join(' ');
/** The bucket a query word reads: its first 3 characters, or 2 for a 2-character word. */
const bucketOf = (word: string): string | undefined => (word.length < 2 ? undefined : word.slice(0, 3));

/**
 * Completions for a search box, kept current article by article (no I/O: the index host feeds it, index-host.ts).
 *
 * Entries are entity names (weight: articles naming them), phrases of 2–3 words frequent in titles (titles holding
 * them, offered from `minPhraseArticles`), and titles (articles bearing them); one entry per folded text, weights
 * added. Lookup: every word of the query must start a word of the entry, in any order; first the entities and
 * phrases whose text starts with the query, then the other entities and phrases, then titles (those whose text
 * starts with the query first); within each, the most articles, then entity before phrase, shorter text, and text
 * (deterministic). Entries are found through buckets keyed by the first 3 characters of each of
 * their words (and the first 2), so a lookup reads one bucket, never the whole list; a query whose words are
 * all single characters has no completion.
 *
 * Memory is bounded: titles and their phrases are held for the latest `maxTitles` articles only; entity names are
 * as many as the corpus has (the entity index holds them too).
 */
export class SuggestIndex {
  private readonly entries = new Map<string, Entry>();
  /** Entries by bucket key, in no order (a lookup ranks what it finds): arrays, a third of a Set's memory. */
  private readonly buckets = new Map<string, Entry[]>();
  private readonly held = new Map<string, Held>();
  /** Titles holding each phrase (folded), with its first spelling; an entry is made from `minPhraseArticles` on. */
  private readonly phraseCounts = new Map<string, PhraseCount>();
  /** Articles whose title is held, oldest arrival first (Map order). */
  private readonly titled = new Map<string, true>();
  private readonly maxTitles: number;
  private readonly minPhrase: number;

  constructor(limits: SuggestLimits = {}) {
    this.maxTitles = limits.maxTitles ?? 20_000;
    this.minPhrase = limits.minPhraseArticles ?? 3;
  }

  /** Articles held. */
  get size(): number {
    return this.held.size;
  }

  /** Entries held (entities, phrases offered and titles, one per folded text). */
  get entryCount(): number {
    return this.entries.size;
  }

  /** Holds article `id` as `source` says (replacing what was held for it); undefined removes it. */
  set(id: string, source: SuggestSource | undefined): void {
    this.remove(id);
    if (!source) return;
    const entities = source.entities.map(({ kind, name }) => this.count(name, 'entities', kind));
    // a headline in capitals (Reuters) carries no case: offered in lower case rather than shouted
    const title = /\p{Ll}/u.test(source.title) ? source.title.trim() : source.title.trim().toLowerCase();
    const held: Held = { entities, title: undefined };
    if (this.maxTitles > 0 && title !== '') {
      this.count(title, 'titles');
      held.title = title;
      for (const phrase of titlePhrases(title)) this.count(phrase, 'phrases');
      this.titled.set(id, true);
    }
    this.held.set(id, held);
    while (this.titled.size > this.maxTitles) this.dropTitle(this.titled.keys().next().value!);
  }

  /** The best `limit` completions of `q` (see the class comment for the order). */
  suggest(q: string, limit: number): Suggestion[] {
    const wanted = tokenize(q);
    const longest = wanted.reduce((a, w) => (w.length > a.length ? w : a), '');
    const bucket = bucketOf(longest);
    if (bucket === undefined || limit <= 0) return [];
    const start = wanted.join(' ');
    const inner = wanted.map((w) => ` ${w}`);
    // the best `limit` so far, best first: a bucket may hold thousands of matches, and only a few are shown
    const best: Candidate[] = [];
    for (const entry of this.buckets.get(bucket) ?? []) {
      const kind = this.kindOf(entry);
      if (kind === undefined) continue;
      // a word of the entry starts with w: the folded text starts with it, or holds it after a space
      if (!wanted.every((w, i) => entry.folded.startsWith(w) || entry.folded.includes(inner[i]!))) continue;
      const found: Candidate = { entry, leads: entry.folded.startsWith(start), weight: weightOf(entry, kind), kind };
      if (best.length === limit && compare(found, best[limit - 1]!) >= 0) continue;
      let at = best.length;
      while (at > 0 && compare(found, best[at - 1]!) < 0) at--;
      best.splice(at, 0, found);
      if (best.length > limit) best.pop();
    }
    return best.map(({ entry, weight, kind }) => ({ text: entry.text, kind, articles: weight }));
  }

  /** What an entry is offered as, or undefined when it is not offered (a phrase too rare, with nothing else). */
  private kindOf(entry: Entry): SuggestionKind | undefined {
    if (entry.entities > 0) return entry.entityKind!;
    if (entry.phrases >= this.minPhrase) return 'phrase';
    return entry.titles > 0 ? 'title' : undefined;
  }

  private remove(id: string): void {
    const held = this.held.get(id);
    if (!held) return;
    this.dropTitle(id);
    for (const key of held.entities) this.uncount(key, 'entities');
    this.held.delete(id);
  }

  /** Lets an article's title and phrases go (the oldest held when over the limit), keeping its entities. */
  private dropTitle(id: string): void {
    this.titled.delete(id);
    const held = this.held.get(id);
    if (held?.title === undefined) return;
    this.uncount(fold(held.title), 'titles');
    for (const phrase of titlePhrases(held.title)) this.uncount(fold(phrase), 'phrases');
    held.title = undefined;
  }

  /**
   * Adds one to an entry's field (made on first use); returns its key. A phrase is only counted (`phraseCounts`)
   * until `minPhraseArticles` titles hold it: most phrases occur once, and an entry with its buckets costs far more.
   */
  private count(text: string, field: Field, kind?: EntityKind): string {
    const folded = fold(text);
    if (field === 'phrases') {
      const counted = this.phraseCounts.get(folded);
      const n = (typeof counted === 'object' ? counted.n : (counted ?? 0)) + 1;
      if (typeof counted === 'object') counted.n = n;
      else this.phraseCounts.set(folded, counted === undefined && text !== folded ? { text, n } : n);
      if (n >= this.minPhrase) this.entryOf(folded, typeof counted === 'object' ? counted.text : counted === undefined ? text : folded).phrases = n;
      return folded;
    }
    const entry = this.entryOf(folded, text);
    if (kind !== undefined && entry.entityKind === undefined) {
      entry.entityKind = kind;
      entry.text = text; // an entity's canonical name wins over a title's spelling
    }
    entry[field] += 1;
    return entry.folded; // the entry's own string: the articles' lists of keys share it
  }

  private entryOf(folded: string, text: string): Entry {
    let entry = this.entries.get(folded);
    if (entry) return entry;
    entry = { folded, text, entityKind: undefined, entities: 0, phrases: 0, titles: 0 };
    this.entries.set(folded, entry);
    for (const b of bucketKeys(folded)) {
      const list = this.buckets.get(b);
      if (list) list.push(entry);
      else this.buckets.set(b, [entry]);
    }
    return entry;
  }

  /** Takes one from an entry's field; an entry nothing counts any more goes, from its buckets too. */
  private uncount(key: string, field: Field): void {
    let n = 0;
    if (field === 'phrases') {
      const counted = this.phraseCounts.get(key);
      if (counted === undefined) return;
      n = (typeof counted === 'object' ? counted.n : counted) - 1;
      if (n === 0) this.phraseCounts.delete(key);
      else if (typeof counted === 'object') counted.n = n;
      else this.phraseCounts.set(key, n);
    }
    const entry = this.entries.get(key);
    if (!entry) return;
    if (field === 'phrases') entry.phrases = n >= this.minPhrase ? n : 0;
    else entry[field] -= 1;
    if (field === 'entities' && entry.entities === 0) entry.entityKind = undefined;
    if (entry.entities + entry.phrases + entry.titles > 0) return;
    this.entries.delete(key);
    for (const b of bucketKeys(key)) {
      const list = this.buckets.get(b);
      if (!list) continue;
      const at = list.indexOf(entry);
      if (at >= 0) list[at] = list[list.length - 1]!;
      if (at >= 0) list.pop();
      if (list.length === 0) this.buckets.delete(b);
    }
  }
}

interface Candidate {
  readonly entry: Entry;
  readonly leads: boolean;
  readonly weight: number;
  readonly kind: SuggestionKind;
}

/** Entities and phrases the query starts, then the other entities and phrases, then titles (those it starts first). */
const groupOf = (c: Candidate): number => (c.kind === 'title' ? 2 + Number(!c.leads) : Number(!c.leads));

/** The order of completions (see {@link SuggestIndex}); negative when `a` comes first. */
function compare(a: Candidate, b: Candidate): number {
  return groupOf(a) - groupOf(b) || b.weight - a.weight || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
    || a.entry.folded.length - b.entry.folded.length || (a.entry.folded < b.entry.folded ? -1 : a.entry.folded > b.entry.folded ? 1 : 0);
}

function weightOf(entry: Entry, kind: SuggestionKind): number {
  if (kind === 'title') return entry.titles;
  return entry.entities + entry.phrases;
}
