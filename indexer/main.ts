import os from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '../src/config.js';
import { StoreBusyError } from '../src/core/errors.js';
import type { RunOptions } from './run-index.js';
import { runIndex, UsageError } from './run-index.js';
import { formatReport } from './summary.js';
import { FieldMapError, parseFieldMap } from './sources/field-map.js';
import { SOURCE_FORMATS } from './sources/read-source.js';

/** Exit statuses (README, "Feedback"): 1 is also a run that failed on an error. */
const EXIT_OK = 0;
const EXIT_REJECTED = 1;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** A store stayed locked by another process (another indexer) longer than INDEXER_BUSY_TIMEOUT_MS: run again later. */
const EXIT_BUSY = 3;

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
};

/** Articles per write transaction by default: the write lock is held for ~0.3 s of work, not ~1.5 s (see --batch-size). */
const DEFAULT_BATCH_SIZE = 100;
/**
 * The indexer's CPU priority by default: normal. Measured with bench:freshness, nice 10 did not lower the API's p99
 * during an ingest (282 ms against 237 ms at 0, within noise), and an indexer starved of CPU holds the write lock
 * longer while POSTs wait for it; `--nice` is there for hosts where the indexer should yield.
 */
const DEFAULT_NICE = 0;

const niceValue = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new InvalidArgumentError('must be a whole number from 0 (normal) to 19 (lowest)');
  return n;
};

const fieldMap = (value: string) => {
  try {
    return parseFieldMap(value);
  } catch (error) {
    if (error instanceof FieldMapError) throw new InvalidArgumentError(error.message);
    throw error;
  }
};

const DESCRIPTION = `Read articles from files and folders and index them (search and "more like this").
Formats, by extension unless --format says otherwise: .jsonl/.ndjson (JSON Lines), .json (an array or one
object), .csv (header row; see --map), .xml/.rss/.atom (RSS 2.0 or Atom feed), .html/.htm (a saved page),
.txt (a page scraped as plain text). A folder is read with its sub-folders, each file by its extension.`;

function program(): Command {
  return new Command('npm run index --')
    .description(DESCRIPTION)
    .argument('[sources...]', 'files and folders to read (none with --reconcile alone)')
    .addOption(new Option('--format <kind>', 'read every file as this kind').choices(SOURCE_FORMATS))
    .option('--map <pairs>', 'CSV columns for article fields, e.g. title=headline,body=text,publishedAt=date', fieldMap, new Map())
    .option('--prune', 'remove articles that disappeared from these sources since their last run', false)
    .option('--dry-run', 'report what would be added, changed, left unchanged and (with --prune) deleted; write nothing', false)
    .option('--reset', 'clear the index, the similarity index and the indexer state first, then index', false)
    .option('--reconcile', 'first find and heal articles present in one store and not another (a term vector or entities missing, orphans)', false)
    .option('--batch-size <n>', 'articles per write transaction (others wait for the write lock while one runs)', positiveInt, DEFAULT_BATCH_SIZE)
    .option('--nice <n>', 'CPU priority, 0 (normal) to 19 (lowest): a higher value lets a service on the same host come first', niceValue, DEFAULT_NICE)
    .option('--json', 'print the summary as one JSON object (and rejections only to --rejects)', false)
    .option('--rejects <file>', 'write every rejected record as a JSON line (source, location, issues) to this file')
    .exitOverride();
}

async function main(argv: readonly string[]): Promise<number> {
  const cli = program();
  try {
    cli.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw error;
  }
  const options = cli.opts<RunOptions>();
  if (cli.args.length === 0 && !options.reconcile) {
    process.stderr.write("error: missing required argument 'sources'\n");
    return EXIT_USAGE;
  }
  if (options.dryRun && options.reconcile) {
    process.stderr.write('error: --dry-run and --reconcile cannot be combined (a reconcile writes what it heals)\n');
    return EXIT_USAGE;
  }
  if (options.dryRun && options.reset) {
    process.stderr.write('error: --dry-run and --reset cannot be combined (a reset writes by definition)\n');
    return EXIT_USAGE;
  }
  lowerPriority(options.nice ?? DEFAULT_NICE);
  try {
    const report = await runIndex(loadConfig(process.env), cli.args, options);
    process.stdout.write(`${options.json ? JSON.stringify(report) : formatReport(report)}\n`);
    return report.rejected > 0 ? EXIT_REJECTED : EXIT_OK;
  } catch (error) {
    return stopped(error, options.json);
  }
}

/** Lowers this process's CPU priority (never needs privileges); where the OS refuses, the run goes on as it is. */
function lowerPriority(nice: number): void {
  try {
    if (nice > os.getPriority()) os.setPriority(nice);
  } catch (error) {
    process.stderr.write(`note: CPU priority left as it is (${(error as Error).message})\n`);
  }
}

/**
 * Reports a run that did not finish — on stderr, and with `--json` also as one object on stdout,
 * `{"error": "usage" | "store_busy" | "failed", "message", "exitStatus"}` — and returns its exit status.
 */
function stopped(error: unknown, json: boolean): number {
  const message = error instanceof Error ? error.message : String(error);
  let outcome: { error: string; exitStatus: number; line: string };
  if (error instanceof ConfigError || error instanceof UsageError) {
    outcome = { error: 'usage', exitStatus: EXIT_USAGE, line: message };
  } else if (error instanceof StoreBusyError) {
    const advice = 'what was written before stays; run the indexer again once the other process is done';
    outcome = { error: 'store_busy', exitStatus: EXIT_BUSY, line: `indexing stopped: ${message} (another indexer?): ${advice}` };
  } else {
    outcome = { error: 'failed', exitStatus: EXIT_FAILED, line: `indexing failed: ${message}` };
  }
  process.stderr.write(`${outcome.line}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: outcome.error, message, exitStatus: outcome.exitStatus })}\n`);
  return outcome.exitStatus;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(stopped(error, false)),
);
