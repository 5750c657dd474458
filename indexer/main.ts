import os from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '../src/config.js';
import { StoreBusyError } from '../src/core/errors.js';
import type { RunOptions } from './run-index.js';
import { runIndex, UsageError } from './run-index.js';
import { formatReport } from './summary.js';
import { FieldMapError, parseFieldMap } from './sources/field-map.js';
import { SOURCE_FORMATS } from './sources/read-source.js';
import { follow, parseDuration } from './follow.js';
import { DEFAULT_HTTP_OPTIONS } from './sources/http-web.js';

/** Exit statuses (docs/INDEXING.md, "Feedback"): 1 is also a run that failed on an error. */
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

/** Articles per write transaction by default: small enough that other writers wait briefly for the lock (see --batch-size; figures in docs/BENCHMARKS.md). */
const DEFAULT_BATCH_SIZE = 100;
/**
 * The indexer's CPU priority by default: normal. Measured with bench:freshness (docs/BENCHMARKS.md), nice 10 did not
 * lower the API's p99 during an ingest beyond noise, and an indexer starved of CPU holds the write lock longer while
 * POSTs wait for it; `--nice` is there for hosts where the indexer should yield.
 */
const DEFAULT_NICE = 0;

const niceValue = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new InvalidArgumentError('must be a whole number from 0 (normal) to 19 (lowest)');
  return n;
};

const durationMs = (value: string): number => {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};
const durationOrZero = (value: string): number => (value.trim() === '0' ? 0 : durationMs(value));
const wholeNumber = (value: string): number => (value.trim() === '0' ? 0 : positiveInt(value));

const fieldMap = (value: string) => {
  try {
    return parseFieldMap(value);
  } catch (error) {
    if (error instanceof FieldMapError) throw new InvalidArgumentError(error.message);
    throw error;
  }
};

const DESCRIPTION = `Read articles from files and folders and index them (search, "more like this", entities) into the store in DATA_DIR: give it the service's DATA_DIR, and the service sees what it writes within a second.

Each file is read by its extension (or as --format says):
  .jsonl .ndjson      JSON Lines, one article a line
  .json               an array of articles, or one (read whole: use JSON Lines for big files)
  .csv                a header row, then one article a row (see --map)
  .xml .rss .atom     an RSS 2.0 or Atom feed, one article an item
  .html .htm          a saved page, one article
  .txt                a page scraped as plain text, one article
A folder is read with its sub-folders, each file by its extension (others are skipped).
A URL (http:// or https://) is fetched and read by what it holds: an RSS, Atom or JSON Feed, a (news) sitemap or sitemap index, a page, JSON, JSON Lines or CSV (see --every and --fetch-pages).
Also run as: npm run index -- [options] [sources...]`;

function program(): Command {
  return new Command('newsfind index')
    .description(DESCRIPTION)
    .argument('[sources...]', 'files, folders and http(s) URLs to read (none with --reconcile alone)')
    .addOption(new Option('--format <kind>', 'read every file as this kind').choices(SOURCE_FORMATS))
    .addOption(
      new Option('--map <pairs>', 'CSV columns for article fields, e.g. title=headline,body=text,publishedAt=date')
        .argParser(fieldMap)
        .default(new Map(), 'columns named like the fields'),
    )
    .option('--prune', 'remove articles that disappeared from these sources since their last run', false)
    .option('--dry-run', 'report what would be added, changed, left unchanged and (with --prune) deleted; write nothing', false)
    .option('--reset', 'clear the index, the similarity index and the indexer state first, then index', false)
    .option('--reconcile', 'first find and heal articles present in one store and not another (a term vector or entities missing, orphans)', false)
    .option('--batch-size <n>', 'articles per write transaction (others wait for the write lock while one runs)', positiveInt, DEFAULT_BATCH_SIZE)
    .option('--nice <n>', 'CPU priority, 0 (normal) to 19 (lowest): a higher value lets a service on the same host come first', niceValue, DEFAULT_NICE)
    .option('--json', 'print the summary as one JSON object (and rejections only to --rejects)', false)
    .option('--rejects <file>', 'write every rejected record as a JSON line (source, location, issues) to this file')
    .option('--every <duration>', 'follow mode: index again every 30s, 5m, 1h… until SIGTERM (which finishes the current batch, exit 0)', durationMs)
    .option('--fetch-pages', 'URLs: complete a feed item or sitemap entry that carries only a summary or a link from its page (robots.txt honoured)', false)
    .option('--user-agent <text>', 'URLs: the User-Agent sent (name your site and a contact)', DEFAULT_HTTP_OPTIONS.userAgent)
    .addOption(new Option('--timeout <duration>', 'URLs: time allowed for one answer, headers and body').argParser(durationMs).default(DEFAULT_HTTP_OPTIONS.timeoutMs, '30s'))
    .addOption(new Option('--max-bytes <n>', 'URLs: largest answer read, in bytes (decoded)').argParser(positiveInt).default(DEFAULT_HTTP_OPTIONS.maxBytes, '20 MiB'))
    .option('--per-host <n>', 'URLs: requests in flight to one host at most', positiveInt, DEFAULT_HTTP_OPTIONS.perHost)
    .addOption(new Option('--host-delay <duration>', 'URLs: least time between two requests to one host (0: none)').argParser(durationOrZero).default(DEFAULT_HTTP_OPTIONS.hostDelayMs, '1s'))
    .option('--retries <n>', 'URLs: further attempts after a failure that may pass (5xx, 429, time-out)', wholeNumber, DEFAULT_HTTP_OPTIONS.retries)
    .exitOverride();
}

async function main(argv: readonly string[]): Promise<number> {
  const cli = program();
  try {
    cli.parse(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return EXIT_OK; // --help
    return usage(error.message.replace(/^error: /, ''), { json: asksForJson(argv), printed: true });
  }
  const options = withHttp(cli.opts<RunOptions & CliHttpOptions>());
  const json = { json: options.json };
  if (cli.args.length === 0 && !options.reconcile) return usage("missing required argument 'sources'", json);
  if (options.dryRun && options.reconcile) return usage('--dry-run and --reconcile cannot be combined (a reconcile writes what it heals)', json);
  if (options.dryRun && options.reset) return usage('--dry-run and --reset cannot be combined (a reset writes by definition)', json);
  lowerPriority(options.nice ?? DEFAULT_NICE);
  if (options.everyMs !== undefined) return followSources(cli.args, { ...options, everyMs: options.everyMs });
  try {
    const report = await runIndex(loadConfig(process.env), cli.args, options);
    process.stdout.write(`${options.json ? JSON.stringify(report) : formatReport(report)}\n`);
    return report.rejected > 0 ? EXIT_REJECTED : EXIT_OK;
  } catch (error) {
    return stopped(error, options.json);
  }
}

/** The HTTP options as the command line gives them. */
interface CliHttpOptions {
  readonly every?: number;
  readonly userAgent: string;
  readonly timeout: number;
  readonly maxBytes: number;
  readonly perHost: number;
  readonly hostDelay: number;
  readonly retries: number;
}

function withHttp(o: RunOptions & CliHttpOptions): RunOptions {
  const http = { userAgent: o.userAgent, timeoutMs: o.timeout, maxBytes: o.maxBytes, perHost: o.perHost, hostDelayMs: o.hostDelay, retries: o.retries };
  return { ...o, http, ...(o.every === undefined ? {} : { everyMs: o.every }) };
}

/**
 * Follow mode: polls until SIGTERM or SIGINT, which let the poll under way write what it read and end with exit
 * status 0; each poll's summary is printed as a one-shot run's is. A usage error still ends it (status 2).
 */
async function followSources(sources: readonly string[], options: RunOptions & { everyMs: number }): Promise<number> {
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop.abort());
  try {
    const config = loadConfig(process.env);
    await follow(config, sources, options, {
      stop: stop.signal,
      onReport: (report) => process.stdout.write(`${options.json ? JSON.stringify(report) : formatReport(report)}\n`),
      onError: (error) => {
        if (error instanceof ConfigError || error instanceof UsageError) return false;
        stopped(error, options.json);
        return true;
      },
    });
    return EXIT_OK;
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
 * Whether a command line that commander could not parse asked for `--json` (before any `--`), so that its usage
 * error is answered in JSON too.
 */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Reports bad usage — `error: <message>` on stderr (unless commander `printed` it already), and with `json` also
 * `{"error": "usage", "message", "exitStatus": 2}` on stdout — and returns exit status 2.
 */
function usage(message: string, how: { json: boolean; printed?: boolean }): number {
  if (!how.printed) process.stderr.write(`error: ${message}\n`);
  if (how.json) printJsonError('usage', message, EXIT_USAGE);
  return EXIT_USAGE;
}

/** The `--json` answer of a run that did not finish: one object on stdout. */
function printJsonError(error: 'usage' | 'store_busy' | 'failed', message: string, exitStatus: number): void {
  process.stdout.write(`${JSON.stringify({ error, message, exitStatus })}\n`);
}

/**
 * Reports a run that did not finish — on stderr, and with `--json` also as one object on stdout,
 * `{"error": "usage" | "store_busy" | "failed", "message", "exitStatus"}` — and returns its exit status.
 */
function stopped(error: unknown, json: boolean): number {
  const message = error instanceof Error ? error.message : String(error);
  let outcome: { error: 'usage' | 'store_busy' | 'failed'; exitStatus: number; line: string };
  if (error instanceof ConfigError || error instanceof UsageError) {
    outcome = { error: 'usage', exitStatus: EXIT_USAGE, line: message };
  } else if (error instanceof StoreBusyError) {
    const advice = 'what was written before stays; run the indexer again once the other process is done';
    outcome = { error: 'store_busy', exitStatus: EXIT_BUSY, line: `indexing stopped: ${message} (another indexer?): ${advice}` };
  } else {
    outcome = { error: 'failed', exitStatus: EXIT_FAILED, line: `indexing failed: ${message}` };
  }
  process.stderr.write(`${outcome.line}\n`);
  if (json) printJsonError(outcome.error, message, outcome.exitStatus);
  return outcome.exitStatus;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(stopped(error, false)),
);
