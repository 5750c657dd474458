import { contentHash } from '../src/core/article.js';
import type { Article } from '../src/core/article.js';
import type { SearchEngine, WriteSummary } from '../src/engines/search-engine.js';
import type { ArticleWrites } from '../src/services/article-writes.js';
import type { SourceEntry } from './state.js';
import type { IndexerState } from './state.js';

/** Ids removed from every store per write. */
const DELETE_CHUNK = 500;

/** What a dry run found: articles that would be added, changed (same id, new content) or left unchanged. */
export interface DryRunCounts {
  added: number;
  changed: number;
  unchanged: number;
}

/**
 * An article without its copy group: a dry run writes no copy groups (the real write assigns one before it compares,
 * and an article whose text is unchanged keeps its group), so the stored group is left out of the comparison.
 */
const ungrouped = ({ copyGroup: _copyGroup, ...article }: Article): Article => article;

/**
 * An engine that answers writes by comparing with what the real engine holds (by content hash), and writes
 * nothing: `--dry-run` runs the whole pipeline through it. Reads pass through.
 */
export function dryRunEngine(engine: SearchEngine, counts: DryRunCounts): SearchEngine {
  const nothing: WriteSummary = { indexed: 0, unchanged: 0, deleted: 0 };
  return {
    upsert: async (articles: readonly Article[]) => {
      let indexed = 0;
      for (const article of articles) {
        const stored = await engine.get(article.id);
        if (stored === undefined) counts.added++;
        else if (contentHash(ungrouped(stored)) !== contentHash(ungrouped(article))) counts.changed++;
        else {
          counts.unchanged++;
          continue;
        }
        indexed++;
      }
      return { indexed, unchanged: articles.length - indexed, deleted: 0 };
    },
    delete: async () => nothing,
    clear: async () => nothing,
    get: (id) => engine.get(id),
    search: (request) => engine.search(request),
    allResults: (request, batch) => engine.allResults(request, batch),
    stats: () => engine.stats(),
    health: () => engine.health(),
    sync: () => engine.sync(),
    findsNamedEntities: () => engine.findsNamedEntities(),
    close: () => engine.close(),
  };
}

/**
 * The articles that disappeared from `sources`: ids recorded for them by earlier runs that this run did not
 * deliver (`seen` holds `source \0 id` of every article this run wrote or found unchanged, `seenIds` their ids).
 * `ids` are those that neither this run nor another recorded source still delivers — the ones to remove from the
 * indexes; `entries` are all the stale records.
 */
export function disappeared(
  state: IndexerState,
  sources: readonly string[],
  seen: { keys: ReadonlySet<string>; ids: ReadonlySet<string> },
): { ids: string[]; entries: SourceEntry[] } {
  const entries = sources.flatMap((source) =>
    state.idsOf(source).filter((id) => !seen.keys.has(`${source}\u0000${id}`)).map((id) => ({ source, id })),
  );
  const stale = new Set(entries.map((e) => `${e.source}\u0000${e.id}`));
  const ids = [...new Set(entries.map((e) => e.id))].filter((id) => !seen.ids.has(id) && !state.claimedElsewhere(id, stale));
  return { ids, entries };
}

/**
 * Removes the articles that disappeared from `sources` from every store (through the write path, a chunk at a
 * time), then from the state (in that order, so that a crash part-way leaves records that the next run prunes
 * again). Returns how many articles the engine removed.
 */
export async function prune(
  deps: { writes: Pick<ArticleWrites, 'delete'>; state: IndexerState },
  gone: { ids: readonly string[]; entries: readonly SourceEntry[] },
): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < gone.ids.length; i += DELETE_CHUNK) deleted += (await deps.writes.delete(gone.ids.slice(i, i + DELETE_CHUNK))).deleted;
  deps.state.forget(gone.entries);
  return deleted;
}
