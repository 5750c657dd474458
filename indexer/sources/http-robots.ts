import robotsParserModule from 'robots-parser';
import type { HttpClient } from './http-client.js';
import { HttpFetchError } from './http-client.js';

/** robots-parser is CommonJS whose types say `export default`: in ESM the default import is the function itself. */
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;
type Robots = ReturnType<typeof robotsParser>;

/** How long a host's robots.txt is trusted before it is read again, in ms (RFC 9309 §2.4: at most 24 h is advised). */
const ROBOTS_TTL_MS = 60 * 60 * 1000;
/** Hosts whose robots.txt is remembered at most (the oldest is forgotten first). */
const MAX_HOSTS = 1_000;

/**
 * robots.txt, as RFC 9309 says and robots-parser reads it, for the pages the indexer fetches (--fetch-pages): read
 * once per origin and kept for an hour. A missing file (4xx) allows everything; a file that cannot be had (5xx,
 * network, time-out) disallows everything for now, so that a host that is down is not crawled blind.
 */
export class RobotsRules {
  /** Rules by origin, as promises so that pages fetched at once share one read of their robots.txt. */
  private readonly byOrigin = new Map<string, { robots: Promise<Robots | 'all' | 'none'>; until: number }>();

  constructor(
    private readonly client: HttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws an {@link HttpFetchError} (`robots`) when the page's robots.txt disallows it for this User-Agent. */
  async check(url: string, signal?: AbortSignal): Promise<void> {
    const origin = new URL(url).origin;
    const rules = await this.rulesOf(origin, signal);
    const agent = this.client.options.userAgent;
    if (rules === 'none' || (rules !== 'all' && rules.isDisallowed(url, agent) === true)) {
      throw new HttpFetchError('robots', `${url}: disallowed by ${origin}/robots.txt${rules === 'none' ? ' (it could not be read)' : ''}`);
    }
  }

  private rulesOf(origin: string, signal: AbortSignal | undefined): Promise<Robots | 'all' | 'none'> {
    const known = this.byOrigin.get(origin);
    if (known !== undefined && known.until > this.now()) return known.robots;
    const robots = this.read(origin, signal);
    this.byOrigin.delete(origin);
    if (this.byOrigin.size >= MAX_HOSTS) this.byOrigin.delete(this.byOrigin.keys().next().value!);
    this.byOrigin.set(origin, { robots, until: this.now() + ROBOTS_TTL_MS });
    return robots;
  }

  private async read(origin: string, signal: AbortSignal | undefined): Promise<Robots | 'all' | 'none'> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const fetched = await this.client.get(robotsUrl, { accept: 'text/plain', ...(signal === undefined ? {} : { signal }) });
      return robotsParser(robotsUrl, (fetched.body ?? Buffer.alloc(0)).toString('utf8'));
    } catch (error) {
      const status = error instanceof HttpFetchError ? error.details.status : undefined;
      return status !== undefined && status >= 400 && status < 500 ? 'all' : 'none';
    }
  }
}
