import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../src/config.js';
import { similarityFile } from '../src/config.js';
import { createEngine } from '../src/engines/create-engine.js';
import type { Rejection, SourceRecord } from '../src/services/ingest-articles.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import { Similarity } from '../src/similarity/similarity.js';
import { createProgress } from './progress.js';
import type { FieldMap } from './sources/field-map.js';
import type { SourceFormat } from './sources/read-source.js';
import { readFile, sourceFiles } from './sources/read-source.js';
import { IndexerState } from './state.js';
import type { RunReport } from './summary.js';
import { formatReport, makeReport } from './summary.js';
import type { DryRunCounts } from './sync.js';
import { disappeared, dryRunEngine, prune } from './sync.js';

/** The options of one indexer run (see main.ts for their command-line form). */
export interface RunOptions {
  readonly batchSize: number;
  readonly json: boolean;
  readonly rejects?: string;
  readonly format?: SourceFormat;
  readonly map: FieldMap;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly reset: boolean;
}

/** The indexer state's file inside DATA_DIR. */
export const stateFile = (config: Config): string => path.join(config.DATA_DIR, 'indexer-state.db');

/** A source (as given) and the files it stands for; `error` when it cannot be listed. */
interface PlannedSource {
  readonly source: string;
  readonly key: string;
  readonly files: readonly { file: string; label: string; format: SourceFormat }[];
  readonly error?: string;
}

async function plan(sources: readonly string[], format: SourceFormat | undefined): Promise<PlannedSource[]> {
  return Promise.all(
    sources.map(async (source) => {
      const key = path.resolve(source);
      try {
        return { source, key, files: await sourceFiles(source, format) };
      } catch (error) {
        return { source, key, files: [], error: (error as Error).message };
      }
    }),
  );
}

const fileSize = (file: string): number => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

/**
 * Every record of every source in turn. A source or file that cannot be read is one rejected record (located by
 * the path given, or the file's label) and its source is marked `incomplete`, so that `--prune` leaves it alone.
 */
async function* allRecords(planned: readonly PlannedSource[], options: RunOptions, meter: { bytes: number }, incomplete: Set<string>): AsyncGenerator<SourceRecord> {
  const onBytes = (n: number) => (meter.bytes += n);
  for (const p of planned) {
    if (p.error !== undefined) {
      incomplete.add(p.key);
      yield { source: p.key, location: p.source, value: undefined, parseError: `cannot read the file: ${p.error}` };
      continue;
    }
    for (const f of p.files) {
      try {
        yield* readFile(f.file, f.format, { source: p.key, label: f.label, map: options.map, onBytes });
      } catch (error) {
        incomplete.add(p.key);
        yield { source: p.key, location: f.label, value: undefined, parseError: `cannot read the file: ${(error as Error).message}` };
      }
    }
  }
}

function formatRejection(r: Rejection): string {
  return r.issues.map((i) => `rejected ${r.location}: ${i.path}: ${i.message}`).join('\n');
}

/** Indexes `sources` into the configured engine and similarity index (see main.ts); returns the run's report. */
export async function runIndex(config: Config, sources: readonly string[], options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const realEngine = createEngine(config, 'indexer');
  const similarity = Similarity.open(similarityFile(config), { serve: false });
  const state = IndexerState.open(stateFile(config));
  const rejectsOut = options.rejects === undefined ? undefined : fs.createWriteStream(options.rejects);
  const dryRun: DryRunCounts | undefined = options.dryRun ? { added: 0, changed: 0, unchanged: 0 } : undefined;
  const engine = dryRun ? dryRunEngine(realEngine, dryRun) : realEngine;
  const planned = await plan(sources, options.format);
  const totalBytes = planned.flatMap((p) => p.files).reduce((n, f) => n + fileSize(f.file), 0);
  const progress = createProgress(process.stderr, () => performance.now(), totalBytes);
  const meter = { bytes: 0 };
  const incomplete = new Set<string>();
  const seen = { keys: new Set<string>(), ids: new Set<string>() };
  try {
    if (options.reset) {
      await realEngine.clear();
      similarity.clear();
      state.clear();
    }
    const summary = await ingestArticles({ engine, ...(dryRun ? {} : { similarity }) }, allRecords(planned, options, meter, incomplete), {
      batchSize: options.batchSize,
      onProgress: (s) => progress.update(s, meter.bytes),
      onWritten: (written) => {
        if (!dryRun) state.record(written);
        if (!options.prune) return;
        for (const w of written) {
          seen.keys.add(`${w.source}\u0000${w.id}`);
          seen.ids.add(w.id);
        }
      },
      onReject: (r) => {
        rejectsOut?.write(`${JSON.stringify(r)}\n`);
        if (!options.json) process.stderr.write(`${formatRejection(r)}\n`);
      },
    });
    progress.stop();
    let deleted = 0;
    if (options.prune) {
      const prunable = planned.filter((p) => !incomplete.has(p.key)).map((p) => p.key);
      for (const p of planned.filter((q) => incomplete.has(q.key))) {
        process.stderr.write(`not pruning ${p.source}: some of it could not be read\n`);
      }
      const gone = disappeared(state, prunable, seen);
      deleted = dryRun ? gone.ids.length : await prune({ engine: realEngine, similarity, state }, gone);
    }
    return makeReport(summary, deleted, (performance.now() - started) / 1000, dryRun);
  } finally {
    progress.stop();
    await realEngine.close();
    similarity.close();
    state.close();
    await new Promise((resolve) => (rejectsOut ? rejectsOut.end(resolve) : resolve(undefined)));
  }
}

export { formatReport };
