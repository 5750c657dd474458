import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SavedSearches } from '../../src/alerts/saved-searches.js';
import { loadConfig, storeFile } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { savedSearchResponseSchema } from '../../src/http/saved-search-routes.js';
import { openStore } from '../../src/storage/open-store.js';
import { WriteThread } from '../../src/storage/write-thread.js';

const ADMIN = 'an-admin-key-long-enough';

describe('saved-search writes on the write thread', () => {
  it('when another process holds the write lock 6 s while a search is saved, then the worker answers /health meanwhile and the save is made after', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-saved-lock-'));
    const env = { ...process.env, DATA_DIR: dataDir, DEMO_DATA: 'off' };
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
      http: { adminApiKey: ADMIN, rateLimitPerMinute: 0 },
    });
    const server = app.listen(0);
    const other = new Database(storeFile(config));
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const save = (name: string) =>
        fetch(`${base}/api/saved-searches`, {
          method: 'POST',
          headers: { 'X-Api-Key': ADMIN, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name, query: { q: name } }),
        });
      expect((await save('warm')).status).toBe(201); // the write thread is up
      other.exec('BEGIN IMMEDIATE');
      const lockedAt = performance.now();
      const posted = save('harbour strike').then(async (res) => ({ status: res.status, body: await res.text(), at: performance.now() }));
      const health: { status: number; ms: number }[] = [];
      while (performance.now() - lockedAt < 6_000) {
        const started = performance.now();
        const res = await fetch(`${base}/health`);
        health.push({ status: res.status, ms: performance.now() - started });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      other.exec('COMMIT');
      const answer = await posted;
      expect(health.length).toBeGreaterThan(20);
      expect(health.every((h) => h.status === 200 && h.ms < 1_000)).toBe(true);
      expect(answer.at - lockedAt).toBeGreaterThan(6_000); // it waited for the lock, past a serving thread's 5 s
      expect(answer.status).toBe(201);
      const body = savedSearchResponseSchema.parse(JSON.parse(answer.body));
      expect(saved.get(body.id)).toMatchObject({ name: 'harbour strike', query: { q: 'harbour strike' } });
      other.exec('BEGIN IMMEDIATE');
      const deleted = fetch(`${base}/api/saved-searches/${body.id}`, { method: 'DELETE', headers: { 'X-Api-Key': ADMIN } });
      expect((await fetch(`${base}/health`)).status).toBe(200);
      other.exec('COMMIT');
      expect((await deleted).status).toBe(204);
      expect(() => saved.get(body.id)).toThrow('no saved search');
      const missing = await fetch(`${base}/api/saved-searches/${body.id}`, { method: 'DELETE', headers: { 'X-Api-Key': ADMIN } });
      expect(missing.status).toBe(404);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      server.close();
      await writer.close();
      saved.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
