import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { Express } from 'express';
import { ALERT_SCHEMA } from '../../src/alerts/alert-schema.js';
import type { AlertServiceOptions } from '../../src/alerts/alert-service.js';
import { AlertService } from '../../src/alerts/alert-service.js';
import { SavedSearches } from '../../src/alerts/saved-searches.js';
import type { Config } from '../../src/config.js';
import { loadConfig, storeFile } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { openSqliteFile } from '../../src/storage/sqlite-file.js';

export const ADMIN = 'an-admin-key-long-enough';
export const SECRET = 'a-webhook-secret-of-some-size';

/** One request a {@link Receiver} got: its headers and its raw body. */
export interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The status it was answered with. */
  readonly status: number;
}

/** A local webhook receiver: records every request and answers `status` (changeable). */
export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  status: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const receiver = { status: 200 } as { status: number };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: receiver.status });
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}

/** A service's store in a temporary DATA_DIR: the API app (admin key), its saved searches, and alerts on demand. */
export class AlertRig {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-alerts-'));
  readonly config: Config = loadConfig({ DATA_DIR: this.dataDir, DEMO_DATA: 'off' });
  readonly store: Store = openStore(this.config, 'api');
  readonly saved = SavedSearches.open(storeFile(this.config), () => Date.now());
  readonly app: Express = createApp({
    engine: this.store.engine,
    similarity: this.store.similarity,
    entities: this.store.entities,
    local: this.store.local,
    savedSearches: this.saved,
    now: () => performance.now(),
    clock: () => Date.now(),
    logError: () => {},
    http: { adminApiKey: ADMIN, rateLimitPerMinute: 0 },
  });
  private readonly alertDbs: Database.Database[] = [];

  /** An alert service on a connection of its own (a process's alert thread); fast retries unless told. */
  alerts(options: Partial<AlertServiceOptions> = {}): AlertService {
    const db = openSqliteFile(storeFile(this.config), { what: 'store', schema: ALERT_SCHEMA });
    this.alertDbs.push(db);
    return new AlertService(db, { clock: () => Date.now(), baseDelayMs: 20, maxAttempts: 3, timeoutMs: 2_000, ...options });
  }

  /** Closes an alert service's connection (a restart). */
  async stopAlerts(service: AlertService): Promise<void> {
    await service.stop();
    const db = this.alertDbs.pop();
    db?.close();
  }

  async close(): Promise<void> {
    for (const db of this.alertDbs) db.close();
    this.saved.close();
    await this.store.close();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Matches everything committed and sends what is due, until nothing is in flight. */
export async function runAlerts(service: AlertService): Promise<void> {
  service.matchAll();
  service.deliverer.tick();
  await service.deliverer.settle();
}

/** Polls `check` every 10 ms until it holds or `ms` pass; returns whether it held. */
export async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
