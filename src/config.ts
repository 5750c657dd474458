import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);

/**
 * Every setting the service reads from the environment, with its default. Secrets have none. Unknown variables
 * are ignored (the environment holds much else).
 */
export const configSchema = z.object({
  PORT: port.default(3000).describe('HTTP port; 0 picks a free one'),
  HOST: z.string().min(1).default('127.0.0.1').describe('interface to listen on (0.0.0.0 in a container)'),
  DATA_DIR: z.string().min(1).default('data/store').describe('folder of the SQLite store (created when missing)'),
  SEARCH_ENGINE: z.enum(['sqlite', 'meilisearch']).default('sqlite').describe('keyword-search engine'),
  DEMO_DATA: z
    .string()
    .default('data/demo/articles.jsonl')
    .describe('articles indexed at start when the index is empty; "off" disables'),
  WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)])
    .default('auto')
    .describe('HTTP worker processes sharing the port; "auto" = one per CPU core'),
  SIMILARITY_IDF_EXPONENT: z.coerce
    .number()
    .gt(0)
    .max(2)
    .default(0.5)
    .describe('"more like this" idf exponent: 1 = scikit-learn\'s smoothed idf, 0.5 = its square root (see weighting.ts)'),
  SIMILARITY_CACHE_ENTRIES: z.coerce
    .number()
    .int()
    .min(0)
    .default(20_000)
    .describe('"more like this" answers kept per process for repeated page views (0 disables)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VOCABULARY_REFRESH_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(2_000)
    .describe('how often, at most, typo tolerance picks up words written by another process (ms)'),
});

export type Config = z.infer<typeof configSchema>;

/** A configuration that cannot be used; `problems` names every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment, listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(set[String(i.path[0])])}: ${i.message}`));
  }
  return parsed.data;
}

/** The SQLite store's file inside DATA_DIR. */
export const storeFile = (config: Config): string => path.join(config.DATA_DIR, 'newsfind.db');

/** The similarity store's file inside DATA_DIR (kept whichever search engine is configured). */
export const similarityFile = (config: Config): string => path.join(config.DATA_DIR, 'similarity.db');
