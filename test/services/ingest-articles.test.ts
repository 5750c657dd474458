import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import type { IngestSummary, Rejection, SourceRecord } from '../../src/services/ingest-articles.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';

const record = (location: string, value: unknown): SourceRecord => ({ location, value });
const story = (id: string, title = `Story ${id}`) => ({ id, title, body: `The body of story ${id} in Kestrel Bay.` });

/** Runs an ingestion against `engine`, collecting rejections and progress reports. */
async function ingest(engine: SqliteEngine, records: readonly SourceRecord[], batchSize?: number) {
  const rejections: Rejection[] = [];
  const progress: IngestSummary[] = [];
  const summary = await ingestArticles({ engine }, records, {
    ...(batchSize === undefined ? {} : { batchSize }),
    onReject: (r) => rejections.push(r),
    onProgress: (s) => progress.push(s),
  });
  return { summary, rejections, progress };
}

describe('ingestArticles', () => {
  let engine: SqliteEngine;

  beforeEach(() => {
    engine = SqliteEngine.open({ file: ':memory:' });
  });

  afterEach(async () => {
    await engine.close();
  });

  it('when every record is valid, then all are read and indexed', async () => {
    const { summary, rejections } = await ingest(engine, [record('a:1', story('s1')), record('a:2', story('s2'))]);
    expect(summary).toEqual({ read: 2, indexed: 2, unchanged: 0, rejected: 0 });
    expect(rejections).toEqual([]);
    expect(await engine.get('s2')).toMatchObject({ id: 's2', title: 'Story s2' });
  });

  it('when bad records sit between good ones, then the good ones are indexed and each bad one is rejected with its location', async () => {
    const { summary, rejections } = await ingest(engine, [
      record('a:1', story('s1')),
      record('a:2', { id: 's2', title: 'No body' }),
      { location: 'a:3', value: undefined, parseError: 'malformed JSON: Unexpected token' },
      record('a:4', { id: 'bad id', title: '', body: 'x' }),
      record('a:5', story('s5')),
    ]);
    expect(summary).toEqual({ read: 5, indexed: 2, unchanged: 0, rejected: 3 });
    expect(rejections).toEqual([
      { location: 'a:2', issues: [{ path: 'body', message: expect.any(String) }] },
      { location: 'a:3', issues: [{ path: '(record)', message: 'malformed JSON: Unexpected token' }] },
      {
        location: 'a:4',
        issues: [
          { path: 'id', message: expect.any(String) },
          { path: 'title', message: expect.any(String) },
        ],
      },
    ]);
    expect(await engine.get('s1')).toBeDefined();
    expect(await engine.get('s5')).toBeDefined();
    expect(await engine.get('s2')).toBeUndefined();
  });

  it('when an id comes twice in one run, then the second is rejected naming where the first was, and the first is kept', async () => {
    const { summary, rejections } = await ingest(engine, [
      record('a.jsonl:1', story('s1', 'First copy')),
      record('a.jsonl:2', story('s2')),
      record('b.jsonl:7', story('s1', 'Second copy')),
    ]);
    expect(summary).toEqual({ read: 3, indexed: 2, unchanged: 0, rejected: 1 });
    expect(rejections).toEqual([
      { location: 'b.jsonl:7', issues: [{ path: 'id', message: expect.stringContaining('a.jsonl:1') }] },
    ]);
    expect(rejections[0]?.issues[0]?.message).toContain('"s1"');
    expect((await engine.get('s1'))?.title).toBe('First copy');
  });

  it('when two records without id derive the same id, then the second is a duplicate', async () => {
    const same = { title: 'Same', body: 'Same text' };
    const { summary, rejections } = await ingest(engine, [record('x:1', same), record('x:2', { ...same })]);
    expect(summary).toMatchObject({ indexed: 1, rejected: 1 });
    expect(rejections[0]?.issues[0]?.message).toContain('x:1');
  });

  it('when the same records are ingested again, then all are unchanged', async () => {
    const records = [record('a:1', story('s1')), record('a:2', story('s2')), record('a:3', story('s3'))];
    await ingest(engine, records);
    const again = await ingest(engine, records);
    expect(again.summary).toEqual({ read: 3, indexed: 0, unchanged: 3, rejected: 0 });
  });

  it('when one record changed since the last run, then only it is indexed', async () => {
    await ingest(engine, [record('a:1', story('s1')), record('a:2', story('s2'))]);
    const again = await ingest(engine, [record('a:1', story('s1')), record('a:2', story('s2', 'New title'))]);
    expect(again.summary).toEqual({ read: 2, indexed: 1, unchanged: 1, rejected: 0 });
    expect((await engine.get('s2'))?.title).toBe('New title');
  });

  it('when the batch size is smaller than the input, then every batch is written and progress is reported per batch', async () => {
    const records = Array.from({ length: 7 }, (_, i) => record(`a:${i + 1}`, story(`s${i + 1}`)));
    const { summary, progress } = await ingest(engine, records, 3);
    expect(summary).toEqual({ read: 7, indexed: 7, unchanged: 0, rejected: 0 });
    expect(progress.map((p) => p.indexed)).toEqual([3, 6, 7]);
    expect((await engine.stats()).articles).toBe(7);
  });

  it('when a duplicate falls in a later batch, then it is still rejected', async () => {
    const records = [record('a:1', story('s1')), record('a:2', story('s2')), record('a:3', story('s1', 'Again'))];
    const { summary } = await ingest(engine, records, 1);
    expect(summary).toEqual({ read: 3, indexed: 2, unchanged: 0, rejected: 1 });
  });

  it('when records come from an async iterable, then they are read the same way', async () => {
    async function* source(): AsyncGenerator<SourceRecord> {
      yield record('a:1', story('s1'));
      yield record('a:2', { title: 'x' });
    }
    const summary = await ingestArticles({ engine }, source());
    expect(summary).toEqual({ read: 2, indexed: 1, unchanged: 0, rejected: 1 });
  });

  it('when there are no records, then nothing is written and the counts are zero', async () => {
    const { summary, progress } = await ingest(engine, []);
    expect(summary).toEqual({ read: 0, indexed: 0, unchanged: 0, rejected: 0 });
    expect(progress).toEqual([]);
  });
});
