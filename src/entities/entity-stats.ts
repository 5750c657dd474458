import type Database from 'better-sqlite3';
import type { EntityKind } from '../core/entities/gazetteer.js';
import { EntityBurstReader } from './entity-bursts.js';
import type { EntityKey, EntityNames } from './entity-names-state.js';
import { EntityNamesState } from './entity-names-state.js';
import type { EntityProfile, EntityReader, EntityResolution, EntitySuggestion } from './entity-port.js';

/** Profiles kept between two changes of the store; beyond this the cache starts over. */
const PROFILE_CACHE_ENTRIES = 5_000;

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
 * Entity statistics. Names (autocomplete, entity detection in queries, counts) come from `names`: in the service,
 * the index host's one list, kept current in the background (entity-names-state.ts). Profiles are indexed SQL
 * queries on this process's connection, cached until the store changes (`PRAGMA data_version` and this
 * connection's changes).
 */
export class EntityStats implements EntityReader {
  /** Profiles answered since the store last changed (a profile is six indexed queries; a page shows the same few). */
  private readonly profiles = new Map<string, EntityProfile | undefined>();
  private version = -1;
  private readonly dataVersion: Database.Statement;
  private readonly statements: Record<string, Database.Statement>;
  private readonly names: EntityNames;
  private readonly bursts: EntityBurstReader;

  /** `names` absent (tools and tests): a list of this connection's own, re-read whole when the store has changed. */
  constructor(
    private readonly db: Database.Database,
    names?: EntityNames,
  ) {
    this.dataVersion = db.prepare('SELECT (SELECT data_version FROM pragma_data_version) * 1000003 + total_changes()').pluck();
    this.names = names ?? this.ownNames();
    this.bursts = new EntityBurstReader(db);
    this.statements = {
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

  suggest(q: string, kind: EntityKind | undefined, limit: number): Promise<EntitySuggestion[]> {
    return this.names.suggest(q, kind, limit);
  }

  named(text: string): Promise<EntitySuggestion[]> {
    return this.names.named(text);
  }

  counts(): Promise<Record<EntityKind, number>> {
    return this.names.counts();
  }

  articlesOf(refs: readonly EntityKey[]): Promise<number[]> {
    return this.names.articlesOf(refs);
  }

  resolve(kind: EntityKind, text: string): Promise<EntityResolution> {
    return this.names.resolve(kind, text);
  }

  describe(kind: EntityKind, name: string, options: { related: number; latest: number }): EntityProfile | undefined {
    if (this.changed()) this.profiles.clear();
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
    const { bursts, newCompanions } = this.bursts.read(kind, name);
    return { kind, name, articles: summary.n, firstSeen: iso(summary.first), lastSeen: iso(summary.last), timeline, related, latest, bursts, newCompanions };
  }

  /** Whether the store changed since the last call. */
  private changed(): boolean {
    const version = this.dataVersion.get() as number;
    if (version === this.version) return false;
    this.version = version;
    return true;
  }

  /** A names list of this connection's own, rebuilt from the store when it changed (not the service's path). */
  private ownNames(): EntityNames {
    const state = new EntityNamesState(this.db);
    let seen = -1;
    const current = (): EntityNamesState => {
      const version = this.dataVersion.get() as number;
      if (version !== seen) {
        seen = version;
        this.db.transaction(() => state.rebuild())();
      }
      return state;
    };
    return {
      suggest: async (q, kind, limit) => current().suggestNow(q, kind, limit),
      named: async (text) => current().namedNow(text),
      counts: () => current().counts(),
      articlesOf: async (refs) => current().articlesOfNow(refs),
      resolve: async (kind, text) => current().resolveNow(kind, text),
    };
  }
}
