import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import type { EntityKind } from '../core/entities/gazetteer.js';
import { dayNumber, dayOf } from '../core/trends/burst-series.js';
import type { Burst } from '../core/trends/bursts.js';
import { EntityBurstReader } from '../entities/entity-bursts.js';

/** The entity a saved search follows the bursts of (`entityBursts`), by kind and canonical name. */
export interface BurstSubscription {
  readonly kind: EntityKind;
  readonly name: string;
}

/** A burst to tell a saved search of: the burst and the step's articles naming the entity within it. */
export interface BurstNotice {
  readonly searchId: string;
  readonly burst: Burst;
  readonly articles: readonly Article[];
}

/** Most articles of one step kept per subscription (a delivery lists at most this many). */
const ARTICLES_KEPT = 100;

const keyOf = (kind: EntityKind, name: string) => `${kind}\u0000${name}`;

/**
 * The saved searches that follow an entity's bursts, and what a matcher step tells them. An article of the step
 * that names a followed entity (in the saved search's logged range, as for queries) makes the matcher compute that
 * entity's bursts (entities/entity-bursts.ts, once per entity per step); each burst holding the publication day of
 * one of those articles is a notice, unless the saved search was already told of a burst overlapping it
 * (`alert_bursts`, see {@link BurstWatch.record}). So a saved search hears of a burst once, when a commit first puts
 * it in one, and again only for a later burst that does not overlap it.
 */
export class BurstWatch {
  private readonly byEntity = new Map<string, Map<string, number>>();
  private readonly bySearch = new Map<string, string>();
  private reader: EntityBurstReader | undefined;
  private readonly statements;
  private seen = new Map<string, { article: Article; seq: number }[]>();

  constructor(private readonly db: Database.Database) {
    this.statements = {
      overlapping: db.prepare('SELECT rowid FROM alert_bursts WHERE search_id = ? AND start <= ? AND end >= ? LIMIT 1').pluck(),
      widen: db.prepare('UPDATE alert_bursts SET start = min(start, ?), end = max(end, ?) WHERE rowid = ?'),
      add: db.prepare('INSERT INTO alert_bursts (search_id, start, end, notified_at) VALUES (?, ?, ?, ?)'),
    };
  }

  /** Saved searches following bursts. */
  get size(): number {
    return this.bySearch.size;
  }

  /** Follows `subscription` for saved search `id`, from the article change log's entry `fromSeq` on. */
  add(id: string, subscription: BurstSubscription, fromSeq: number): void {
    const key = keyOf(subscription.kind, subscription.name);
    let searches = this.byEntity.get(key);
    if (!searches) this.byEntity.set(key, (searches = new Map()));
    searches.set(id, fromSeq);
    this.bySearch.set(id, key);
  }

  /** Stops following for saved search `id` (removed). */
  remove(id: string): void {
    const key = this.bySearch.get(id);
    if (key === undefined) return;
    this.bySearch.delete(id);
    const searches = this.byEntity.get(key);
    searches?.delete(id);
    if (searches?.size === 0) this.byEntity.delete(key);
  }

  /** Notes an article of the step, logged at `seq`: the followed entities it names. */
  see(article: Article, seq: number): void {
    if (this.byEntity.size === 0 || article.publishedAt === undefined) return;
    for (const kind of ['people', 'orgs', 'places'] as const) {
      for (const name of article[kind] ?? []) {
        const key = keyOf(kind, name);
        const searches = this.byEntity.get(key);
        if (!searches || ![...searches.values()].some((from) => from < seq)) continue;
        let list = this.seen.get(key);
        if (!list) this.seen.set(key, (list = []));
        if (list.length < ARTICLES_KEPT) list.push({ article, seq });
      }
    }
  }

  /** The notices of the articles seen since the last call (each followed entity's bursts computed once). */
  take(): BurstNotice[] {
    const notices: BurstNotice[] = [];
    for (const [key, seen] of this.seen) {
      const [kind, name] = key.split('\u0000') as [EntityKind, string];
      // read only once a followed entity is named: a store without entity tables never needs them
      this.reader ??= new EntityBurstReader(this.db);
      for (const burst of this.reader.bursts(kind, name)) {
        const [from, to] = [dayNumber(burst.start), dayNumber(burst.end)];
        const inside = seen.filter(({ article }) => {
          const day = dayOf(Date.parse(article.publishedAt!));
          return day >= from && day <= to;
        });
        for (const [searchId, fromSeq] of this.byEntity.get(key) ?? []) {
          const articles = inside.filter((a) => a.seq > fromSeq).map((a) => a.article);
          if (articles.length > 0) notices.push({ searchId, burst, articles });
        }
      }
    }
    this.seen = new Map();
    return notices;
  }

  /**
   * Records a notice in the matcher's commit: true when the saved search has not been told of an overlapping burst
   * (a new one, to deliver); else the burst it was told of is widened to this one's days, and false.
   */
  record(notice: BurstNotice, now: number): boolean {
    const s = this.statements;
    const { start, end } = notice.burst;
    const told = s.overlapping.get(notice.searchId, end, start) as number | undefined;
    if (told !== undefined) {
      s.widen.run(start, end, told);
      return false;
    }
    s.add.run(notice.searchId, start, end, now);
    return true;
  }
}
