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
  readonly folded: string;
  readonly words: readonly string[];
  text: string;
  entityKind: EntityKind | undefined;
  entities: number;
  phrases: number;
  titles: number;
}

type Field = 'entities' | 'phrases' | 'titles';

/** What one article adds: entity entries, and (while its title is held) its title and phrase entries. */
interface Held {
  readonly entities: readonly string[];
  titleParts: readonly (readonly [string, Field])[];
}

const KIND_ORDER: Record<SuggestionKind, number> = { people: 0, orgs: 0, places: 0, phrase: 1, title: 2 };

/** Bucket keys of a word: its first 2 and first 3 characters; single characters are not bucketed. */
const bucketsOf = (word: string): string[] => (word.length < 2 ? [] : word.length === 2 ? [word] : [word.slice(0, 2), word.slice(0, 3)]);
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
  private readonly buckets = new Map<string, Set<Entry>>();
  private readonly held = new Map<string, Held>();
  /** Titles holding each phrase (folded), with its first spelling; an entry is made from `minPhraseArticles` on. */
  private readonly phraseCounts = new Map<string, { readonly text: string; n: number }>();
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
    const titleParts: [string, Field][] = [];
    if (this.maxTitles > 0 && title !== '') {
      titleParts.push([this.count(title, 'titles'), 'titles']);
      for (const phrase of titlePhrases(title)) titleParts.push([this.count(phrase, 'phrases'), 'phrases']);
      this.titled.set(id, true);
    }
    this.held.set(id, { entities, titleParts });
    while (this.titled.size > this.maxTitles) this.dropTitle(this.titled.keys().next().value!);
  }

  /** The best `limit` completions of `q` (see the class comment for the order). */
  suggest(q: string, limit: number): Suggestion[] {
    const wanted = tokenize(q);
    const longest = wanted.reduce((a, w) => (w.length > a.length ? w : a), '');
    const bucket = bucketOf(longest);
    if (bucket === undefined || limit <= 0) return [];
    const start = wanted.join(' ');
    // the best `limit` so far, best first: a bucket may hold thousands of matches, and only a few are shown
    const best: Candidate[] = [];
    for (const entry of this.buckets.get(bucket) ?? []) {
      const kind = this.kindOf(entry);
      if (kind === undefined) continue;
      if (!wanted.every((w) => entry.words.some((x) => x.startsWith(w)))) continue;
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
    if (!held) return;
    for (const [key, field] of held.titleParts) this.uncount(key, field);
    held.titleParts = [];
  }

  /**
   * Adds one to an entry's field (made on first use); returns its key. A phrase is only counted (`phraseCounts`)
   * until `minPhraseArticles` titles hold it: most phrases occur once, and an entry with its buckets costs far more.
   */
  private count(text: string, field: Field, kind?: EntityKind): string {
    const words = tokenize(text);
    const folded = words.join(' ');
    if (field === 'phrases') {
      const counted = this.phraseCounts.get(folded) ?? { text, n: 0 };
      counted.n += 1;
      this.phraseCounts.set(folded, counted);
      if (counted.n >= this.minPhrase) this.entryOf(folded, words, counted.text).phrases = counted.n;
      return folded;
    }
    const entry = this.entryOf(folded, words, text);
    if (kind !== undefined && entry.entityKind === undefined) {
      entry.entityKind = kind;
      entry.text = text; // an entity's canonical name wins over a title's spelling
    }
    entry[field] += 1;
    return folded;
  }

  private entryOf(folded: string, words: readonly string[], text: string): Entry {
    let entry = this.entries.get(folded);
    if (entry) return entry;
    entry = { folded, words, text, entityKind: undefined, entities: 0, phrases: 0, titles: 0 };
    this.entries.set(folded, entry);
    for (const b of new Set(words.flatMap(bucketsOf))) {
      let set = this.buckets.get(b);
      if (!set) this.buckets.set(b, (set = new Set()));
      set.add(entry);
    }
    return entry;
  }

  /** Takes one from an entry's field; an entry nothing counts any more goes, from its buckets too. */
  private uncount(key: string, field: Field): void {
    if (field === 'phrases') {
      const counted = this.phraseCounts.get(key);
      if (!counted) return;
      counted.n -= 1;
      if (counted.n === 0) this.phraseCounts.delete(key);
    }
    const entry = this.entries.get(key);
    if (!entry) return;
    if (field === 'phrases') {
      const n = this.phraseCounts.get(key)?.n ?? 0;
      entry.phrases = n >= this.minPhrase ? n : 0;
    } else entry[field] -= 1;
    if (field === 'entities' && entry.entities === 0) entry.entityKind = undefined;
    if (entry.entities + entry.phrases + entry.titles > 0) return;
    this.entries.delete(key);
    for (const b of new Set(entry.words.flatMap(bucketsOf))) {
      const set = this.buckets.get(b);
      set?.delete(entry);
      if (set?.size === 0) this.buckets.delete(b);
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
