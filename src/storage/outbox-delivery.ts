import type { Config } from '../config.js';
import { storeFile } from '../config.js';
import { createEngine } from '../engines/create-engine.js';
import { fromDocument, MAX_PAYLOAD_BYTES, toDocument } from '../engines/meilisearch/document.js';
import { MeilisearchEngine } from '../engines/meilisearch/meilisearch-engine.js';
import type { SearchEngine } from '../engines/search-engine.js';
import { OutboxDeliverer } from '../services/engine-outbox.js';
import type { DocumentCodec } from './engine-outbox-store.js';
import { EngineOutboxStore, OUTBOX_SCHEMA } from './engine-outbox-store.js';
import { openSqliteFile } from './sqlite-file.js';

/** Outbox documents are Meilisearch documents, exactly as the adapter sends them (engines/meilisearch/document.ts). */
export const meiliCodec: DocumentCodec = { encode: toDocument, decode: fromDocument };

/**
 * Whether this configuration can write to Meilisearch (an admin or master key, or no key at all: an unprotected
 * instance), as the adapter's KeySource decides. A process that cannot keeps no outbox: its writes fail at once
 * ("writing needs MEILI_ADMIN_KEY…") instead of queueing operations nothing could deliver.
 */
export const meiliWritable = (config: Config): boolean =>
  config.SEARCH_ENGINE === 'meilisearch' &&
  (config.MEILI_ADMIN_KEY !== undefined || config.MEILI_MASTER_KEY !== undefined || config.MEILI_SEARCH_KEY === undefined);

/**
 * The outbox's batch size and lease: a lease outlives the longest batch a deliverer can be in (its task wait and
 * its two requests, plus 10 s), so that a live deliverer never loses it mid-batch.
 */
export function outboxLeaseMs(config: Config): { maxPayloadBytes: number; leaseMs: number } {
  return { maxPayloadBytes: MAX_PAYLOAD_BYTES, leaseMs: config.MEILI_TASK_TIMEOUT_MS + 2 * config.MEILI_REQUEST_TIMEOUT_MS + 10_000 };
}

/** Where a deliverer tells its failures (a pino logger fits). */
export interface OutboxLog {
  warn(detail: object, message: string): void;
  error(detail: object, message: string): void;
}

/** A deliverer of `outbox` to `engine` (a Meilisearch engine), its failures logged; undefined for another engine. */
export function outboxDeliverer(outbox: EngineOutboxStore, engine: SearchEngine, log: OutboxLog): OutboxDeliverer | undefined {
  if (!(engine instanceof MeilisearchEngine)) return undefined;
  return new OutboxDeliverer({
    queue: outbox,
    sink: engine,
    onEvent: (event, detail) => {
      if (event === 'dead') log.error(detail, 'Meilisearch refused an outbox operation: set aside as a dead letter');
      else if (event === 'warning') log.warn(detail, 'an outbox operation reached Meilisearch, but something beside it failed (tried again later)');
      else log.warn(detail, 'outbox delivery to Meilisearch failed for now; retrying with backoff');
    },
  });
}

/** A running delivery of the store file's outbox, in a process of its own (the API's primary). */
export interface OutboxDelivery {
  stop(): Promise<void>;
}

/**
 * Starts the host's deliverer in the API's primary process (Meilisearch mode with a key that writes; undefined
 * otherwise): its own
 * connection to the store file and its own adapter (admin key). It delivers while it holds the outbox's lease — an
 * indexer running beside it may hold it — and gives it up when the process exits.
 */
export function startOutboxDelivery(config: Config, log: OutboxLog): OutboxDelivery | undefined {
  if (!meiliWritable(config)) return undefined;
  const db = openSqliteFile(storeFile(config), { what: 'store', schema: OUTBOX_SCHEMA });
  const outbox = new EngineOutboxStore(db, { codec: meiliCodec, ...outboxLeaseMs(config) });
  const engine = createEngine(config, 'indexer');
  const deliverer = outboxDeliverer(outbox, engine, log)!;
  const release = () => outbox.release();
  process.once('exit', release);
  deliverer.start();
  return {
    stop: async () => {
      await deliverer.stop();
      process.off('exit', release);
      await engine.close();
      db.close();
    },
  };
}
