import path from 'node:path';
import { ConfigError, configWarnings, loadConfig, storeFile } from '../src/config.js';

const problemsOf = (env: Record<string, string | undefined>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('when the environment sets nothing, then every setting has its default', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: 'data/store',
      SEARCH_ENGINE: 'sqlite',
      DEMO_DATA: 'data/demo/articles.jsonl',
      LOG_LEVEL: 'info',
      INDEXER_BUSY_TIMEOUT_MS: 60000,
      WORKERS: 'auto',
      SIMILARITY_IDF_EXPONENT: 0.5,
      SIMILARITY_CACHE_ENTRIES: 20000,
      CORS_ORIGINS: [],
      RATE_LIMIT_PER_MINUTE: 6000,
      PUBLIC_RATE_LIMIT_PER_MINUTE: 600,
      TRUST_PROXY: 0,
      REQUEST_TIMEOUT_MS: 10000,
      WRITE_TIMEOUT_MS: 60000,
      MAX_BODY_BYTES: 10485760,
      MEILI_INDEX: 'articles',
      MEILI_TASK_TIMEOUT_MS: 60000,
      MEILI_TOMBSTONE_RETENTION_DAYS: 30,
      MEILI_MIRROR: 'off',
      MEILI_MIRROR_LOOKBACK_MS: 60_000,
      MEILI_OUTBOX_DRAIN_MS: 30_000,
      MEILI_REQUEST_TIMEOUT_MS: 5000,
      WEB_DIR: 'dist/web',
      ANALYTICS: 'on',
      ANALYTICS_RETENTION_DAYS: 90,
      ANALYTICS_MAX_MB: 1024,
      EVENTS_RATE_LIMIT_PER_MINUTE: 120,
      ALERT_WEBHOOK_TIMEOUT_MS: 10_000,
      ALERT_WEBHOOK_ATTEMPTS: 8,
      ALERT_RETRY_BASE_MS: 1_000,
    });
  });

  it('when variables are empty or undefined, then the defaults apply', () => {
    expect(loadConfig({ PORT: '', HOST: '', DATA_DIR: undefined })).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: 'data/store',
    });
  });

  it('when variables are set, then they are read and numbers are converted', () => {
    expect(
      loadConfig({
        PORT: '0',
        HOST: '0.0.0.0',
        DATA_DIR: '/var/lib/newsfind',
        SEARCH_ENGINE: 'meilisearch',
        DEMO_DATA: 'off',
        LOG_LEVEL: 'silent',
        INDEXER_BUSY_TIMEOUT_MS: '0',
        WORKERS: '3',
        MEILI_URL: 'http://meilisearch:7700',
        MEILI_INDEX: 'news_2026',
        MEILI_TASK_TIMEOUT_MS: '1000',
      }),
    ).toEqual({
      PORT: 0,
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/newsfind',
      SEARCH_ENGINE: 'meilisearch',
      DEMO_DATA: 'off',
      LOG_LEVEL: 'silent',
      INDEXER_BUSY_TIMEOUT_MS: 0,
      WORKERS: 3,
      SIMILARITY_IDF_EXPONENT: 0.5,
      SIMILARITY_CACHE_ENTRIES: 20000,
      CORS_ORIGINS: [],
      RATE_LIMIT_PER_MINUTE: 6000,
      PUBLIC_RATE_LIMIT_PER_MINUTE: 600,
      TRUST_PROXY: 0,
      REQUEST_TIMEOUT_MS: 10000,
      WRITE_TIMEOUT_MS: 60000,
      MAX_BODY_BYTES: 10485760,
      MEILI_URL: 'http://meilisearch:7700',
      MEILI_INDEX: 'news_2026',
      MEILI_TASK_TIMEOUT_MS: 1000,
      MEILI_TOMBSTONE_RETENTION_DAYS: 30,
      MEILI_MIRROR: 'off',
      MEILI_MIRROR_LOOKBACK_MS: 60_000,
      MEILI_OUTBOX_DRAIN_MS: 30_000,
      MEILI_REQUEST_TIMEOUT_MS: 5000,
      WEB_DIR: 'dist/web',
      ANALYTICS: 'on',
      ANALYTICS_RETENTION_DAYS: 90,
      ANALYTICS_MAX_MB: 1024,
      EVENTS_RATE_LIMIT_PER_MINUTE: 120,
      ALERT_WEBHOOK_TIMEOUT_MS: 10_000,
      ALERT_WEBHOOK_ATTEMPTS: 8,
      ALERT_RETRY_BASE_MS: 1_000,
    });
  });

  it('when SEARCH_ENGINE is meilisearch without MEILI_URL, then MEILI_URL is reported missing', () => {
    expect(problemsOf({ SEARCH_ENGINE: 'meilisearch' })).toEqual([expect.stringMatching(/^MEILI_URL=undefined: .*required/)]);
    expect(problemsOf({ SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'not a url', MEILI_INDEX: 'a/b' })).toEqual([
      expect.stringMatching(/^MEILI_URL="not a url": /),
      expect.stringMatching(/^MEILI_INDEX="a\/b": /),
    ]);
  });

  it('when MEILI_MIRROR is on without Meilisearch, or not on/off, then it is reported', () => {
    expect(problemsOf({ MEILI_MIRROR: 'on' })).toEqual([expect.stringMatching(/^MEILI_MIRROR="on": needs SEARCH_ENGINE=meilisearch/)]);
    expect(problemsOf({ SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'http://m:7700', MEILI_MIRROR: 'yes' })).toEqual([expect.stringMatching(/^MEILI_MIRROR="yes": /)]);
    expect(loadConfig({ SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'http://m:7700', MEILI_MIRROR: 'on' }).MEILI_MIRROR).toBe('on');
  });

  it('when a key variable is invalid, then the problem names it without printing its value', () => {
    const problems = problemsOf({ MEILI_MASTER_KEY: 'short-secret', ADMIN_API_KEY: 'tiny-admin' });
    expect(problems).toEqual([
      expect.stringMatching(/^ADMIN_API_KEY=\(hidden\): /),
      expect.stringMatching(/^MEILI_MASTER_KEY=\(hidden\): /),
    ]);
    expect(problems.join('\n')).not.toMatch(/short-secret|tiny-admin/);
  });

  it('when PUBLIC_API_KEY is short, not printable ASCII, or equal to the search or admin key, then it is refused without printing any key', () => {
    const search = 'the-search-key-0123456789';
    const admin = 'the-admin-key-0123456789';
    expect(problemsOf({ PUBLIC_API_KEY: 'short-public' })).toEqual([expect.stringMatching(/^PUBLIC_API_KEY=\(hidden\): .*16/)]);
    expect(problemsOf({ PUBLIC_API_KEY: 'a public key with spaces' })).toEqual([expect.stringMatching(/^PUBLIC_API_KEY=\(hidden\): .*ASCII/)]);
    expect(problemsOf({ PUBLIC_API_KEY: 'clé-publique-0123456789' })).toEqual([expect.stringMatching(/^PUBLIC_API_KEY=\(hidden\): .*ASCII/)]);
    const same = problemsOf({ SEARCH_API_KEY: search, ADMIN_API_KEY: admin, PUBLIC_API_KEY: search });
    expect(same).toEqual([expect.stringMatching(/^PUBLIC_API_KEY=\(hidden\): must differ from SEARCH_API_KEY/)]);
    expect(problemsOf({ ADMIN_API_KEY: admin, PUBLIC_API_KEY: admin })).toEqual([
      expect.stringMatching(/^PUBLIC_API_KEY=\(hidden\): must differ from ADMIN_API_KEY/),
    ]);
    expect(same.join('\n')).not.toContain(search);
    expect(loadConfig({ SEARCH_API_KEY: search, PUBLIC_API_KEY: 'the-public-key-0123456789', PUBLIC_RATE_LIMIT_PER_MINUTE: '0' })).toMatchObject({
      PUBLIC_API_KEY: 'the-public-key-0123456789',
      PUBLIC_RATE_LIMIT_PER_MINUTE: 0,
    });
  });

  it('when SEARCH_API_KEY is set without PUBLIC_API_KEY (or the reverse), then a warning says what the pages can read', () => {
    const search = 'the-search-key-0123456789';
    const open = 'the-public-key-0123456789';
    expect(configWarnings(loadConfig({}))).toEqual([]);
    expect(configWarnings(loadConfig({ SEARCH_API_KEY: search, PUBLIC_API_KEY: open }))).toEqual([]);
    expect(configWarnings(loadConfig({ SEARCH_API_KEY: search }))).toEqual([expect.stringMatching(/without PUBLIC_API_KEY: the pages .* refused \(401\)/)]);
    expect(configWarnings(loadConfig({ PUBLIC_API_KEY: open }))).toEqual([expect.stringMatching(/without SEARCH_API_KEY: \/api reads are open/)]);
    expect(configWarnings(loadConfig({ SEARCH_API_KEY: search })).join('')).not.toContain(search);
  });

  it('when unknown variables are set, then they are ignored', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  it('when a variable no longer read (VOCABULARY_REFRESH_MS) is still set, then it is ignored, whatever its value', () => {
    expect(loadConfig({ VOCABULARY_REFRESH_MS: 'soon' })).not.toHaveProperty('VOCABULARY_REFRESH_MS');
  });

  it('when several variables are invalid, then one ConfigError lists every one, naming each variable', () => {
    const problems = problemsOf({
      PORT: 'abc',
      SEARCH_ENGINE: 'elastic',
      LOG_LEVEL: 'loud',
      INDEXER_BUSY_TIMEOUT_MS: '-1',
      HOST: 'localhost',
    });
    expect(problems).toHaveLength(4);
    expect(problems).toEqual([
      expect.stringMatching(/^PORT="abc": /),
      expect.stringMatching(/^SEARCH_ENGINE="elastic": /),
      expect.stringMatching(/^LOG_LEVEL="loud": /),
      expect.stringMatching(/^INDEXER_BUSY_TIMEOUT_MS="-1": /),
    ]);
  });

  it('when the configuration is invalid, then the error message lists every problem too', () => {
    expect(() => loadConfig({ PORT: '70000', INDEXER_BUSY_TIMEOUT_MS: '1.5' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(/PORT="70000"[\s\S]*INDEXER_BUSY_TIMEOUT_MS="1.5"/),
      }),
    );
  });

  it.each([
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['INDEXER_BUSY_TIMEOUT_MS', 'soon'],
    ['WORKERS', '0'],
    ['CORS_ORIGINS', 'not a url'],
    ['SEARCH_API_KEY', 'short'],
    ['PUBLIC_API_KEY', 'short'],
    ['PUBLIC_RATE_LIMIT_PER_MINUTE', '-1'],
    ['SIMILARITY_IDF_EXPONENT', '0'],
    ['WORKERS', 'many'],
    ['SEARCH_ENGINE', 'SQLITE'],
    ['LOG_LEVEL', 'verbose'],
  ])('when %s is %p, then it is refused by name', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(new RegExp(`^${name}=`))]);
  });

  it.each([
    ['WORKERS', 'x', 'must be "auto" (one per CPU core) or a whole number from 1 to 64'],
    ['WORKERS', '65', 'must be "auto" (one per CPU core) or a whole number from 1 to 64'],
    ['PORT', 'abc', 'must be a whole number from 0 to 65,535'],
    ['PORT', '80.5', 'must be a whole number from 0 to 65,535'],
    ['SEARCH_ENGINE', 'elastic', 'must be one of: "sqlite", "meilisearch"'],
    ['LOG_LEVEL', 'verbose', 'must be one of: "fatal", "error", "warn", "info", "debug", "trace", "silent"'],
    ['ANALYTICS', 'yes', 'must be one of: "on", "off"'],
    ['TRUST_PROXY', '11', 'must be a whole number from 0 to 10'],
    ['REQUEST_TIMEOUT_MS', 'soon', 'must be a whole number of at least 100 (milliseconds)'],
    ['WRITE_TIMEOUT_MS', '50', 'must be a whole number of at least 100 (milliseconds)'],
    ['RATE_LIMIT_PER_MINUTE', '-1', 'must be a whole number of at least 0'],
    ['ANALYTICS_RETENTION_DAYS', '0', 'must be a whole number from 1 to 3,650 (days)'],
    ['SIMILARITY_IDF_EXPONENT', 'two', 'must be a number above 0 and at most 2'],
    ['MEILI_URL', 'nope', 'must be a URL such as http://meilisearch:7700'],
  ])('when %s is %p, then the problem says what is allowed', (name, value, allowed) => {
    expect(problemsOf({ [name]: value })).toEqual([`${name}=${JSON.stringify(value)}: ${allowed}`]);
  });

  // Product bug: z.coerce.number turns "  " into 0, so a blank-looking PORT silently listens on a random port.
  it('when PORT is only spaces, then it is not read as port 0', () => {
    let port: number | undefined;
    try {
      port = loadConfig({ PORT: '  ' }).PORT;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
    }
    expect(port).not.toBe(0);
  });
});

describe('storeFile', () => {
  it('when DATA_DIR is set, then the store is newsfind.db inside it', () => {
    expect(storeFile(loadConfig({ DATA_DIR: '/srv/data' }))).toBe(path.join('/srv/data', 'newsfind.db'));
  });
});
