/** The HTTP layer's limits and access rules; every field has a default (see src/config.ts for the variables). */
export interface HttpOptions {
  /** Origins allowed to call the API from a browser (CORS); empty: none. */
  readonly corsOrigins: readonly string[];
  /** Requests per minute per client address; 0 disables the limit. */
  readonly rateLimitPerMinute: number;
  /** A request still unanswered after this many milliseconds gets a 503 `timeout` problem. */
  readonly requestTimeoutMs: number;
  /**
   * The same for article and saved-search writes (POST /api/articles, DELETE /api/articles/:id, POST
   * /api/saved-searches, DELETE /api/saved-searches/:id): a write queues behind other writers (an indexer's
   * transactions) on the write thread, and a writer that queues must not be told it failed.
   */
  readonly writeTimeoutMs: number;
  /** Largest accepted request body, in bytes (413 beyond). */
  readonly maxBodyBytes: number;
  /** Reverse proxies in front of the API (Express's `trust proxy` hop count); 0: clients connect directly. */
  readonly trustProxy: number;
  /** Writes (POST/DELETE /api/articles) need this key; unset, they are refused. */
  readonly adminApiKey?: string | undefined;
  /** When set, every /api read needs this key (`Authorization: Bearer …` or `X-Api-Key`). */
  readonly searchApiKey?: string | undefined;
  /**
   * The public, read-only key the bundled pages and the widget send (written into them when served); with a
   * searchApiKey, it opens GET reads in JSON only (read-access.ts). Without one, reads are open anyway.
   */
  readonly publicApiKey?: string | undefined;
  /** Requests per minute per client address made with the public key, counted apart from rateLimitPerMinute; 0 disables. */
  readonly publicRateLimitPerMinute: number;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  corsOrigins: [],
  rateLimitPerMinute: 6_000,
  publicRateLimitPerMinute: 600,
  requestTimeoutMs: 10_000,
  writeTimeoutMs: 60_000,
  maxBodyBytes: 10 * 1024 * 1024,
  trustProxy: 0,
};
