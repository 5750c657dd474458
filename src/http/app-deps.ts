import type { Logger } from 'pino';
import type { SearchEngine } from '../engines/search-engine.js';
import type { EntityReader, EntityWriter } from '../entities/entity-port.js';
import type { IndexerRunsReader } from '../storage/indexer-runs.js';
import type { SimilarityReader, SimilarityWriter } from '../similarity/similarity-port.js';
import type { HttpOptions } from './http-options.js';

/** What the HTTP layer needs; the composition root (src/main.ts) or a test provides it. */
export interface AppDeps {
  readonly engine: SearchEngine;
  readonly similarity: SimilarityReader & SimilarityWriter;
  /** Entity statistics (autocomplete, profiles); the entity routes answer 404 route_not_found without them. */
  readonly entities?: EntityReader & EntityWriter;
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
}
