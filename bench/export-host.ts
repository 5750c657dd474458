import { performance } from 'node:perf_hooks';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { IndexHost } from '../src/index-host/index-host.js';
import type { IndexPort } from '../src/index-host/index-port.js';
import { exportSearch } from '../src/services/export-search.js';
import { openSqliteFile } from '../src/storage/sqlite-file.js';

/**
 * The index host's work for one search export, in one process: every row of `q` read as `GET /api/search?format=csv`
 * reads them (the route's default freshness, 7 days). A host call is timed with process.cpuUsage from the call to
 * its answer (nothing else runs in this process meanwhile: the export waits for it); the longest stretch the host
 * holds the event loop is the longest synchronous part of a call, or, while a call is answered in slices, the
 * longest gap between two turns of the event loop. Prints, per export: host CPU, longest stretch, calls, rows, wall.
 *
 *   node --import tsx bench/export-host.ts STORE_FILE [q=s] [runs=3]
 *
 * STORE_FILE: a copy of a store file (DATA_DIR/newsfind.db) holding the corpus, e.g. the Reuters shared file indexed
 * with `npm run index`; it is migrated if needed, never written otherwise.
 */
async function main(): Promise<void> {
  const [file, q = 's', runsText = '3'] = process.argv.slice(2);
  if (!file) throw new Error('usage: bench/export-host.ts STORE_FILE [q] [runs]');
  const db = openSqliteFile(file, { what: 'store', schema: '' });
  SqliteEngine.onDatabase(db, { file, index: 'none' }); // migrates the articles' schema
  const host = new IndexHost(db, { keyword: true, background: false });
  const spent = { ms: 0, longest: 0, calls: 0 };
  const timed = new Proxy(host as IndexPort, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const out: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        spent.longest = Math.max(spent.longest, performance.now() - started);
        spent.calls++;
        const stop = watchTurns((gap) => (spent.longest = Math.max(spent.longest, gap)));
        const done = () => {
          stop();
          const used = process.cpuUsage(cpu);
          spent.ms += (used.user + used.system) / 1000;
        };
        return (out as Promise<unknown>).finally(done);
      };
    },
  });
  const engine = SqliteEngine.onDatabase(db, { file, index: timed });
  const now = Date.now();
  console.log('export  host CPU ms  longest stretch ms  calls   rows  wall ms');
  for (let run = 1; run <= Number(runsText); run++) {
    Object.assign(spent, { ms: 0, longest: 0, calls: 0 });
    const started = performance.now();
    let rows = 0;
    const request = { q, sort: 'relevance', match: 'last', filters: {}, freshness: { halfLifeDays: 7, now } } as const;
    for await (const _row of exportSearch({ engine }, request)) rows++;
    const wall = performance.now() - started;
    const cells = [spent.ms.toFixed(0).padStart(11), spent.longest.toFixed(1).padStart(18), String(spent.calls).padStart(6), String(rows).padStart(6), wall.toFixed(0).padStart(8)];
    console.log(`${String(run).padStart(6)}  ${cells.join(' ')}`);
  }
  host.close();
  db.close();
}

/** Reports the time between consecutive turns of the event loop (setImmediate) until the returned stop is called. */
function watchTurns(gap: (ms: number) => void): () => void {
  let last = performance.now();
  let on = true;
  const turn = () => {
    if (!on) return;
    const at = performance.now();
    gap(at - last);
    last = at;
    setImmediate(turn);
  };
  setImmediate(turn);
  return () => {
    on = false;
  };
}

await main();
