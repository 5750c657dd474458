import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Analytics } from '../../src/analytics/analytics.js';
import { openAnalytics, writerSettings } from '../../src/analytics/analytics.js';
import type { StartWriter } from '../../src/analytics/recorder.js';
import { threadWriter } from '../../src/analytics/recorder.js';
import { primaryWriter, relayAnalyticsWrites } from '../../src/cluster/analytics-relay.js';
import type { WorkerChannel } from '../../src/cluster/analytics-relay.js';

/**
 * A primary and its workers in one process: each worker's channel delivers its messages to the primary's listener
 * and the primary's answers back to that worker only, as the cluster IPC channel does (structured as JSON, as it is).
 */
function cluster(workers: number, start?: StartWriter) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-relay-')), 'analytics.db');
  const settings = writerSettings({ file, maxBytes: 64 * 2 ** 20, retentionDays: 90 });
  const primary = new EventEmitter();
  relays.push(relayAnalyticsWrites(settings, (listener) => primary.on('message', listener), start ? { start } : {}));
  const channels = Array.from({ length: workers }, () => {
    const inbox = new EventEmitter();
    let connected = true;
    const channel: WorkerChannel & { disconnect(): void } = {
      connected: () => connected,
      send: (message) => primary.emit('message', JSON.parse(JSON.stringify(message)), (answer: object) => inbox.emit('message', JSON.parse(JSON.stringify(answer)))),
      on: (listener) => inbox.on('message', listener),
      off: (listener) => inbox.off('message', listener),
      disconnect: () => (connected = false),
    };
    return channel;
  });
  return { file, channels };
}

const opened: Analytics[] = [];
const relays: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(opened.map((a) => a.close(1_000)));
  await Promise.all(relays.map((stop) => stop()));
});

const workerAnalytics = (file: string, channel: WorkerChannel): Analytics => {
  const analytics = openAnalytics({ file, enabled: true, retentionDays: 90, maxBytes: 64 * 2 ** 20, clock: () => Date.now(), flushEveryMs: 20, startWriter: primaryWriter(channel) });
  opened.push(analytics);
  return analytics;
};

const searched = (analytics: Analytics, q: string) =>
  analytics.searched({ q, filters: {}, page: 1, perPage: 10 } as never, { hits: [], totalHits: 0 });

const queriesIn = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT query FROM search_events ORDER BY query').all() as { query: string }[]).map((r) => r.query);
  } finally {
    db.close();
  }
};

describe('the analytics relay (one writer thread in the primary for every worker)', () => {
  it('when two workers record searches, then the primary writes every event of both, once', async () => {
    const { file, channels } = cluster(2);
    const [a, b] = channels.map((c) => workerAnalytics(file, c));
    for (const q of ['harbour strike', 'chip plant']) searched(a!, q);
    searched(b!, 'port aldric');
    await Promise.all([a!.recorder.flush(), b!.recorder.flush()]);
    expect(queriesIn(file)).toEqual(['chip plant', 'harbour strike', 'port aldric']);
    expect(a!.recorder.stats()).toEqual({ written: 2, dropped: 0, pending: 0, failedWrites: 0 });
    expect(b!.recorder.stats()).toEqual({ written: 1, dropped: 0, pending: 0, failedWrites: 0 });
  });

  it('when the channel to the primary is closed, then the worker keeps its events queued and counts a failed write', async () => {
    const { file, channels } = cluster(1);
    channels[0]!.disconnect();
    const analytics = workerAnalytics(file, channels[0]!);
    searched(analytics, 'harbour strike');
    await analytics.recorder.flush();
    expect(analytics.recorder.stats()).toMatchObject({ written: 0, pending: 1, failedWrites: 1 });
  });

  it('when the primary\'s writer dies with a batch, then the worker is told, keeps the batch and writes it with the next writer', async () => {
    let starts = 0;
    // the first writer dies at its first request; the next ones are real writer threads
    const start: StartWriter = (settings, events) => {
      starts++;
      if (starts > 1) return threadWriter(settings, events);
      return { send: () => setImmediate(() => events.lost('the writer died')), close: async () => {} };
    };
    const { file, channels } = cluster(1, start);
    const analytics = workerAnalytics(file, channels[0]!);
    searched(analytics, 'harbour strike');
    await analytics.recorder.flush();
    expect(analytics.recorder.stats()).toMatchObject({ written: 0, pending: 1, failedWrites: 1 });
    const deadline = Date.now() + 10_000; // the recorder tries again after its back-off (250 ms)
    while (analytics.recorder.stats().written === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      await analytics.recorder.flush();
    }
    expect(queriesIn(file)).toEqual(['harbour strike']);
    expect(starts).toBe(2);
  });
});
