import path from 'node:path';
import { z } from 'zod';

/**
 * The whole number `n` with its thousands grouped by commas ("65,535"), as `toLocaleString('en')` writes it, without it: that call
 * loads ICU's number-format data, ~5 MB of node's pages resident in every process of the service that only reads
 * its configuration (docs/BENCHMARKS.md, "Memory whatever WORKERS").
 */
export const groupDigits = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * A whole number from `min` (to `max` when given) read from a variable; every way of getting it wrong (not a number,
 * a fraction, out of range) gets the one message that says what is allowed.
 */
function wholeNumber(min: number, max?: number, unit = '') {
  const range = max === undefined ? `of at least ${groupDigits(min)}` : `from ${groupDigits(min)} to ${groupDigits(max)}`;
  const error = `must be a whole number ${range}${unit === '' ? '' : ` (${unit})`}`;
  const n = z.coerce.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? n : n.max(max, { error });
}

/** One of `values`, the message listing them all. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.map((v) => `"${v}"`).join(', ')}` });

const port = wholeNumber(0, 65_535);
const WORKERS_ALLOWED = 'must be "auto" (one per CPU core) or a whole number from 1 to 64';
const workerCount = z.coerce
  .number()
  .int({ error: WORKERS_ALLOWED })
  .min(1, { error: WORKERS_ALLOWED })
  .max(64, { error: WORKERS_ALLOWED });

/**
 * Every setting the service reads from the environment, with its default. Secrets have none. Unknown variables
 * are ignored (the environment holds much else).
 */
export const configSchema = z.object({
  PORT: port.default(3000).describe('HTTP port; 0 picks a free one'),
  HOST: z.string().min(1).default('127.0.0.1').describe('interface to listen on (0.0.0.0 in a container)'),
  DATA_DIR: z.string().min(1).default('data/store').describe('folder of the SQLite store (created when missing)'),
  SEARCH_ENGINE: oneOf(['sqlite', 'meilisearch']).default('sqlite').describe('keyword-search engine'),
  DEMO_DATA: z
    .string()
    .default('data/demo/articles.jsonl')
    .describe('articles indexed at start when the index is empty; "off" disables'),
  WORKERS: z
    .union([z.literal('auto'), workerCount], { error: WORKERS_ALLOWED })
    .default('auto')
    .describe('HTTP worker processes sharing the port; "auto" = one per CPU core'),
  SIMILARITY_IDF_EXPONENT: z.coerce
    .number({ error: 'must be a number above 0 and at most 2' })
    .gt(0, { error: 'must be a number above 0 and at most 2' })
    .max(2, { error: 'must be a number above 0 and at most 2' })
    .default(0.5)
    .describe('"more like this" idf exponent: 1 = scikit-learn\'s smoothed idf, 0.5 = its square root (see weighting.ts)'),
  SIMILARITY_CACHE_ENTRIES: wholeNumber(0)
    .default(20_000)
    .describe('"more like this" answers kept by the index host (one cache for the service) for repeated page views (0 disables)'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter((o) => o !== ''))
    .pipe(z.array(z.url({ error: 'each origin must be a URL such as https://news.example' })))
    .describe('comma-separated origins allowed to call the API from a browser'),
  RATE_LIMIT_PER_MINUTE: wholeNumber(0).default(6_000).describe('requests a minute per client address; 0 disables'),
  PUBLIC_RATE_LIMIT_PER_MINUTE: wholeNumber(0)
    .default(600)
    .describe('requests a minute per client address made with PUBLIC_API_KEY, counted apart; 0 disables'),
  TRUST_PROXY: wholeNumber(0, 10)
    .default(0)
    .describe('reverse proxies in front of the API: client addresses (for the rate limit) come from X-Forwarded-For'),
  REQUEST_TIMEOUT_MS: wholeNumber(100, undefined, 'milliseconds').default(10_000).describe('a request unanswered after this gets a 503'),
  WRITE_TIMEOUT_MS: wholeNumber(100, undefined, 'milliseconds').default(60_000).describe('an article or saved-search write (POST, DELETE) unanswered after this gets a 503: writes queue behind other writers'),
  MAX_BODY_BYTES: wholeNumber(1_024, undefined, 'bytes').default(10 * 1024 * 1024).describe('largest request body'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional().describe('needed for writes; unset: writes refused'),
  SEARCH_API_KEY: z.string().min(16, 'must be at least 16 characters').optional().describe('when set, /api reads need it'),
  PUBLIC_API_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .regex(/^[\x21-\x7e]+$/, 'may only contain printable ASCII without spaces (it travels in a header and in the pages)')
    .optional()
    .describe('public, read-only key written into the pages and widget.js: with SEARCH_API_KEY, it opens GET reads in JSON'),
  WEB_DIR: z
    .string()
    .min(1)
    .default('dist/web')
    .describe('folder of the built web front end (npm run build): search page at /, article and entity pages, widget.js'),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INDEXER_BUSY_TIMEOUT_MS: wholeNumber(0, undefined, 'milliseconds')
    .default(60_000)
    .describe("how long an indexer's write waits for another process's write to the same SQLite file (ms); beyond it the run stops, exit status 3"),
  MEILI_URL: z.url({ error: 'must be a URL such as http://meilisearch:7700' }).optional().describe('Meilisearch address, e.g. http://meilisearch:7700; required when SEARCH_ENGINE=meilisearch'),
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, 'may only contain A-Z, a-z, 0-9, "_" and "-" (at most 400)')
    .default('articles')
    .describe('Meilisearch index uid'),
  MEILI_MASTER_KEY: z
    .string()
    .min(16, 'must be at least 16 bytes (Meilisearch refuses shorter master keys in production)')
    .optional()
    .describe('master key: used only to find or create the search and admin keys through /keys'),
  MEILI_SEARCH_KEY: z.string().min(1).optional().describe('search-only key the API searches with (else bootstrapped)'),
  MEILI_ADMIN_KEY: z.string().min(1).optional().describe('admin key the indexer writes with (else bootstrapped)'),
  MEILI_TASK_TIMEOUT_MS: wholeNumber(100, undefined, 'milliseconds').default(60_000).describe('longest wait for one Meilisearch task'),
  MEILI_OUTBOX_DRAIN_MS: wholeNumber(0, undefined, 'milliseconds')
    .default(30_000)
    .describe("how long the indexer waits at the end of a run for its outbox operations to reach Meilisearch (ms); the API's primary delivers what is left"),
  MEILI_REQUEST_TIMEOUT_MS: wholeNumber(100, undefined, 'milliseconds')
    .default(5_000)
    .describe('a Meilisearch request unanswered by then fails (the API answers 503)'),
  MEILI_MIRROR: oneOf(['on', 'off'])
    .default('off')
    .describe('"on": an API replica that shares nothing but Meilisearch: DATA_DIR is its private cache, filled from Meilisearch (term vectors, entities, copy groups) and kept following it; no store shared with the indexer'),
  MEILI_MIRROR_LOOKBACK_MS: wholeNumber(0, undefined, 'milliseconds')
    .default(60_000)
    .describe('how far behind its cursor a mirror reads again (every 10 s) for documents stamped late by another writer (clock skew, sends racing)'),
  MEILI_TOMBSTONE_RETENTION_DAYS: wholeNumber(1, 3_650, 'days')
    .default(30)
    .describe('days a delete\'s tombstone is kept for replicas (pruned at most hourly by a writer); a replica stopped for longer checks every article it holds once when it comes back'),
  SYNONYMS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('JSON file of search synonyms in Meilisearch\'s format ({"word": ["also finds", …]}), in place of the built-in news aliases; pushed to Meilisearch\'s settings in that mode'),
  ANALYTICS: oneOf(['on', 'off']).default('on').describe('search and widget analytics (DATA_DIR/analytics.db); "off" records nothing'),
  ANALYTICS_RETENTION_DAYS: wholeNumber(1, 3_650, 'days').default(90).describe('analytics events older than this many days are deleted'),
  ANALYTICS_MAX_MB: wholeNumber(1, undefined, 'MB').default(1_024).describe('largest size of the analytics file (MB); beyond, events wait, then are dropped'),
  EVENTS_RATE_LIMIT_PER_MINUTE: wholeNumber(0)
    .default(120)
    .describe('POST /api/events beacons a minute per client address (no key needed); 0 disables'),
  ALERT_WEBHOOK_TIMEOUT_MS: wholeNumber(100, undefined, 'milliseconds')
    .default(10_000)
    .describe('a saved search\'s webhook unanswered after this fails, and is retried'),
  ALERT_WEBHOOK_ATTEMPTS: wholeNumber(1, 50).default(8).describe('tries of a webhook delivery before it is kept as a dead letter'),
  ALERT_RETRY_BASE_MS: wholeNumber(10, undefined, 'milliseconds')
    .default(1_000)
    .describe('wait before the first retry of a webhook delivery, doubled after each failure (at most 1 hour)'),
}).superRefine((config, ctx) => {
  if (config.SEARCH_ENGINE === 'meilisearch' && config.MEILI_URL === undefined) {
    ctx.addIssue({ code: 'custom', path: ['MEILI_URL'], message: 'is required when SEARCH_ENGINE=meilisearch' });
  }
  if (config.MEILI_MIRROR === 'on' && config.SEARCH_ENGINE !== 'meilisearch') {
    ctx.addIssue({ code: 'custom', path: ['MEILI_MIRROR'], message: 'needs SEARCH_ENGINE=meilisearch (a mirror follows Meilisearch)' });
  }
  // The public key is published in every page: were it another key too, that key would be public as well.
  for (const other of ['SEARCH_API_KEY', 'ADMIN_API_KEY'] as const) {
    if (config.PUBLIC_API_KEY !== undefined && config.PUBLIC_API_KEY === config[other]) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_API_KEY'], message: `must differ from ${other}: the public key is published in every page` });
    }
  }
});

export type Config = z.infer<typeof configSchema>;

/** A configuration that cannot be used; `problems` names every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * What a valid configuration may still get wrong, one sentence each, for the log at start: with SEARCH_API_KEY and no
 * PUBLIC_API_KEY the bundled pages and the widget cannot read; a PUBLIC_API_KEY without SEARCH_API_KEY changes nothing.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.SEARCH_API_KEY !== undefined && config.PUBLIC_API_KEY === undefined) {
    warnings.push('SEARCH_API_KEY is set without PUBLIC_API_KEY: the pages at / and widget.js have no key, so every read they make is refused (401)');
  }
  if (config.PUBLIC_API_KEY !== undefined && config.SEARCH_API_KEY === undefined) {
    warnings.push('PUBLIC_API_KEY is set without SEARCH_API_KEY: /api reads are open to everyone, with or without a key');
  }
  return warnings;
}

/** Variables holding keys: their values are never printed, not even in a configuration error. */
const isSecret = (name: string): boolean => name.endsWith('_KEY');

/** Reads the configuration from an environment, listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        const item = i.path.length > 1 ? ` (item ${i.path.slice(1).join('.')})` : '';
        const shown = isSecret(name) && set[name] !== undefined ? '(hidden)' : JSON.stringify(set[name]);
        return `${name}=${shown}${item}: ${i.message}`;
      }),
    );
  }
  return parsed.data;
}

/**
 * The store file inside DATA_DIR: articles (embedded engine), term vectors and entities, written together
 * (storage/open-store.ts), whichever search engine is configured.
 */
export const storeFile = (config: Config): string => path.join(config.DATA_DIR, 'newsfind.db');

/** The similarity store's file of the layout before one store file: merged into {@link storeFile} when found. */
export const similarityFile = (config: Config): string => path.join(config.DATA_DIR, 'similarity.db');
/** The entity store's file of the layout before one store file: merged into {@link storeFile} when found. */
export const entitiesFile = (config: Config): string => path.join(config.DATA_DIR, 'entities.db');
/** The indexer's own state (which source delivered which id, and its runs), beside the stores. */
export const indexerStateFile = (config: Config): string => path.join(config.DATA_DIR, 'indexer-state.db');
/** The analytics file every serving process writes its events to (src/analytics/analytics.ts says why one file). */
export const analyticsFile = (config: Config): string => path.join(config.DATA_DIR, 'analytics.db');
