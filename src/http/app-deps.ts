import type { SearchEngine } from '../engines/search-engine.js';

/** What the HTTP layer needs; the composition root (src/main.ts) or a test provides it. */
export interface AppDeps {
  readonly engine: SearchEngine;
  /** Monotonic clock in milliseconds. */
  readonly now: () => number;
  /** Where unexpected errors go. */
  readonly logError: (error: unknown) => void;
}
