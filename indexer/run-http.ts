import type { SourceRecord } from '../src/services/ingest-articles.js';
import type { RunOptions } from './run-index.js';
import type { HttpLedger, Web } from './sources/http-source.js';
import { readHttpSource } from './sources/http-source.js';
import type { IndexerState } from './state.js';

/** The HTTP(S) sources of an indexer run (see run-index.ts): how each is read, and what is kept once the run wrote. */

/** What the HTTP sources of a run share: the network, the state, and what is committed once the run has written. */
export interface HttpRun {
  readonly meter: { bytes: number };
  readonly web: Web;
  readonly state: IndexerState;
  readonly ledger: HttpLedger;
}

/** An HTTP(S) source's records; in follow mode, none while it is backing off (a Retry-After, failures in a row). */
export function httpRecords(url: string, options: RunOptions, run: HttpRun & { onBytes: (n: number) => void }): AsyncGenerator<SourceRecord> | [] {
  const notBefore = options.everyMs === undefined ? undefined : run.state.source(url)?.notBefore;
  if (notBefore !== undefined && notBefore > Date.now()) {
    if (!options.json) process.stderr.write(`skipping ${url} until ${new Date(notBefore).toISOString()} (it failed; backing off)\n`);
    return [];
  }
  return readHttpSource({
    url, web: run.web, state: run.state, ledger: run.ledger, map: options.map, format: options.format,
    fetchPages: options.fetchPages ?? false, backoffBaseMs: options.everyMs, signal: options.signal, onBytes: run.onBytes, dryRun: options.dryRun,
  });
}

/** Keeps what the HTTP sources read in full told (validators, item counts, pages fetched), now that it is written. */
export function commitHttp(state: IndexerState, ledger: HttpLedger): void {
  if (ledger.successes.length > 0) state.sourcesSucceeded(ledger.successes);
  if (ledger.pages.length > 0) state.pagesFetched(ledger.pages);
}
