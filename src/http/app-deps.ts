import type { MirrorStatusReader } from '../services/mirror.js';
import type { CopyStore } from '../storage/copy-groups.js';
import type { Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { Analytics } from '../analytics/analytics.js';
import type { SavedSearches, SavedSearchWriter } from '../alerts/saved-searches.js';
import type { SearchEngine } from '../engines/search-engine.js';
import type { EntityReader, EntityWriter } from '../entities/entity-port.js';
import type { ArticleWriter } from '../services/article-writer.js';
import type { LocalStore } from '../services/article-writes.js';
import type { QuerySuggester } from '../services/suggest-queries.js';
import type { IndexerRunsReader } from '../storage/indexer-runs.js';
import type { SimilarityReader, SimilarityWriter } from '../similarity/similarity-port.js';
import type { StoryReader } from '../stories/story-port.js';
import type { HttpOptions } from './http-options.js';
import type { ServiceMetrics } from './metrics.js';

/** What the HTTP layer needs; the composition root (src/main.ts) or a test provides it. */
export interface AppDeps {
  readonly engine: SearchEngine;
  readonly similarity: SimilarityReader & SimilarityWriter;
  /** Entity statistics (autocomplete, profiles); the entity routes answer 404 route_not_found without them. */
  readonly entities?: EntityReader & EntityWriter;
  /** The search box's completions (the index host's, index-host/suggest-state.ts); `/api/suggest` answers 404 route_not_found without. */
  readonly suggestions?: QuerySuggester;
  /** Copy groups (storage/copy-groups.ts): written with each article (when the request writes itself) and the copies a collapsed search's hits stand for; none without. */
  readonly copies?: CopyStore;
  /** Story threads (the index host's, stories/story-state.ts); the story routes answer 404 route_not_found without. */
  readonly stories?: StoryReader;
  /**
   * The store file the similarity and entity stores (and, embedded, the engine) share: with it, an article write
   * is one transaction (services/article-writes.ts); without it (test rigs), the stores are written in turn.
   */
  readonly local?: LocalStore;
  /**
   * Who makes the writes of `POST` / `DELETE /api/articles`: the serving process's write thread
   * (storage/write-thread.ts); absent, they run in the request's own thread on the stores above.
   */
  readonly writer?: ArticleWriter;
  /**
   * MEILI_MIRROR=on: the replica's mirror of Meilisearch (storage/mirror-store.ts), its status shown by `/ready`
   * (`mirror: {cursorMs, lagSeconds, documents}`) and `/metrics` (`newsfind_mirror_*`).
   */
  readonly mirror?: MirrorStatusReader;
  /** The indexer's recorded runs (DATA_DIR/indexer-state.db), shown by /metrics; no indexer metrics without. */
  readonly indexerRuns?: IndexerRunsReader;
  /** Monotonic clock in milliseconds. */
  readonly now: () => number;
  /** Wall clock, ms since the epoch (freshness decay). */
  readonly clock: () => number;
  /** Where unexpected errors go. */
  readonly logError: (error: unknown) => void;
  /** Limits and access rules; defaults in http-options.ts. */
  readonly http?: Partial<HttpOptions>;
  /** Request logging (access-log.ts: one JSON line per request, with its id, never headers); none when absent. */
  readonly logger?: Logger;
  /** Folder of the built web front end (dist/web: pages, assets, widget.js); absent or missing: no pages served. */
  readonly webRoot?: string;
  /**
   * Where the per-client counts of a limit (`global`: RATE_LIMIT_PER_MINUTE, `public`: PUBLIC_RATE_LIMIT_PER_MINUTE)
   * are kept: the cluster primary when several workers serve (src/cluster/service-state.ts), so that a client gets
   * the limit once per service; absent, in this process's memory.
   */
  readonly rateLimitStore?: (limit: 'global' | 'public') => Store;
  /** The figures `/metrics` answers when several processes serve (src/cluster/service-metrics.ts); absent: this app's own. */
  readonly serviceMetrics?: ServiceMetrics;
  /** Search and widget analytics (src/analytics/): searches are recorded, beacons and reports served; none when absent. */
  readonly analytics?: Analytics;
  /** ANALYTICS_* settings the routes need: the beacon's per-client limit (default 120 a minute; 0 disables). */
  readonly eventsPerMinute?: number;
  /**
   * Saved searches and their alerts (src/alerts/, embedded engine): the `/api/saved-searches` routes and the alert
   * gauges of `/metrics`; without it, those routes answer 404 route_not_found.
   */
  readonly savedSearches?: SavedSearches;
  /**
   * Where saved-search writes are made: the API's write thread in a serving process (storage/write-thread.ts), so
   * that a write waiting for an indexer's lock holds no other request; absent, on `savedSearches` in this thread.
   */
  readonly savedSearchWriter?: SavedSearchWriter;
}
