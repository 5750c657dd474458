import type Database from 'better-sqlite3';
import type { EntityKind } from '../core/entities/gazetteer.js';
import { foldedName, shortNameKeys, withoutTitles } from '../core/entities/name-keys.js';
import { tokenize } from '../core/normalize.js';
import { defaultGazetteer } from './default-gazetteer.js';
import { MAX_CANDIDATES } from './entity-port.js';
import type { EntityResolution, EntitySuggestion } from './entity-port.js';

/** An entity name with its live article count (mutated in place as articles come and go). */
interface Entry {
  readonly kind: EntityKind;
  readonly name: string;
  readonly words: readonly string[];
  /** The folded name (words joined by one space): what {@link EntityNamesState.named} compares. */
  readonly folded: string;
  /** The shorter names it may be asked by (core/entities/name-keys.ts). */
  readonly keys: readonly string[];
  articles: number;
}

/** Folded alias → folded canonical name, per kind (organisations and places of the gazetteer). */
export type AliasTable = ReadonlyMap<EntityKind, ReadonlyMap<string, string>>;

/** The default gazetteer's aliases of organisations and places, folded (built once). */
let defaultAliasTable: AliasTable | undefined;
export function defaultAliases(): AliasTable {
  if (defaultAliasTable) return defaultAliasTable;
  const g = defaultGazetteer();
  const fold = (m: ReadonlyMap<string, string>) =>
    new Map([...m].map(([alias, canonical]) => [foldedName(alias), foldedName(canonical)] as const).filter(([a, c]) => a !== '' && a !== c));
  defaultAliasTable = new Map([
    ['orgs', fold(g.orgs)],
    ['places', fold(g.places)],
  ]);
  return defaultAliasTable;
}

/** Entries of a short-name list read by one resolution at most (names sharing a surname; beyond, it is ambiguous). */
const RESOLVE_SCAN = 500;
/**
 * A surname stands for its most-mentioned bearer when that one is named in at least this many times as many articles
 * as the next: on Reuters, "Reagan" is Ronald Reagan (455 articles) beside misreadings such as "Besides Reagan" (1),
 * while "Baker" stays ambiguous (James Baker 195, Howard Baker 24). Chosen by reading the namesakes of the Reuters
 * person labels, not by any score.
 */
export const DOMINANT_FACTOR = 10;

/** Entity names, as autocomplete, query entity detection and the entity gauge ask them. */
export interface EntityNames {
  /** Entities whose name has a word starting with each word of `q` (case and accents folded), most articles first. */
  suggest(q: string, kind: EntityKind | undefined, limit: number): Promise<EntitySuggestion[]>;
  /** Entities whose canonical name is `text` once case, accents and punctuation are folded (any kind). */
  named(text: string): Promise<EntitySuggestion[]>;
  /** Distinct entities per kind. */
  counts(): Promise<Record<EntityKind, number>>;
  /** Articles mentioning each entity (0 for an unknown one), in the order asked: one map lookup each. */
  articlesOf(refs: readonly EntityKey[]): Promise<number[]>;
  /** What `text`, given as a filter on entities of `kind`, stands for (entity-port.ts). */
  resolve(kind: EntityKind, text: string): Promise<EntityResolution>;
}

/** An entity by kind and canonical name. */
export interface EntityKey {
  readonly kind: EntityKind;
  readonly name: string;
}

/** Suggestions answered per state of the list; the cache starts over when it is full. */
const SUGGESTION_CACHE_ENTRIES = 5_000;
/** While articles keep arriving, the most-articles-first order is redone at most this often (ms). */
const RESORT_EVERY_MS = 200;

const keyOf = (kind: string, name: string): string => `${kind}\u0000${name}`;
const byArticlesThenName = (a: Entry, b: Entry): number => b.articles - a.articles || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The entity names of the store with their article counts, as the index host keeps them (index-host.ts): built
 * from `ent_mentions` at start, then brought up to date article by article (`apply`, by article id) as the host
 * follows `ent_changes`, in the background. Before, every worker re-read the whole list (a GROUP BY over every
 * mention, a cost that grows with the corpus) on the first search after any commit, on the request path, and held its own copy.
 * New and vanished names are found at once; the most-articles-first order of autocomplete is redone when a
 * catch-up step ends (at most every {@link RESORT_EVERY_MS} ms during a long ingest, always once it is caught up).
 */
export class EntityNamesState implements EntityNames {
  private readonly entries = new Map<string, Entry>();
  private readonly byFolded = new Map<string, Entry[]>();
  /** Short name (surname…) → the entities it may stand for. */
  private readonly byKey = new Map<string, Entry[]>();
  /** Per article id, the keys of the entities it mentions as applied. */
  private readonly held = new Map<string, string[]>();
  private ordered: Entry[] = [];
  /** Entries made since `ordered` was last sorted, in the order they were made (the map's order). */
  private fresh: Entry[] = [];
  private dirty = false;
  private sortedAt = 0;
  private generation = 0;
  private readonly suggestions = new Map<string, EntitySuggestion[]>();
  private readonly all: Database.Statement;
  private readonly ofArticle: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly clock: () => number = () => performance.now(),
    private readonly aliases: AliasTable = defaultAliases(),
  ) {
    this.all = db.prepare('SELECT article_id, kind, name FROM ent_mentions ORDER BY article_id').raw();
    this.ofArticle = db.prepare('SELECT kind, name FROM ent_mentions WHERE article_id = ?').raw();
  }

  /** Replaces the list with every stored mention (call inside a read transaction). */
  rebuild(): void {
    this.entries.clear();
    this.byFolded.clear();
    this.byKey.clear();
    this.held.clear();
    this.ordered = [];
    this.fresh = [];
    for (const [id, kind, name] of this.all.iterate() as Iterable<[string, EntityKind, string]>) {
      const key = this.count(kind, name, 1);
      const keys = this.held.get(id);
      if (keys) keys.push(key);
      else this.held.set(id, [key]);
    }
    this.dirty = true;
    this.settle(true);
  }

  /** Log keys are article ids. */
  idOfKey(id: string): string {
    return id;
  }

  /** Makes the list count article `id`'s entities as stored now (none when it is gone). */
  apply(id: string): void {
    const before = this.held.get(id) ?? [];
    // the new mentions are counted before the old are taken away: an entity the article still names never drops to 0
    const after = (this.ofArticle.all(id) as [EntityKind, string][]).map(([kind, name]) => this.count(kind, name, 1));
    for (const key of before) {
      const entry = this.entries.get(key)!;
      this.count(entry.kind, entry.name, -1);
    }
    if (after.length === 0) this.held.delete(id);
    else this.held.set(id, after);
    this.dirty = true;
    this.generation++;
  }

  /** Redoes the autocomplete order when names changed (`final`: the host is caught up; else at most every 200 ms). */
  settle(final: boolean): void {
    if (!this.dirty) return;
    if (!final && this.clock() - this.sortedAt < RESORT_EVERY_MS) return;
    // The last order with the entries gone taken out and the new ones after it: the map's order, with each tie of
    // articles and name still in map order (the sort is stable), so the order is the one a sort of the map's values
    // gives; but nearly sorted already, which the sort (TimSort) runs through in a fraction of the time (a sort of
    // the whole map every 200 ms was a fifth of the work of applying a 1,000-article transaction).
    const live = (e: Entry) => e.articles > 0; // an entry at zero has left the map, never to come back (a new one does)
    this.ordered = [...this.ordered.filter(live), ...this.fresh.filter(live)].sort(byArticlesThenName);
    this.fresh = [];
    this.sortedAt = this.clock();
    this.dirty = false;
    this.generation++;
  }

  async suggest(q: string, kind: EntityKind | undefined, limit: number): Promise<EntitySuggestion[]> {
    return this.suggestNow(q, kind, limit);
  }

  suggestNow(q: string, kind: EntityKind | undefined, limit: number): EntitySuggestion[] {
    const cacheKey = `${this.generation}\u0000${kind ?? ''}\u0000${limit}\u0000${q}`;
    const cached = this.suggestions.get(cacheKey);
    if (cached) return cached;
    const wanted = tokenize(q);
    let out = this.completions(wanted, kind, limit);
    // nothing for "king fahd": the person as the store names them, without the title typed before ("Fahd")
    const untitled = withoutTitles(wanted);
    if (out.length === 0 && untitled !== wanted && (kind === undefined || kind === 'people')) out = this.completions(untitled, 'people', limit);
    if (this.suggestions.size >= SUGGESTION_CACHE_ENTRIES) this.suggestions.clear();
    this.suggestions.set(cacheKey, out);
    return out;
  }

  /** The first `limit` entities (of `kind`) with a word starting with each wanted word, most articles first. */
  private completions(wanted: readonly string[], kind: EntityKind | undefined, limit: number): EntitySuggestion[] {
    const out: EntitySuggestion[] = [];
    for (const e of this.ordered) {
      if (e.articles === 0 || (kind !== undefined && e.kind !== kind)) continue;
      if (!wanted.every((w) => e.words.some((x) => x.startsWith(w)))) continue;
      out.push({ kind: e.kind, name: e.name, articles: e.articles });
      if (out.length === limit) break;
    }
    return out;
  }

  async named(text: string): Promise<EntitySuggestion[]> {
    return this.namedNow(text);
  }

  namedNow(text: string): EntitySuggestion[] {
    return (this.byFolded.get(tokenize(text).join(' ')) ?? []).map((e) => ({ kind: e.kind, name: e.name, articles: e.articles }));
  }

  async articlesOf(refs: readonly EntityKey[]): Promise<number[]> {
    return this.articlesOfNow(refs);
  }

  articlesOfNow(refs: readonly EntityKey[]): number[] {
    return refs.map((r) => this.entries.get(keyOf(r.kind, r.name))?.articles ?? 0);
  }

  async resolve(kind: EntityKind, text: string): Promise<EntityResolution> {
    return this.resolveNow(kind, text);
  }

  /**
   * {@link resolve}, synchronously. Work is bounded: two map lookups, then at most {@link RESOLVE_SCAN} entries of
   * the short-name list (the entities sharing that surname), whatever the size of the corpus.
   */
  resolveNow(kind: EntityKind, text: string): EntityResolution {
    const folded = foldedName(text);
    const found = this.resolveFolded(kind, folded);
    if (found.match !== 'unknown' || kind !== 'people') return found;
    // "King Fahd", "President Reagan": the person without the title typed before the name
    const untitled = withoutTitles(folded.split(' ')).join(' ');
    if (untitled === folded) return found;
    const bare = this.resolveFolded(kind, untitled);
    return bare.match === 'name' ? { ...bare, match: 'alias' } : bare;
  }

  private resolveFolded(kind: EntityKind, folded: string): EntityResolution {
    if (folded === '') return { match: 'unknown' };
    let exact = this.ofKind(this.byFolded.get(folded), kind);
    let match: 'name' | 'alias' = 'name';
    const canonical = this.aliases.get(kind)?.get(folded);
    if (exact.length === 0 && canonical !== undefined) {
      exact = this.ofKind(this.byFolded.get(canonical), kind);
      match = 'alias';
    }
    const groups = this.namesakes(kind, folded, exact.length > 0 ? exact[0]!.folded : undefined);
    if (exact.length > 0) {
      // a lone surname stored as a name of its own is the one person of that surname, when there is one
      const withSurname = groups.length === 1 ? [...groups[0]!, ...exact] : exact;
      return { match, names: withSurname.map((e) => e.name) };
    }
    if (groups.length === 1) return { match: 'alias', names: groups[0]!.map((e) => e.name) };
    if (groups.length === 0) return { match: 'unknown' };
    const total = (g: readonly Entry[]) => g.reduce((n, e) => n + e.articles, 0);
    const ranked = groups.map((g) => ({ g, articles: total(g) })).sort((a, b) => b.articles - a.articles || (a.g[0]!.name < b.g[0]!.name ? -1 : 1));
    if (ranked[0]!.articles >= DOMINANT_FACTOR * ranked[1]!.articles) return { match: 'alias', names: ranked[0]!.g.map((e) => e.name) };
    const candidates = ranked.map(({ g, articles }) => ({ kind, name: g[0]!.name, articles }));
    return { match: 'ambiguous', candidates: candidates.slice(0, MAX_CANDIDATES), more: Math.max(0, candidates.length - MAX_CANDIDATES) };
  }

  /** Entities of `kind` in `list`, most articles first. */
  private ofKind(list: readonly Entry[] | undefined, kind: EntityKind): Entry[] {
    return (list ?? []).filter((e) => e.kind === kind).sort(byArticlesThenName);
  }

  /** The entities of `kind` that `key` is a short name of, grouped by folded name (each most articles first). */
  private namesakes(kind: EntityKind, key: string, except: string | undefined): Entry[][] {
    const groups = new Map<string, Entry[]>();
    for (const e of (this.byKey.get(key) ?? []).slice(0, RESOLVE_SCAN)) {
      if (e.kind !== kind || e.folded === except) continue;
      const g = groups.get(e.folded);
      if (g) g.push(e);
      else groups.set(e.folded, [e]);
    }
    return [...groups.values()].map((g) => g.sort(byArticlesThenName));
  }

  async counts(): Promise<Record<EntityKind, number>> {
    const out: Record<EntityKind, number> = { people: 0, orgs: 0, places: 0 };
    for (const e of this.entries.values()) out[e.kind] += 1;
    return out;
  }

  /** Adds `delta` articles to an entity (made on first use, dropped at zero); returns its key. */
  private count(kind: EntityKind, name: string, delta: number): string {
    const key = keyOf(kind, name);
    let entry = this.entries.get(key);
    if (!entry) {
      const words = tokenize(name);
      entry = { kind, name, words, folded: words.join(' '), keys: shortNameKeys(kind, name), articles: 0 };
      this.entries.set(key, entry);
      this.fresh.push(entry);
      for (const [map, k] of this.listsOf(entry)) {
        const same = map.get(k);
        if (same) same.push(entry);
        else map.set(k, [entry]);
      }
    }
    entry.articles += delta;
    if (entry.articles <= 0) {
      this.entries.delete(key);
      for (const [map, k] of this.listsOf(entry)) {
        const rest = (map.get(k) ?? []).filter((e) => e !== entry);
        if (rest.length === 0) map.delete(k);
        else map.set(k, rest);
      }
    }
    return key;
  }

  /** The lookup lists an entry belongs to: by folded name, and by each short name. */
  private listsOf(entry: Entry): [Map<string, Entry[]>, string][] {
    return [[this.byFolded, entry.folded], ...entry.keys.map((k): [Map<string, Entry[]>, string] => [this.byKey, k])];
  }
}
