import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { ANSWER_MARGIN_MS, SavedSearches } from '../../src/alerts/saved-searches.js';
import { loadConfig, storeFile } from '../../src/config.js';
import { AppError, StoreBusyError } from '../../src/core/errors.js';
import { createApp } from '../../src/http/app.js';
import { openStore } from '../../src/storage/open-store.js';
import { WriteThread } from '../../src/storage/write-thread.js';

const ADMIN = 'an-admin-key-long-enough';
const WRITE_TIMEOUT_MS = 1_000;

type Save = (name: string) => Promise<{ name: string; status: number }>;

/**
 * An API on a fresh store with its write thread (WRITE_TIMEOUT_MS 1 s), another connection to the store file (to hold
 * its write lock), and a save through HTTP; the write thread warmed up (a loaded machine may take longer to start it
 * than the write timeout).
 */
async function withApi(body: (api: { save: Save; saved: SavedSearches; other: Database.Database }) => Promise<void>): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-saved-deadline-'));
  const env = { ...process.env, DATA_DIR: dataDir, DEMO_DATA: 'off', WRITE_TIMEOUT_MS: String(WRITE_TIMEOUT_MS) };
  const config = loadConfig(env);
  const store = openStore(config, 'api');
  const saved = SavedSearches.open(storeFile(config), () => Date.now());
  const writer = new WriteThread({ env });
  const app = createApp({
    engine: store.engine,
    similarity: store.similarity,
    local: store.local,
    writer,
    savedSearches: saved,
    savedSearchWriter: writer.savedSearches,
    now: () => performance.now(),
    clock: () => Date.now(),
    logError: () => {},
    http: { adminApiKey: ADMIN, rateLimitPerMinute: 0, writeTimeoutMs: WRITE_TIMEOUT_MS },
  });
  const server = app.listen(0);
  const other = new Database(storeFile(config));
  try {
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const save: Save = (name) =>
      fetch(`${base}/api/saved-searches`, {
        method: 'POST',
        headers: { 'X-Api-Key': ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, query: { q: name } }),
      }).then((res) => ({ name, status: res.status }));
    let warm = await save('warm');
    for (let tries = 1; warm.status !== 201 && tries < 10; tries++) warm = await save('warm');
    expect(warm.status).toBe(201);
    await body({ save, saved, other });
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    server.close();
    await writer.close();
    saved.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("saved-search writes bounded by their request's deadline", () => {
  it('when another process holds the write lock past the write timeout, then two saves answered 503 were not made, and a retry after it is', async () => {
    await withApi(async ({ save, saved, other }) => {
      other.exec('BEGIN IMMEDIATE');
      // the second save reaches the front of the thread's queue only when the first has waited its whole time
      const answers = Promise.all([save('first harbour'), save('second harbour')]);
      await new Promise((resolve) => setTimeout(resolve, WRITE_TIMEOUT_MS * 1.6));
      other.exec('COMMIT');
      const got = await answers;
      await new Promise((resolve) => setTimeout(resolve, 500)); // a write made late would be in by now
      const names = saved.list(100).map((s) => s.name);
      expect(got.map((a) => a.status)).toEqual([503, 503]);
      expect(names).not.toContain('first harbour');
      expect(names).not.toContain('second harbour');
      expect((await save('third harbour')).status).toBe(201);
    });
  }, 30_000);

  it('when the lock is freed just before the deadline and the event loop is held across it, then the answer is the write\'s own (201, and saved)', async () => {
    await withApi(async ({ save, saved, other }) => {
      other.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      const answer = save('harbour');
      setTimeout(() => {
        other.exec('COMMIT'); // the lock is free 200 ms before the deadline: the thread commits the save
        setImmediate(() => {
          const until = started + WRITE_TIMEOUT_MS + 150;
          while (Date.now() < until); // another request's synchronous work, held across the deadline
        });
      }, WRITE_TIMEOUT_MS - 200);
      const got = await answer;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const names = saved.list(100).map((s) => s.name);
      // a 503 for a save that was made is what must never happen (a retry would save it twice)
      expect({ status: got.status, saved: names.includes('harbour') }).toEqual({ status: 201, saved: true });
    });
  }, 30_000);

  it('when a write is bounded by a deadline, then it waits for the lock only the time left, and is not begun once that has passed', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-saved-bound-'));
    const file = path.join(dataDir, 'store.sqlite');
    const saved = SavedSearches.open(file, () => Date.now()); // waits 5 s for a lock when unbounded
    const other = new Database(file);
    const given = (name: string) => ({ name, query: { q: name }, search: { q: name, filters: {} } });
    try {
      const late = (() => {
        try {
          return saved.create(given('too late'), { deadline: Date.now() + ANSWER_MARGIN_MS - 1 });
        } catch (error) {
          return error;
        }
      })();
      expect(late).toBeInstanceOf(AppError);
      expect((late as AppError).code).toBe('timeout');
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      expect(() => saved.create(given('locked out'), { deadline: Date.now() + 400 })).toThrow(StoreBusyError);
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThan(200);
      expect(waited).toBeLessThan(2_000);
      other.exec('COMMIT');
      const made = saved.create(given('in time'), { deadline: Date.now() + 400 });
      expect(() => saved.delete(made.id, { deadline: Date.now() })).toThrow(AppError);
      expect(saved.list(10).map((s) => s.name)).toEqual(['in time']);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      saved.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
