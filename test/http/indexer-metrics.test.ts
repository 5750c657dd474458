import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { indexerStateFile, loadConfig } from '../../src/config.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { IndexerRuns } from '../../src/storage/indexer-runs.js';
import { openStore } from '../../src/storage/open-store.js';
import type { CliRun } from '../helpers/indexer-cli.js';
import { runIndexer } from '../helpers/indexer-cli.js';

/**
 * The indexer CLI (a real process) records its runs in DATA_DIR/indexer-state.db; an app over the same DATA_DIR,
 * as src/main.ts composes it, shows them at /metrics. Runs happen in beforeAll; tests scrape and read.
 */
const ARTICLES = [
  { id: 'm1', title: 'Harbour strike ends', body: 'Mayor Helena Brandt said dock workers in Port Aldric return to work on Monday.' },
  { id: 'm2', title: 'Port Aldric budget', body: 'Helena Brandt presented the city budget. Finance chief Oskar Lindqvist backed it.' },
  { id: 'm3', title: 'Ferry service resumes', body: 'Oskar Lindqvist said the ferry to Kestria Island runs again after the strike.' },
];
const BAD = [{ id: 'bad-1', title: '', body: 'no title' }, { id: 'bad-2', title: 'No body' }];

let tmp: string;
const file = (name: string) => path.join(tmp, name);
const writeJsonl = (name: string, records: readonly object[]) => fs.writeFileSync(file(name), records.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** An app over `dataDir` wired as src/main.ts wires it; `close` releases its files. */
function appOver(dataDir: string) {
  const config = loadConfig({ DATA_DIR: dataDir });
  const store = openStore(config, 'api');
  const { engine, similarity, entities, local } = store;
  const indexerRuns = new IndexerRuns(indexerStateFile(config));
  const app = createApp({ engine, similarity, entities, local, indexerRuns, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });
  const close = async () => {
    indexerRuns.close();
    await store.close();
  };
  return { app, close };
}

/** The value of one sample of the Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels === '' ? '' : `{${labels}}`} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(dataDir: string): Promise<string> {
  const { app, close } = appOver(dataDir);
  try {
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    return res.text;
  } finally {
    await close();
  }
}

const runs: Record<'first' | 'dry' | 'rejected' | 'failed', CliRun & { before: number; after: number }> = {} as never;
const timed = (key: keyof typeof runs, run: () => CliRun) => {
  const before = Date.now();
  const result = run();
  runs[key] = { ...result, before, after: Date.now() };
};

let afterFirst = '';

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-indexer-metrics-'));
  writeJsonl('good.jsonl', ARTICLES);
  writeJsonl('bad.jsonl', BAD);
  timed('first', () => runIndexer(['--json', file('good.jsonl')], file('data')));
  afterFirst = await scrape(file('data'));
  timed('dry', () => runIndexer(['--json', '--dry-run', file('good.jsonl')], file('data')));
  timed('rejected', () => runIndexer(['--json', file('good.jsonl'), file('bad.jsonl')], file('data')));
  fs.mkdirSync(file('broken'));
  fs.writeFileSync(path.join(file('broken'), 'newsfind.db'), 'not a database: the engine cannot open this file '.repeat(4));
  timed('failed', () => runIndexer(['--json', file('good.jsonl')], file('broken')));
  fs.rmSync(path.join(file('broken'), 'newsfind.db')); // the operator replaces the broken store; the API then starts
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('indexer runs in /metrics', () => {
  it('when no indexer has run, then the runs count 0 and the last-run series say none, and no state file is created', async () => {
    const text = await scrape(file('empty'));
    for (const outcome of ['ok', 'rejected', 'failed']) expect(sample(text, 'newsfind_indexer_runs_total', `outcome="${outcome}"`)).toBe(0);
    expect(sample(text, 'newsfind_indexer_last_run_timestamp_seconds')).toBe(0);
    expect(sample(text, 'newsfind_indexer_last_run_articles', 'outcome="indexed"')).toBeUndefined();
    expect(fs.existsSync(path.join(file('empty'), 'indexer-state.db'))).toBe(false);
  });

  it('when a run rejects records after a clean run, then /metrics shows it as the last run, counted as rejected', async () => {
    expect(runs.first.status).toBe(0);
    expect(runs.rejected.status).toBe(1);
    const text = await scrape(file('data'));
    expect(sample(text, 'newsfind_indexer_runs_total', 'outcome="ok"')).toBe(1);
    expect(sample(text, 'newsfind_indexer_runs_total', 'outcome="rejected"')).toBe(1);
    expect(sample(text, 'newsfind_indexer_runs_total', 'outcome="failed"')).toBe(0);
    expect(sample(text, 'newsfind_indexer_last_run_outcome', 'outcome="rejected"')).toBe(1);
    expect(sample(text, 'newsfind_indexer_last_run_outcome', 'outcome="ok"')).toBe(0);
    expect(sample(text, 'newsfind_indexer_last_run_articles', 'outcome="unchanged"')).toBe(ARTICLES.length);
    expect(sample(text, 'newsfind_indexer_last_run_articles', 'outcome="indexed"')).toBe(0);
    expect(sample(text, 'newsfind_indexer_last_run_articles', 'outcome="rejected"')).toBe(BAD.length);
    expect(sample(text, 'newsfind_indexer_last_run_articles', 'outcome="deleted"')).toBe(0);
  });

  it('when runs are recorded, then the last timestamp falls within the last run and its duration is that of the CLI report', async () => {
    const text = await scrape(file('data'));
    const ended = sample(text, 'newsfind_indexer_last_run_timestamp_seconds')! * 1000;
    expect(ended).toBeGreaterThanOrEqual(runs.rejected.before);
    expect(ended).toBeLessThanOrEqual(runs.rejected.after);
    const duration = sample(text, 'newsfind_indexer_last_run_duration_seconds')!;
    expect(duration).toBeGreaterThan(0);
    expect(duration).toBeGreaterThanOrEqual(JSON.parse(runs.rejected.stdout).seconds - 0.01);
    expect(duration * 1000).toBeLessThanOrEqual(runs.rejected.after - runs.rejected.before);
  });

  it('when a run is a dry run, then it is not recorded (it writes nothing)', async () => {
    expect(runs.dry.status).toBe(0);
    const text = await scrape(file('data'));
    const total = ['ok', 'rejected', 'failed'].reduce((n, o) => n + sample(text, 'newsfind_indexer_runs_total', `outcome="${o}"`)!, 0);
    expect(total).toBe(2);
  });

  it('when a run fails (the store cannot be opened), then it is recorded as failed', async () => {
    expect(runs.failed.status).toBe(1);
    expect(runs.failed.stderr).toContain('indexing failed');
    const text = await scrape(file('broken'));
    expect(sample(text, 'newsfind_indexer_runs_total', 'outcome="failed"')).toBe(1);
    expect(sample(text, 'newsfind_indexer_last_run_outcome', 'outcome="failed"')).toBe(1);
    expect(sample(text, 'newsfind_indexer_last_run_articles', 'outcome="indexed"')).toBe(0);
  }, 30_000);

  it('when a clean run has indexed articles, then /metrics shows them indexed and the run ok', () => {
    expect(JSON.parse(runs.first.stdout).indexed).toBe(ARTICLES.length);
    expect(sample(afterFirst, 'newsfind_indexer_last_run_articles', 'outcome="indexed"')).toBe(ARTICLES.length);
    expect(sample(afterFirst, 'newsfind_indexer_last_run_articles', 'outcome="rejected"')).toBe(0);
    expect(sample(afterFirst, 'newsfind_indexer_last_run_outcome', 'outcome="ok"')).toBe(1);
    expect(sample(afterFirst, 'newsfind_indexer_runs_total', 'outcome="ok"')).toBe(1);
  });
});

describe('an unreadable indexer state', () => {
  it('when the state file is not a database, then /metrics still answers and the error is logged', async () => {
    const engine = SqliteEngine.open({ file: ':memory:' });
    const similarity = Similarity.open(':memory:', { serve: true });
    fs.writeFileSync(file('garbage-state.db'), 'not a database at all, only text that fills a page '.repeat(100));
    const indexerRuns = new IndexerRuns(file('garbage-state.db'));
    const errors: unknown[] = [];
    const app = createApp({ engine, similarity, indexerRuns, now: () => performance.now(), clock: () => Date.now(), logError: (e) => errors.push(e) });
    try {
      const res = await request(app).get('/metrics');
      expect(res.status).toBe(200);
      expect(sample(res.text, 'newsfind_articles')).toBe(0);
      expect(errors.length).toBeGreaterThan(0);
      expect(String(errors[0])).toMatch(/not a database/);
    } finally {
      indexerRuns.close();
      similarity.close();
      await engine.close();
    }
  });
});

describe('entity counts in /metrics', () => {
  it('when the indexer extracted entities, then newsfind_entities_total per type matches what autocomplete lists', async () => {
    const { app, close } = appOver(file('data'));
    try {
      const text = (await request(app).get('/metrics')).text;
      for (const type of ['person', 'org', 'place']) {
        const listed = (await request(app).get(`/api/entities?type=${type}&limit=50`)).body.entities as unknown[];
        expect(sample(text, 'newsfind_entities_total', `type="${type}"`)).toBe(listed.length);
      }
      expect(sample(text, 'newsfind_entities_total', 'type="person"')).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });
});
