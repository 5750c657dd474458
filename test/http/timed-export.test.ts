import type { HitArticle, SearchEngine } from '../../src/engines/search-engine.js';
import { EngineUnavailableError } from '../../src/core/errors.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createMetrics, instrumentEngine } from '../../src/http/metrics.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * An export timed by the metrics wrapper: one observation per export, of the engine's time only (its steps), not
 * the time its reader holds each step, with the outcome of its end.
 */

const asked = { q: 'harbour', sort: 'relevance', match: 'last', filters: {} } as const;

/** A real engine whose export steps each take `stepMs` on `clock` (and may fail at step `failAt`). */
async function engineOn(clock: { ms: number }, stepMs: number, failAt?: number): Promise<SearchEngine> {
  const engine = SqliteEngine.open({ file: ':memory:' });
  await engine.upsert(Array.from({ length: 5 }, (_, i) => makeArticle({ id: `h-${i}`, title: `Harbour ${i}`, body: 'The harbour.' })));
  const allResults = engine.allResults.bind(engine);
  engine.allResults = async function* (request, batch) {
    let step = 0;
    for await (const articles of allResults(request, batch)) {
      clock.ms += stepMs;
      if (++step === failAt) throw new EngineUnavailableError('the store went away');
      yield articles;
    }
  };
  return engine;
}

async function observed(metrics: ReturnType<typeof createMetrics>): Promise<{ count: number; sum: number; outcome?: string }> {
  const values = (await metrics.engineCalls.get()).values.filter((v) => v.labels.operation === 'export');
  const count = values.find((v) => v.metricName?.endsWith('_count'));
  const sum = values.find((v) => v.metricName?.endsWith('_sum'));
  return { count: count?.value ?? 0, sum: sum?.value ?? 0, outcome: count?.labels.outcome as string | undefined };
}

describe('an export in the engine metrics', () => {
  it('when an export is read slowly, then one observation counts the engine\'s steps only', async () => {
    const clock = { ms: 0 };
    const engine = await engineOn(clock, 10);
    const metrics = createMetrics({ engine, logError: () => {} });
    const rows: HitArticle[] = [];
    for await (const step of instrumentEngine(engine, metrics, () => clock.ms).allResults(asked, 2)) {
      clock.ms += 1_000; // the reader (a slow client) holds the step
      rows.push(...step);
    }
    expect(rows).toHaveLength(5);
    expect(await observed(metrics)).toEqual({ count: 1, sum: 0.03, outcome: 'ok' }); // 3 steps of 10 ms
    await engine.close();
  });

  it('when the engine fails during an export, then its code is the outcome; when the reader stops, then it is observed once', async () => {
    const clock = { ms: 0 };
    const failing = await engineOn(clock, 10, 2);
    const metrics = createMetrics({ engine: failing, logError: () => {} });
    const read = async (engine: SearchEngine) => {
      for await (const _ of instrumentEngine(engine, metrics, () => clock.ms).allResults(asked, 2)) break;
    };
    await expect((async () => {
      for await (const _ of instrumentEngine(failing, metrics, () => clock.ms).allResults(asked, 2)) { /* every step */ }
    })()).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(await observed(metrics)).toEqual({ count: 1, sum: 0.02, outcome: 'engine_unavailable' });
    await read(failing); // stops after its first step
    const values = (await metrics.engineCalls.get()).values.filter((v) => v.labels.operation === 'export' && v.metricName?.endsWith('_count'));
    expect(values.map((v) => [v.labels.outcome, v.value]).sort()).toEqual([['engine_unavailable', 1], ['ok', 1]]);
    await failing.close();
  });
});
