import type { HttpOptions } from './http-client.js';
import { HttpClient } from './http-client.js';
import { RobotsRules } from './http-robots.js';
import type { Web } from './http-source.js';

/** The User-Agent sent by default: the indexer's name and version, and what it is for. */
export const DEFAULT_USER_AGENT = 'newsfind-indexer/0.1 (news search indexer; reads feeds, sitemaps and their pages)';

/** How HTTP(S) sources are fetched unless told otherwise (see main.ts for the options that change these). */
export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  userAgent: DEFAULT_USER_AGENT,
  timeoutMs: 30_000,
  maxBytes: 20 * 1024 * 1024,
  perHost: 2,
  hostDelayMs: 1_000,
  retries: 2,
  backoffMs: 1_000,
  maxRetryWaitMs: 60_000,
  maxRedirects: 5,
};

/** Whether a source given on the command line is an HTTP(S) URL (else a file or folder). */
export const isHttpSource = (source: string): boolean => /^https?:\/\//i.test(source);

/** A client and robots.txt rules over the defaults changed by `options`. */
export function createWeb(options: Partial<HttpOptions> = {}): Web {
  const client = new HttpClient({ ...DEFAULT_HTTP_OPTIONS, ...options });
  return { client, robots: new RobotsRules(client) };
}
