import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError, EngineUnavailableError, StoreBusyError, ValidationError, receivedError, sendableError } from '../../src/core/errors.js';
import Database from 'better-sqlite3';
import { WriteThread } from '../../src/storage/write-thread.js';
import { storeContents } from '../helpers/store-contents.js';

describe('an error sent across a thread or process boundary', () => {
  it.each([
    ['a validation error', new ValidationError('bad', [{ path: 'title', message: 'must not be empty' }])],
    ['a busy store', new StoreBusyError('locked', { retryAfterSeconds: 2 })],
    ['an engine that does not answer', new EngineUnavailableError('down', { retryAfterSeconds: 7 })],
    ['a not-found', new AppError('not_found', 'gone')],
  ])('when it is %s, then it is received as the same class with the same code, issues and Retry-After', (_name, error) => {
    const received = receivedError(structuredClone(sendableError(error)));
    expect(received.constructor).toBe(error.constructor === AppError ? AppError : error.constructor);
    expect(received).toMatchObject({ code: error.code, message: error.message });
    if (error instanceof ValidationError) expect((received as ValidationError).issues).toEqual(error.issues);
    if (error instanceof EngineUnavailableError) expect((received as EngineUnavailableError).retryAfterSeconds).toBe(error.retryAfterSeconds);
  });

  it('when it was not raised on purpose, then it is received as a plain error (an internal failure)', () => {
    const received = receivedError(sendableError(new TypeError('x is undefined')));
    expect(received).not.toBeInstanceOf(AppError);
    expect(received.message).toBe('x is undefined');
  });
});

describe('the write thread', () => {
  let dataDir: string;
  /** A write thread whose configuration names the test's DATA_DIR. */
  const writeThread = (idleMs?: number) => new WriteThread({ env: { ...process.env, DATA_DIR: dataDir, DEMO_DATA: 'off' }, ...(idleMs ? { idleMs } : {}) });

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-write-thread-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  /** Whether every store (article, term vector, entities) holds `id`, read from disk. */
  const storeHolds = (id: string) => {
    const { articles, vectors, entities } = storeContents(dataDir);
    return [articles.has(id), vectors.has(id), entities.has(id)];
  };

  it('when a POST body is sent as bytes, then the thread parses and checks it: its articles are written, bad JSON and too many articles are refused', async () => {
    const writer = writeThread();
    try {
      const body = Buffer.from(JSON.stringify([{ id: 'wt-b1', title: 'Ferry resumes', body: 'The ferry sails again.' }, { id: 'wt-b2', title: '' }]));
      const { summary, rejections } = await writer.ingestBody(body);
      expect(summary).toMatchObject({ read: 2, indexed: 1, rejected: 1 });
      expect(rejections.map((r) => r.location)).toEqual(['body[1]']);
      expect(storeHolds('wt-b1')).toEqual([true, true, true]);
      await expect(writer.ingestBody(Buffer.from('{"id": '))).rejects.toMatchObject({ code: 'invalid_request', message: 'the request body is not valid JSON' });
      await expect(writer.ingestBody(Buffer.from('[]'))).rejects.toMatchObject({ code: 'invalid_request' });
      const latin1 = Buffer.from('{"id":"wt-b3","title":"Café","body":"b"}', 'latin1');
      await expect(writer.ingestBody(latin1)).rejects.toMatchObject({ code: 'invalid_request', message: 'the request body is not valid UTF-8' });
      const tooMany = Buffer.from(JSON.stringify(Array.from({ length: 1_001 }, (_, i) => ({ id: `n${i}` }))));
      await expect(writer.ingestBody(tooMany)).rejects.toMatchObject({ code: 'invalid_request', message: 'at most 1000 articles per request' });
    } finally {
      await writer.close();
    }
  }, 30_000);

  it('when records are sent, then the valid ones are in every store, the bad one is reported, and a delete removes them', async () => {
    const writer = writeThread();
    try {
      const { summary, rejections } = await writer.ingest([
        { location: 'body[0]', value: { id: 'wt-1', title: 'Harbour gulls counted', body: 'Keepers counted the gulls.' } },
        { location: 'body[1]', value: { id: 'wt-2', title: '', body: 'No title here.' } },
      ]);
      expect(summary).toMatchObject({ read: 2, indexed: 1, rejected: 1 });
      expect(rejections).toEqual([{ location: 'body[1]', issues: [{ path: 'title', message: 'must not be empty' }] }]);
      expect(storeHolds('wt-1')).toEqual([true, true, true]);
      expect(await writer.delete(['wt-1', 'unknown'])).toEqual({ deleted: 1, fromSimilarity: 1 });
      expect(storeHolds('wt-1')).toEqual([false, false, false]);
    } finally {
      await writer.close();
    }
  }, 30_000);

  it('when another process holds the write lock longer than a serving thread would wait (5 s), then the write queues and is made', async () => {
    const writer = writeThread();
    try {
      await writer.ingest([{ location: 'body', value: { id: 'wt-l1', title: 'Lock holder arrives', body: 'First.' } }]); // the file exists
      const other = new Database(path.join(dataDir, 'newsfind.db'));
      other.exec('BEGIN IMMEDIATE');
      const released = new Promise<void>((resolve) =>
        setTimeout(() => {
          other.exec('COMMIT');
          other.close();
          resolve();
        }, 6_000),
      );
      const write = writer.ingest([{ location: 'body', value: { id: 'wt-l2', title: 'Queued behind the lock', body: 'Second.' } }]);
      await released;
      expect((await write).summary.indexed).toBe(1);
      expect(storeHolds('wt-l2')).toEqual([true, true, true]);
    } finally {
      await writer.close();
    }
  }, 30_000);

  it('when it is closed with a write under way, then the write is made first, and later writes are refused', async () => {
    const writer = writeThread();
    const write = writer.ingest([{ location: 'body', value: { id: 'wt-3', title: 'Ferry timetable', body: 'Twice a day.' } }]);
    const closed = writer.close();
    expect((await write).summary.indexed).toBe(1);
    await closed;
    expect(storeHolds('wt-3')).toEqual([true, true, true]);
    await expect(writer.ingest([{ location: 'body', value: {} }])).rejects.toThrow('stopping');
  }, 30_000);

  it('when it has been idle, then it ends, and the next write starts another', async () => {
    const writer = writeThread(50);
    try {
      await writer.ingest([{ location: 'body', value: { id: 'wt-4', title: 'Gull census', body: 'Counted.' } }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(writer.running).toBe(false);
      await writer.ingest([{ location: 'body', value: { id: 'wt-5', title: 'Gull census again', body: 'Counted twice.' } }]);
      expect(writer.running).toBe(true);
      expect(storeHolds('wt-5')).toEqual([true, true, true]);
    } finally {
      await writer.close();
    }
  }, 30_000);
});
