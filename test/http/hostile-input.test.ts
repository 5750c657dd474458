import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { createApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/app-deps.js';
import { REDACTED, redactUrl } from '../../src/http/redact-url.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';

const ADMIN = 'an-admin-key-long-enough';
const KEY = 'a-search-key-of-some-length';
const ORIGIN = 'https://news.example';
const PROBLEM_JSON = /^application\/problem\+json/;

const STORIES = [
  makeArticle({ id: 'ember-eruption', title: 'Volcano on Ember Isle erupts again', body: 'Lava from the Ember Isle volcano reached the shore.' }),
  makeArticle({ id: 'ember-ash', title: 'Ash from the Ember Isle volcano closes schools', body: 'Volcano ash fell on the villages of Ember Isle.' }),
];

interface LogLine {
  level: number;
  msg: string;
  status?: number;
  url?: string;
  err?: unknown;
}

/** A built front end in miniature, so that the page routes exist. */
function webRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-hostile-'));
  for (const page of ['index', 'article', 'entity']) fs.writeFileSync(path.join(dir, `${page}.html`), `<!doctype html><title>${page}</title>`);
  return dir;
}

/** An app over two indexed stories, with its unexpected errors and its log lines collected. */
async function appWith(overrides: Partial<AppDeps> = {}) {
  const engine = SqliteEngine.open({ file: ':memory:' });
  const similarity = Similarity.open(':memory:', { serve: true });
  const entities = Entities.open(':memory:');
  await ingestArticles({ engine, similarity, entities }, STORIES.map((value, i) => ({ location: `s${i}`, value })));
  const errors: unknown[] = [];
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
  const app = createApp({
    engine,
    similarity,
    entities,
    now: () => performance.now(),
    clock: () => Date.now(),
    logError: (e) => errors.push(e),
    logger: pino({ level: 'debug' }, sink),
    ...overrides,
  });
  const log = () => lines.map((l) => JSON.parse(l) as LogLine);
  return { app, errors, log, rawLog: () => lines.join('') };
}

const problem = (res: request.Response) => JSON.parse(res.text) as { code: string; status: number; detail: string; instance?: string };
const varies = (res: request.Response) =>
  String(res.headers['vary'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes('origin');

describe('Vary and Cache-Control: cached answers never cross origins or keys', () => {
  it('when CORS origins are listed, then every answer varies on Origin: without one, from another origin, 304s and problems', async () => {
    const { app } = await appWith({ http: { corsOrigins: [ORIGIN] } });
    const plain = await request(app).get('/api/articles/ember-eruption/similar');
    expect(plain.status).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    expect(varies(plain)).toBe(true);
    const listed = await request(app).get('/api/articles/ember-eruption/similar').set('Origin', ORIGIN);
    expect(listed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(varies(listed)).toBe(true);
    const unchanged = await request(app).get('/api/articles/ember-eruption/similar').set('If-None-Match', String(plain.headers['etag']));
    expect(unchanged.status).toBe(304);
    expect(varies(unchanged)).toBe(true);
    const other = await request(app).get('/api/articles/ember-eruption/similar').set('Origin', 'https://elsewhere.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(varies(other)).toBe(true);
    const missing = await request(app).get('/api/articles/no-such-article');
    expect(missing.status).toBe(404);
    expect(varies(missing)).toBe(true);
  });

  it('when reads need SEARCH_API_KEY, then /similar answers are private (no shared cache), still with an ETag and 304s', async () => {
    const { app } = await appWith({ http: { searchApiKey: KEY } });
    const first = await request(app).get('/api/articles/ember-eruption/similar').set('X-Api-Key', KEY);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toMatch(/^private, max-age=\d+/);
    expect(first.headers['etag']).toBeDefined();
    const again = await request(app).get('/api/articles/ember-eruption/similar').set('X-Api-Key', KEY).set('If-None-Match', String(first.headers['etag']));
    expect(again.status).toBe(304);
    expect(again.headers['cache-control']).toMatch(/^private/);
    const open = await appWith();
    expect((await request(open.app).get('/api/articles/ember-eruption/similar')).headers['cache-control']).toMatch(/^public, max-age=\d+/);
  });
});

describe('malformed input that is the client\'s fault: a 4xx problem, never a logged 500', () => {
  /** No unexpected error reported and no stack in the log: a refusal is logged at info by the access log only. */
  const expectQuietLog = ({ errors, log }: Awaited<ReturnType<typeof appWith>>) => {
    expect(errors).toEqual([]);
    for (const line of log()) {
      expect(line.level).toBeLessThanOrEqual(30);
      expect(line.err).toBeUndefined();
    }
  };

  it('when a path parameter is not valid percent-encoding, then every route that has one answers 400 invalid_request', async () => {
    const built = await appWith({ webRoot: webRoot(), http: { adminApiKey: ADMIN } });
    const gets = ['/api/articles/%FF', '/api/articles/%FF/similar', '/api/entities/person/%FF', '/article/%FF', '/entity/person/%FF', '/entity/%E0%A4/x'];
    const answers = [...(await Promise.all(gets.map((url) => request(built.app).get(url)))), await request(built.app).delete('/api/articles/%FF').set('X-Api-Key', ADMIN)];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(problem(res)).toMatchObject({ code: 'invalid_request', status: 400, detail: expect.stringMatching(/percent-encoded UTF-8/) });
    }
    expectQuietLog(built);
  });

  it('when a JSON body declares a charset other than UTF-8, then 415 unsupported_media_type', async () => {
    const built = await appWith({ http: { adminApiKey: ADMIN } });
    const similar = await request(built.app).post('/api/similar').set('Content-Type', 'application/json; charset=latin1').send('{"text":"volcano"}');
    const write = await request(built.app)
      .post('/api/articles')
      .set('X-Api-Key', ADMIN)
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"id":"a","title":"t","body":"b"}');
    for (const res of [similar, write]) {
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(problem(res)).toMatchObject({ code: 'unsupported_media_type', status: 415, detail: expect.stringMatching(/UTF-8/) });
    }
    expectQuietLog(built);
  });

  it('when a JSON body holds bytes that are not UTF-8, then 400 invalid_request on every JSON route, and nothing is stored', async () => {
    const built = await appWith({ http: { adminApiKey: ADMIN } });
    const server = built.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // raw bytes over fetch: supertest would send a Buffer with a JSON content type as JSON
    const post = async (route: string, body: Buffer, encoding = 'identity') => {
      const headers = { 'content-type': 'application/json', 'content-encoding': encoding, 'x-api-key': ADMIN };
      const res = await fetch(`${base}${route}`, { method: 'POST', headers, body });
      return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as unknown };
    };
    const latin1 = (json: string) => Buffer.from(json, 'latin1'); // "é" as the one byte 0xE9
    const refused = { status: 400, type: expect.stringMatching(PROBLEM_JSON), body: { code: 'invalid_request', detail: 'the request body is not valid UTF-8' } };
    try {
      const small = latin1('{"id":"cafe-1","title":"Café","body":"The café reopens on Ember Isle."}');
      // over 64 KiB: parsed where the write is made, not checked where it is received
      const large = latin1(`{"id":"cafe-2","title":"Café","body":"${'volcano café '.repeat(6_000)}"}`);
      expect(await post('/api/articles', small)).toMatchObject(refused);
      expect(await post('/api/articles', large)).toMatchObject(refused);
      expect(await post('/api/articles', zlib.gzipSync(small), 'gzip')).toMatchObject(refused);
      const text = latin1('{"text":"volcano café on Ember Isle"}');
      expect(await post('/api/similar', text)).toMatchObject(refused);
      expect(await post('/api/similar', zlib.gzipSync(text), 'gzip')).toMatchObject(refused);
      // the same article in UTF-8 is written
      expect(await post('/api/articles', Buffer.from(small.toString('latin1'), 'utf8'))).toMatchObject({ status: 200, body: { indexed: 1 } });
      const stored = await request(built.app).get('/api/articles/cafe-1');
      expect(JSON.parse(stored.text)).toMatchObject({ title: 'Café' });
      expect((await request(built.app).get('/api/articles/cafe-2')).status).toBe(404);
    } finally {
      server.close();
    }
    expectQuietLog(built);
  });

  it('when a body comes with an unknown Content-Encoding, then 415 unsupported_media_type naming the accepted ones', async () => {
    const built = await appWith();
    const res = await request(built.app).post('/api/similar').set('Content-Type', 'application/json').set('Content-Encoding', 'bogus').send('{"text":"volcano"}');
    expect(res.status).toBe(415);
    expect(problem(res)).toMatchObject({ code: 'unsupported_media_type', detail: expect.stringMatching(/gzip, deflate or br/) });
    expectQuietLog(built);
    // the write route reads its body as bytes for the write thread: the same answers
    const writes = await appWith({ http: { adminApiKey: ADMIN } });
    const write = (encoding: string, body: string) =>
      request(writes.app).post('/api/articles').set('X-Api-Key', ADMIN).set('Content-Type', 'application/json').set('Content-Encoding', encoding).send(body);
    expect(problem(await write('bogus', '{"id":"x"}'))).toMatchObject({ status: 415, code: 'unsupported_media_type', detail: expect.stringMatching(/gzip, deflate or br/) });
    expect(problem(await write('identity', '{"id":'))).toMatchObject({ status: 400, code: 'invalid_request', detail: 'the request body is not valid JSON' });
  });

  it('when a compressed body inflates past the limit, then 413 at the limit; a valid gzip, br or deflate body is read as JSON', async () => {
    const { app } = await appWith({ http: { maxBodyBytes: 64 * 1024 } });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/similar`;
    // raw bytes over fetch: supertest would send a Buffer with a JSON content type as JSON
    const post = async (encoding: string, body: Buffer) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });
      return { status: res.status, body: (await res.json()) as { code?: string; hits?: { id: string }[] } };
    };
    try {
      const bomb = zlib.gzipSync(Buffer.concat([Buffer.from('{"text":"'), Buffer.alloc(8 * 1024 * 1024, 0x61), Buffer.from('"}')]));
      expect(await post('gzip', bomb)).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
      const text = JSON.stringify({ text: 'volcano on Ember Isle' });
      for (const [encoding, body] of [['gzip', zlib.gzipSync(text)], ['br', zlib.brotliCompressSync(text)], ['deflate', zlib.deflateSync(text)]] as const) {
        const res = await post(encoding, body);
        expect(res.status).toBe(200);
        expect(res.body.hits?.[0]?.id).toMatch(/^ember-/);
      }
      expect(await post('gzip', Buffer.from('not gzip at all'))).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    } finally {
      server.close();
    }
  });

  it('when a body is not JSON or too large, then it is still 400 invalid_request or 413 payload_too_large', async () => {
    const built = await appWith({ http: { maxBodyBytes: 1_000 } });
    const broken = await request(built.app).post('/api/similar').set('Content-Type', 'application/json').send('{"text":');
    expect(problem(broken)).toMatchObject({ status: 400, code: 'invalid_request', detail: 'the request body is not valid JSON' });
    const large = await request(built.app).post('/api/similar').send({ text: 'volcano '.repeat(500) });
    expect(problem(large)).toMatchObject({ status: 413, code: 'payload_too_large' });
    expectQuietLog(built);
  });
});

describe('secrets given in the query string', () => {
  it('when a key is given in the query string, then neither the problem\'s instance nor the access log holds it', async () => {
    const built = await appWith();
    const names = ['api_key', 'apiKey', 'KEY', 'token', 'access_token', 'secret', 'Password', 'api%5Fkey', 'x-auth-token'];
    const query = names.map((name, i) => `${name}=hush-${i}`).join('&');
    const res = await request(built.app).get(`/api/search?q=volcano&${query}`);
    expect(res.status).toBe(400);
    const { instance } = problem(res);
    expect(instance).toBe(`/api/search?q=volcano&${names.map((name) => `${name}=${REDACTED}`).join('&')}`);
    expect(res.text).not.toContain('hush');
    const lines = built.log().filter((l) => l.msg === 'request');
    expect(lines.map((l) => l.url)).toEqual([instance]);
    expect(built.rawLog()).not.toContain('hush');
  });

  it('when a URL is redacted, then only secret-looking values change, byte for byte', () => {
    expect(redactUrl('/api/search?q=caf%C3%A9+au+lait&author=Ann&keyless&category=a&category=b')).toBe(
      '/api/search?q=caf%C3%A9+au+lait&author=Ann&keyless&category=a&category=b',
    );
    expect(redactUrl('/api/search?q=x&oauth_token=t&client+secret=s&sig=1&page=2')).toBe(`/api/search?q=x&oauth_token=${REDACTED}&client+secret=${REDACTED}&sig=1&page=2`);
    expect(redactUrl('/api/articles/abc')).toBe('/api/articles/abc');
  });
});

describe('request bodies are read after the key check', () => {
  it('when a write comes without a valid admin key, then it is refused before its body is read (not a 400 nor a 413)', async () => {
    const { app } = await appWith({ http: { adminApiKey: ADMIN, maxBodyBytes: 1_000 } });
    const oversized = JSON.stringify({ id: 'big', title: 't', body: 'x'.repeat(5_000) });
    const cases = [
      { key: undefined, body: '{not json', status: 401 },
      { key: undefined, body: oversized, status: 401 },
      { key: 'a-wrong-key-of-some-length', body: '{not json', status: 403 },
      { key: 'a-wrong-key-of-some-length', body: oversized, status: 403 },
    ];
    for (const { key, body, status } of cases) {
      const req = request(app).post('/api/articles').set('Content-Type', 'application/json');
      const res = await (key === undefined ? req : req.set('X-Api-Key', key)).send(body);
      expect(res.status).toBe(status);
    }
    const refused = await appWith({ http: { maxBodyBytes: 1_000 } });
    expect((await request(refused.app).post('/api/articles').set('Content-Type', 'application/json').send(oversized)).status).toBe(403);
    const admitted = await request(app).post('/api/articles').set('X-Api-Key', ADMIN).set('Content-Type', 'application/json').send(oversized);
    expect(problem(admitted).code).toBe('payload_too_large');
  });

  it('when reads need a key, then POST /api/similar without one is refused before its body is read', async () => {
    const { app } = await appWith({ http: { searchApiKey: KEY, maxBodyBytes: 1_000 } });
    const broken = await request(app).post('/api/similar').set('Content-Type', 'application/json').send('{not json');
    expect(broken.status).toBe(401);
    const large = await request(app).post('/api/similar').send({ text: 'volcano '.repeat(500) });
    expect(large.status).toBe(401);
    const admitted = await request(app).post('/api/similar').set('X-Api-Key', KEY).send({ text: 'volcano on Ember Isle' });
    expect(admitted.status).toBe(200);
  });
});

describe('slow bodies', () => {
  /** What is printed with console.error (Express's final handler prints there), collected for each test. */
  let printed: unknown[][];
  const print = console.error;
  beforeEach(() => {
    printed = [];
    console.error = (...args: unknown[]) => void printed.push(args);
  });
  afterEach(() => {
    console.error = print;
  });

  const HEAD = 'POST /api/similar HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n';
  const BODY = '{"text":"volcano on Ember Isle"}';
  const HALF = `${HEAD}Content-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY.slice(0, 10)}`;

  /** Starts `app` on a free port as in production, where Express prints what reaches its final handler. */
  async function listen(app: Express) {
    app.set('env', 'production');
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    return { server, socket };
  }

  /** Reads from `socket` until `done` holds for all that has arrived. */
  const readUntil = (socket: net.Socket, done: (text: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      let text = '';
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        if (!done(text)) return;
        socket.off('data', onData);
        socket.off('end', onEnd);
        resolve(text);
      };
      const onEnd = () => (done(text) ? resolve(text) : reject(new Error(`connection ended after: ${text}`)));
      socket.on('data', onData);
      socket.on('end', onEnd);
    });

  /**
   * Lets the event loop turn a few times: Express's router and final handler defer with setImmediate (three deep),
   * so whatever the late or aborted body set off has run by then. Turns, not time.
   */
  const settle = async () => {
    for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  };

  /** Nothing reported as unexpected, printed, logged above info or logged with a stack. */
  const expectQuiet = ({ errors, log, rawLog }: Awaited<ReturnType<typeof appWith>>) => {
    expect(printed).toEqual([]);
    expect(errors).toEqual([]);
    expect(log().filter((l) => l.level > 30)).toEqual([]);
    expect(rawLog()).not.toMatch(/stack/i);
  };

  it('when the body is still arriving as the request times out, then the client gets its 503, logged at info, and the late body goes nowhere', async () => {
    const built = await appWith({ http: { requestTimeoutMs: 100 } });
    const { server, socket } = await listen(built.app);
    socket.write(HALF);
    const first = await readUntil(socket, (text) => text.includes('"code":"timeout"') && text.trimEnd().endsWith('}'));
    expect(first).toMatch(/^HTTP\/1\.1 503 /);
    expect(first).toContain('the request body did not arrive within 100 ms');
    const closed = new Promise((resolve) => server.close(resolve));
    // The rest of the body, then a second request on the same connection: once it is answered, the first is done with.
    socket.write(`${BODY.slice(10)}GET /health HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`);
    expect(await readUntil(socket, (text) => text.includes('"status":"ok"'))).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
    await closed;
    await settle();
    expectQuiet(built);
    expect(built.log()).toContainEqual(expect.objectContaining({ level: 30, msg: 'request', status: 503 }));
  });

  it('when the engine answers after the request timed out, then the client has its 503 and the late answer goes nowhere (nothing printed)', async () => {
    let release: () => void = () => {};
    const engine = SqliteEngine.open({ file: ':memory:' });
    engine.search = () => new Promise((resolve) => {
      release = () => resolve({ hits: [], totalHits: 0, page: 1, perPage: 20, totalPages: 0, facets: {} });
    });
    const slow = await appWith({ http: { requestTimeoutMs: 100 }, engine });
    const { server, socket } = await listen(slow.app);
    socket.write('GET /api/search?q=volcano HTTP/1.1\r\nHost: test\r\n\r\n');
    const first = await readUntil(socket, (text) => text.includes('"code":"timeout"') && text.trimEnd().endsWith('}'));
    expect(first).toMatch(/^HTTP\/1\.1 503 /);
    release();
    await settle();
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    expect(printed).toEqual([]);
    expect(slow.errors.filter((e) => (e as { code?: string }).code !== 'timeout')).toEqual([]);
  });

  it('when the client gives up while its body is arriving, then the abort is its doing: nothing logged above info, no stack', async () => {
    const built = await appWith();
    const { server, socket } = await listen(built.app);
    const closed = new Promise((resolve) => {
      server.once('request', (req: IncomingMessage) => {
        server.close(resolve);
        // The body parser has started reading once the request's stream resumes: then the client goes away.
        req.once('resume', () => socket.destroy());
      });
    });
    socket.write(HALF);
    await closed;
    await settle();
    expectQuiet(built);
  });
});
