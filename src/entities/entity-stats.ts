import type Database from 'better-sqlite3';
import type { EntityKind } from '../core/entities/gazetteer.js';
import { tokenize } from '../core/normalize.js';
import type { EntityProfile, EntityReader, EntitySuggestion } from './entity-port.js';

interface Named extends EntitySuggestion {
  readonly words: readonly string[];
}

/** Profiles kept between two changes of the store; beyond this the cache starts over. */
const PROFILE_CACHE_ENTRIES = 5_000;

/** A name as lookups compare it: case, accents and punctuation folded, words joined by one space. */
const foldName = (text: string): string => tokenize(text).join(' ');

/** The cached answer for `key`, computed once; the cache starts over when it is full. */
function cached<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  if (cache.has(key)) return cache.get(key)!;
  const value = compute();
  if (cache.size >= PROFILE_CACHE_ENTRIES) cache.clear();
  cache.set(key, value);
  return value;
}

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

/**
 * Entity statistics read from the entity store (its tables in the store file). Autocomplete runs over an in-memory list of names
 * with article counts, rebuilt when the store has changed (`PRAGMA data_version` and this connection's changes); profiles are indexed
 * SQL queries.
 */
export class EntityStats implements EntityReader {
  private names: Named[] = [];
  private byFoldedName = new Map<string, EntitySuggestion[]>();
  /** Profiles answered since the store last changed (a profile is four indexed queries; a page shows the same few). */
  private readonly profiles = new Map<string, EntityProfile | undefined>();
  private readonly suggestions = new Map<string, EntitySuggestion[]>();
  private version = -1;
  private readonly dataVersion: Database.Statement;
  private readonly statements: Record<string, Database.Statement>;

  constructor(private readonly db: Database.Database) {
    this.dataVersion = db.prepare('SELECT (SELECT data_version FROM pragma_data_version) * 1000003 + total_changes()').pluck();
    this.statements = {
      all: db.prepare('SELECT kind, name, count(*) FROM ent_mentions GROUP BY kind, name').raw(),
      summary: db.prepare(`SELECT count(*) AS n, min(published_at) AS first, max(published_at) AS last
        FROM ent_mentions WHERE kind = ? AND name = ?`),
      timeline: db.prepare(`SELECT strftime('%Y-%m', published_at / 1000, 'unixepoch') AS month, count(*) AS n
        FROM ent_mentions WHERE kind = ? AND name = ? AND published_at IS NOT NULL GROUP BY month ORDER BY month`).raw(),
      related: db.prepare(`SELECT b.kind, b.name, count(*) AS n FROM ent_mentions a
        JOIN ent_mentions b ON b.article_id = a.article_id AND NOT (b.kind = a.kind AND b.name = a.name)
        WHERE a.kind = ? AND a.name = ? GROUP BY b.kind, b.name ORDER BY n DESC, b.name LIMIT ?`).raw(),
      latest: db.prepare(`SELECT r.article_id, r.title, r.published_at, r.source, r.url FROM ent_mentions m
        JOIN ent_articles r ON r.article_id = m.article_id WHERE m.kind = ? AND m.name = ?
        ORDER BY m.published_at DESC NULLS LAST, m.article_id LIMIT ?`).raw(),
    };
  }

  suggest(q: string, kind: EntityKind | undefined, limit: number): EntitySuggestion[] {
    this.refresh();
    return cached(this.suggestions, `${kind ?? ''}\u0000${limit}\u0000${q}`, () => this.scan(q, kind, limit));
  }

  named(text: string): EntitySuggestion[] {
    this.refresh();
    return this.byFoldedName.get(foldName(text)) ?? [];
  }

  private scan(q: string, kind: EntityKind | undefined, limit: number): EntitySuggestion[] {
    const wanted = tokenize(q);
    const out: EntitySuggestion[] = [];
    for (const e of this.names) {
      if (kind !== undefined && e.kind !== kind) continue;
      if (!wanted.every((w) => e.words.some((x) => x.startsWith(w)))) continue;
      out.push({ kind: e.kind, name: e.name, articles: e.articles });
      if (out.length === limit) break;
    }
    return out;
  }

  counts(): Record<EntityKind, number> {
    this.refresh();
    const out: Record<EntityKind, number> = { people: 0, orgs: 0, places: 0 };
    for (const e of this.names) out[e.kind] += 1;
    return out;
  }

  describe(kind: EntityKind, name: string, options: { related: number; latest: number }): EntityProfile | undefined {
    this.refresh();
    const key = `${kind}\u0000${name}\u0000${options.related}\u0000${options.latest}`;
    return cached(this.profiles, key, () => this.profile(kind, name, options));
  }

  private profile(kind: EntityKind, name: string, options: { related: number; latest: number }): EntityProfile | undefined {
    const s = this.statements;
    const summary = s.summary!.get(kind, name) as { n: number; first: number | null; last: number | null };
    if (summary.n === 0) return undefined;
    const timeline = (s.timeline!.all(kind, name) as [string, number][]).map(([month, articles]) => ({ month, articles }));
    const related = (s.related!.all(kind, name, options.related) as [EntityKind, string, number][]).map(
      ([k, n, articles]) => ({ kind: k, name: n, articles }),
    );
    const latest = (s.latest!.all(kind, name, options.latest) as [string, string, number | null, string | null, string | null][]).map(
      ([id, title, at, source, url]) => ({
        id,
        title,
        ...(at === null ? {} : { publishedAt: iso(at)! }),
        ...(source === null ? {} : { source }),
        ...(url === null ? {} : { url }),
      }),
    );
    return { kind, name, articles: summary.n, firstSeen: iso(summary.first), lastSeen: iso(summary.last), timeline, related, latest };
  }

  private refresh(): void {
    const version = this.dataVersion.get() as number;
    if (version === this.version) return;
    this.version = version;
    this.profiles.clear();
    this.suggestions.clear();
    const rows = this.statements.all!.all() as [EntityKind, string, number][];
    this.names = rows
      .map(([kind, name, articles]) => ({ kind, name, articles, words: tokenize(name) }))
      .sort((a, b) => b.articles - a.articles || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.byFoldedName = new Map();
    for (const e of this.names) {
      const key = e.words.join(' ');
      const list = this.byFoldedName.get(key) ?? [];
      list.push({ kind: e.kind, name: e.name, articles: e.articles });
      this.byFoldedName.set(key, list);
    }
  }
}
