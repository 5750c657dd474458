import type Database from 'better-sqlite3';
import type { EntityKind } from '../core/entities/gazetteer.js';
import { burstSeries, burstUnit, dayNumber } from '../core/trends/burst-series.js';
import type { Burst } from '../core/trends/bursts.js';
import { detectBursts } from '../core/trends/bursts.js';
import { sqlDay } from './entity-store.js';

/** Most bursts a profile lists: the heaviest, in time order. */
export const MAX_BURSTS = 20;
/** Most new companions listed per burst. */
export const BURST_COMPANIONS = 5;
/** Most new companions of the recent period. */
export const RECENT_COMPANIONS = 10;
/** The recent period: the last this many days of the entity's mentions, up to its newest dated article. */
export const RECENT_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * An entity named with this one for the first time in a period: `articles` naming both (all of them, as the related
 * list counts), `firstSeen` the date of the first (ISO 8601; undated articles are not counted).
 */
export interface NewCompanion {
  readonly kind: EntityKind;
  readonly name: string;
  readonly articles: number;
  readonly firstSeen: string;
}

/** A burst of an entity's mentions (core/trends/bursts.ts) with the entities first named with it during it. */
export interface EntityBurst extends Burst {
  readonly newCompanions: readonly NewCompanion[];
}

/** An entity's bursts, and the entities first named with it in its recent period ({@link RECENT_DAYS}). */
export interface EntityBursts {
  readonly bursts: readonly EntityBurst[];
  readonly newCompanions: readonly NewCompanion[];
}

/**
 * Bursts and new companions of one entity from the store's entity tables: the entity's mentions per day
 * (`ent_mentions`, one row per article naming it) against the corpus's articles per day (`ent_days`), between its
 * first and last dated mention; then one query for the companions whose first co-mention falls in each burst or in
 * the recent period (one pass over its co-mentions, as the related list's), at most {@link BURST_COMPANIONS} per
 * burst and {@link RECENT_COMPANIONS} recent, most shared articles first. The work
 * grows with the entity's own mentions and co-mentions (as its related list does) and its span in days, never with
 * the rest of the corpus.
 */
export class EntityBurstReader {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      mentions: db.prepare(`SELECT ${sqlDay('published_at')} AS day, count(*)
        FROM ent_mentions WHERE kind = ? AND name = ? AND published_at IS NOT NULL GROUP BY day`).raw(),
      totals: db.prepare('SELECT day, articles FROM ent_days WHERE day BETWEEN ? AND ?').raw(),
      // one pass over the co-mentions, as the related list's (the date read from this entity's own rows, so that the
      // other side stays within the article index): each companion's first dated co-mention and their shared articles; kept when that first falls in a period, the best per period by shared articles, then name
      companions: db.prepare(`WITH periods AS (
          SELECT CAST(key AS INTEGER) AS i, json_extract(value, '$[0]') AS start, json_extract(value, '$[1]') AS stop FROM json_each(?)),
        firsts AS (SELECT b.kind, b.name, min(a.published_at) AS first, count(*) AS n
          FROM ent_mentions a JOIN ent_mentions b ON b.article_id = a.article_id AND NOT (b.kind = a.kind AND b.name = a.name)
          WHERE a.kind = ? AND a.name = ? AND a.published_at IS NOT NULL GROUP BY b.kind, b.name)
        SELECT i, kind, name, first, n FROM (
          SELECT p.i, f.kind, f.name, f.first, f.n, row_number() OVER (PARTITION BY p.i ORDER BY f.n DESC, f.name, f.kind) AS rank
          FROM firsts f JOIN periods p ON f.first >= p.start AND f.first < p.stop)
        WHERE rank <= (CASE WHEN i = 0 THEN ? ELSE ? END) ORDER BY i, rank`).raw(),
    };
  }

  /** The bursts of the entity (the heaviest {@link MAX_BURSTS}, in time order), with new companions. */
  read(kind: EntityKind, name: string): EntityBursts {
    const mentions = this.statements.mentions.all(kind, name) as [number, number][];
    if (mentions.length === 0) return { bursts: [], newCompanions: [] };
    const bursts = this.detect(mentions);
    const days = mentions.map(([day]) => day);
    const first = Math.min(...days);
    const last = Math.max(...days);
    // period 0 is the recent one; burst k is period k + 1 (ms, end exclusive). A period the entity was not named
    // before has no new companions: every companion would be new, which says nothing (an empty period instead).
    const period = (from: number, to: number): [number, number] => (from > first ? [from * DAY_MS, (to + 1) * DAY_MS] : [0, 0]);
    const periods: [number, number][] = [period(last + 1 - RECENT_DAYS, last)];
    for (const b of bursts) periods.push(period(dayNumber(b.start), dayNumber(b.end)));
    const rows = this.statements.companions.all(JSON.stringify(periods), kind, name, RECENT_COMPANIONS, BURST_COMPANIONS) as [number, EntityKind, string, number, number][];
    const byPeriod = periods.map((): NewCompanion[] => []);
    for (const [i, k, n, first, articles] of rows) byPeriod[i]!.push({ kind: k, name: n, articles, firstSeen: new Date(first).toISOString() });
    return { bursts: bursts.map((b, i) => ({ ...b, newCompanions: byPeriod[i + 1]! })), newCompanions: byPeriod[0]! };
  }

  /** The entity's bursts alone (the heaviest {@link MAX_BURSTS}, in time order), without companions. */
  bursts(kind: EntityKind, name: string): Burst[] {
    return this.detect(this.statements.mentions.all(kind, name) as [number, number][]);
  }

  private detect(mentions: readonly [day: number, articles: number][]): Burst[] {
    if (mentions.length === 0) return [];
    const days = mentions.map(([day]) => day);
    const first = Math.min(...days);
    const last = Math.max(...days);
    const totals = this.statements.totals.all(first, last) as [number, number][];
    const all = detectBursts(burstSeries({ mentions, totals, unit: burstUnit(first, last) }));
    if (all.length <= MAX_BURSTS) return all;
    const heaviest = new Set([...all].sort((a, b) => b.weight - a.weight || a.start.localeCompare(b.start)).slice(0, MAX_BURSTS));
    return all.filter((b) => heaviest.has(b));
  }
}
