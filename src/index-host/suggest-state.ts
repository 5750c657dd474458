import type Database from 'better-sqlite3';
import type { EntityKind } from '../core/entities/gazetteer.js';
import type { SuggestLimits, Suggestion } from '../core/suggest/suggest-index.js';
import { SuggestIndex } from '../core/suggest/suggest-index.js';

/**
 * The search box's completions as the index host keeps them (index-host.ts): a {@link SuggestIndex} built from the
 * store at start — titles from `sim_docs` (there on both engines), entity names from `ent_mentions` — then brought
 * up to date article by article (`apply`, by id) as the host follows the change logs, in the background. A lookup
 * never reads the store.
 */
export class SuggestState {
  private index: SuggestIndex;
  private readonly title: Database.Statement;
  private readonly mentions: Database.Statement;
  private readonly titles: Database.Statement;
  private readonly allMentions: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly limits: SuggestLimits = {},
  ) {
    this.index = new SuggestIndex(limits);
    this.title = db.prepare('SELECT title FROM sim_docs WHERE id = ?').pluck();
    this.mentions = db.prepare('SELECT kind, name FROM ent_mentions WHERE article_id = ?').raw();
    // oldest first, so that the latest arrivals are the titles kept (pk: arrival order of the row)
    this.titles = db.prepare('SELECT id, title FROM sim_docs ORDER BY pk').raw();
    this.allMentions = db.prepare('SELECT article_id, kind, name FROM ent_mentions').raw();
  }

  /** Replaces the index with every stored article (call inside a read transaction). */
  rebuild(): void {
    const mentions = new Map<string, { kind: EntityKind; name: string }[]>();
    for (const [id, kind, name] of this.allMentions.iterate() as Iterable<[string, EntityKind, string]>) {
      const list = mentions.get(id);
      if (list) list.push({ kind, name });
      else mentions.set(id, [{ kind, name }]);
    }
    const index = new SuggestIndex(this.limits);
    for (const [id, title] of this.titles.iterate() as Iterable<[string, string | null]>) {
      index.set(id, { title: title ?? '', entities: mentions.get(id) ?? [] });
      mentions.delete(id);
    }
    for (const [id, entities] of mentions) index.set(id, { title: '', entities }); // entities of an article without a vector
    this.index = index;
  }

  /** Log keys are article ids (sim_changes, ent_changes). */
  idOfKey(id: string): string {
    return id;
  }

  /** Makes the index hold article `id` as stored now (gone from both tables: removed). */
  apply(id: string): void {
    const title = this.title.get(id) as string | null | undefined;
    const entities = (this.mentions.all(id) as [EntityKind, string][]).map(([kind, name]) => ({ kind, name }));
    this.index.set(id, title === undefined && entities.length === 0 ? undefined : { title: title ?? '', entities });
  }

  suggest(q: string, limit: number): Suggestion[] {
    return this.index.suggest(q, limit);
  }
}
