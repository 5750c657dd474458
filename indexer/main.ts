import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, entitiesFile, loadConfig, similarityFile } from '../src/config.js';
import { Entities } from '../src/entities/entities.js';
import { createEngine } from '../src/engines/create-engine.js';
import type { IngestSummary, Rejection, SourceRecord } from '../src/services/ingest-articles.js';
import { ingestArticles, refreshEntities } from '../src/services/ingest-articles.js';
import { Similarity } from '../src/similarity/similarity.js';
import { createProgress } from './progress.js';
import { readRecords } from './sources/json-records.js';

const EXIT_OK = 0;
const EXIT_REJECTED = 1;
const EXIT_USAGE = 2;

interface Options {
  readonly batchSize: number;
  readonly json: boolean;
  readonly rejects?: string;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
};

/** The `.json` and `.jsonl` files directly inside a folder, in name order (a mounted folder of exports). */
function filesIn(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.jsonl?$/i.test(e.name))
    .map((e) => path.join(folder, e.name))
    .sort();
}

/** Each path as files: a folder stands for the JSON files in it. */
function expand(paths: readonly string[]): string[] {
  return paths.flatMap((p) => (fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ? filesIn(p) : [p]));
}

/** Every file's records in turn; a file that cannot be read is one rejected record, and the others go on. */
async function* allRecords(paths: readonly string[]): AsyncGenerator<SourceRecord> {
  for (const file of expand(paths)) {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      yield* readRecords(file);
    } catch (error) {
      yield { location: file, value: undefined, parseError: `cannot read the file: ${(error as Error).message}` };
    }
  }
}

function formatRejection(r: Rejection): string {
  return r.issues.map((i) => `rejected ${r.location}: ${i.path}: ${i.message}`).join('\n');
}

async function run(files: readonly string[], options: Options): Promise<number> {
  const config = loadConfig(process.env);
  const engine = createEngine(config, 'indexer');
  const similarity = Similarity.open(similarityFile(config), { serve: false });
  const entities = Entities.open(entitiesFile(config));
  const rejectsOut = options.rejects === undefined ? undefined : fs.createWriteStream(options.rejects);
  const progress = createProgress(process.stderr, () => performance.now());
  const started = performance.now();
  let summary: IngestSummary;
  try {
    summary = await ingestArticles({ engine, similarity, entities }, allRecords(files), {
      batchSize: options.batchSize,
      onProgress: (s) => progress.update(s),
      onReject: (r) => {
        rejectsOut?.write(`${JSON.stringify(r)}\n`);
        if (!options.json) process.stderr.write(`${formatRejection(r)}\n`);
      },
    });
    await refreshEntities({ engine, similarity, entities });
  } finally {
    progress.stop();
    await engine.close();
    similarity.close();
    entities.close();
    await new Promise((resolve) => (rejectsOut ? rejectsOut.end(resolve) : resolve(undefined)));
  }
  const seconds = (performance.now() - started) / 1000;
  const report = { ...summary, seconds: Number(seconds.toFixed(2)), docsPerSecond: Math.round(summary.read / Math.max(seconds, 1e-3)) };
  process.stdout.write(
    options.json
      ? `${JSON.stringify(report)}\n`
      : `read ${report.read} | indexed ${report.indexed} | unchanged ${report.unchanged} | rejected ${report.rejected} | ${report.seconds} s, ${report.docsPerSecond} docs/s\n`,
  );
  return summary.rejected > 0 ? EXIT_REJECTED : EXIT_OK;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('npm run index --')
    .description('Validate articles from JSON Lines (.jsonl) or JSON (.json, an array or one object) files and index them.')
    .argument('<files...>', 'files to read; a folder stands for the .json and .jsonl files directly inside it')
    .option('--batch-size <n>', 'articles per write transaction', positiveInt, 500)
    .option('--json', 'print the summary as one JSON object', false)
    .option('--rejects <file>', 'also write every rejected record as a JSON line to this file')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw error;
  }
  try {
    return await run(program.args, program.opts<Options>());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`indexing failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
