import type { Article } from '../core/article.js';
import type { SearchEngine } from '../engines/search-engine.js';
import type { ArticleWrites } from './article-writes.js';

/** Pages of ids that one store holds and another lacks (storage/store-mismatches.ts). */
export interface MismatchScan {
  /** The next ids after `after` (exclusive; '' to start), ascending, at most `limit`. */
  next(after: string, limit: number): string[];
  /** Those of `ids` that the local stores hold (a term vector or entity rows). */
  held(ids: readonly string[]): Set<string>;
}

/** The engine's own articles a page at a time (Meilisearch), to find those the local stores lack. */
export interface EngineDocuments {
  documents(offset: number, limit: number): Promise<Article[]>;
}

/** What a reconcile found and did. */
export interface ReconcileReport {
  /** Ids found in one store and not another. */
  readonly mismatched: number;
  /** Articles the engine holds whose missing parts (term vector, entities) were derived again from the article. */
  readonly healed: number;
  /** Ids the engine does not hold, whose leftover rows (term vector, entities) were removed. */
  readonly orphansRemoved: number;
  /**
   * Only when the engine's own documents were checked (Meilisearch, on demand): articles Meilisearch holds and the
   * local stores lack (a crash of a release before the outbox, between the task and the local commit), written
   * again through the write path.
   */
  readonly engineOnly?: number;
}

/** What reconcile reads and writes through. */
export interface ReconcileDeps {
  readonly engine: SearchEngine;
  readonly scan: MismatchScan;
  readonly writes: ArticleWrites;
  /** Given: Meilisearch's documents are read too (every one, a page at a time: on demand, not at start). */
  readonly engineDocuments?: EngineDocuments;
}

/** Ids per page of the scan (and per write). */
const PAGE = 200;

/** The article as sent, before the indexer added its entities and copy group (they are derived again). */
function asSent(article: Article): Article {
  const { people: _p, orgs: _o, places: _l, salience: _s, copyGroup: _g, ...rest } = article;
  return rest;
}

/**
 * Finds the articles that are in one store and not another (a write cut short before this release made writes
 * all or nothing, or, with Meilisearch, a crash between the engine's task and the local commit) and heals them:
 * an article the engine holds is written again with every part derived from it (each store keeps what it already
 * holds as is); an id the engine does not hold loses its leftover rows everywhere. With Meilisearch only the local
 * stores are compared (an article missing from both of them is not seen), and an article is read as the outbox's
 * pending operations leave it before Meilisearch is asked (engine-outbox.ts). Reads the ids a page at a time, so memory
 * stays flat; safe beside other writers (each heal is one write of the write path, re-checked by the engine).
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  let after = '';
  let mismatched = 0;
  let healed = 0;
  let orphansRemoved = 0;
  for (;;) {
    const ids = deps.scan.next(after, PAGE);
    if (ids.length === 0) break;
    mismatched += ids.length;
    after = ids.at(-1)!;
    const found = await Promise.all(ids.map((id) => deps.writes.read(id))); // with an outbox, as it will be
    const present = found.filter((a): a is Article => a !== undefined);
    const gone = ids.filter((_id, i) => found[i] === undefined);
    if (present.length > 0) await deps.writes.upsert(present.map(asSent), { force: true });
    if (gone.length > 0) await deps.writes.delete(gone);
    healed += present.length;
    orphansRemoved += gone.length;
  }
  const report = { mismatched, healed, orphansRemoved };
  return deps.engineDocuments ? { ...report, engineOnly: await healEngineOnly(deps, deps.engineDocuments) } : report;
}

/**
 * Pages through the engine's documents (offset order: documents added meanwhile may shift a page, which a second
 * run catches) and writes again those the local stores lack and the outbox has no pending operation for.
 */
async function healEngineOnly(deps: ReconcileDeps, engine: EngineDocuments): Promise<number> {
  let healed = 0;
  for (let offset = 0; ; offset += ENGINE_PAGE) {
    const page = await engine.documents(offset, ENGINE_PAGE);
    if (page.length === 0) return healed;
    const held = deps.scan.held(page.map((a) => a.id));
    const missing = [];
    for (const article of page) {
      if (held.has(article.id)) continue;
      const latest = await deps.writes.read(article.id); // a pending delete or newer upsert wins
      if (latest) missing.push(asSent(latest));
    }
    if (missing.length > 0) await deps.writes.upsert(missing, { force: true });
    healed += missing.length;
  }
}

/** Documents per page of the engine check. */
const ENGINE_PAGE = 1_000;
