import cluster from 'node:cluster';
import type { StartWriter, WriterLink } from '../analytics/recorder.js';
import { threadWriter } from '../analytics/recorder.js';
import type { WriterReply, WriterRequest, WriterSettings } from '../analytics/writer-protocol.js';

/**
 * One analytics writer thread per service, in the cluster primary, instead of one in every HTTP worker. A worker's
 * recorder (analytics/recorder.ts) keeps its queue, batches, back-off and bounds as before; only where a batch goes
 * changes: over the cluster IPC channel to the primary, which hands it to its own writer thread and sends the
 * answer back. A writer thread is a V8 isolate of its own (~6 MB resident, and ~3 MB more of node's pages a bare
 * process never touches), paid once instead of once per worker (docs/BENCHMARKS.md, "Memory whatever WORKERS").
 * The primary serves no requests, so the writes' waits for the file's lock stay off every request's path as before.
 */

/** Tag of the relay's messages on the cluster channel (the index host's and the metrics' messages have their own). */
const TAG = 'newsfind:analytics';

/** A worker's request, or the primary's answer to it. */
type RelayMessage = { readonly tag: typeof TAG; readonly request: WriterRequest } | { readonly tag: typeof TAG; readonly reply: WriterReply };

const isRelay = (message: unknown): message is RelayMessage => (message as { tag?: unknown } | null)?.tag === TAG;

/** A worker's side of its IPC channel to the primary (`process.send`, `process.on('message')`…). */
export interface WorkerChannel {
  /** Whether the channel is open (`process.connected`). */
  connected(): boolean;
  send(message: unknown): void;
  on(listener: (message: unknown) => void): void;
  off(listener: (message: unknown) => void): void;
}

/**
 * In a worker: a {@link StartWriter} whose writer is the primary's, over `channel`. A closed channel (the primary
 * gone) makes `send` throw, which the recorder counts as a failed write and retries after its back-off.
 */
export function primaryWriter(channel: WorkerChannel): StartWriter {
  return (_settings, events) => {
    const listener = (message: unknown) => {
      if (isRelay(message) && 'reply' in message) events.reply(message.reply);
    };
    channel.on(listener);
    return {
      send(request) {
        if (!channel.connected()) throw new Error('the IPC channel to the primary is closed');
        channel.send({ tag: TAG, request } satisfies RelayMessage);
      },
      close: async () => channel.off(listener),
    };
  };
}

/** The primary's side: each worker's messages with a function that answers that worker. */
export type RelayListen = (listener: (message: unknown, answer: (message: object) => void) => void) => void;

/**
 * In the primary: writes the workers' batches with one writer thread (`start`, default the analytics writer
 * thread, started at the first request and again after it died). Each request keeps its worker's id in the answer;
 * a thread that dies answers every request it held with `writer_exited`, which the worker's recorder retries.
 * `onProblem` hears the failures no worker asked about (the thread's own retention passes). Returns a function that
 * stops the writer (the primary's own exit ends it too).
 */
export function relayAnalyticsWrites(
  settings: WriterSettings,
  listen: RelayListen,
  options: { start?: StartWriter; onProblem?: (reply: WriterReply) => void } = {},
): () => Promise<void> {
  const start = options.start ?? threadWriter;
  const held = new Map<number, { readonly id: number; readonly answer: (message: object) => void }>();
  let nextId = 1;
  let writer: WriterLink | undefined;
  const answer = (reply: WriterReply) => {
    const asked = held.get(reply.id);
    held.delete(reply.id);
    if (asked) asked.answer({ tag: TAG, reply: { ...reply, id: asked.id } } satisfies RelayMessage);
    else if (!reply.ok) options.onProblem?.(reply);
  };
  const open = (): WriterLink => {
    if (writer) return writer;
    const link: WriterLink = start(settings, {
      reply: answer,
      lost: (why) => {
        if (writer !== link) return;
        writer = undefined;
        for (const id of [...held.keys()]) answer({ id, ok: false, code: 'writer_exited', message: why });
      },
    });
    writer = link;
    return link;
  };
  listen((message, reply) => {
    if (!isRelay(message) || !('request' in message)) return;
    const id = nextId++;
    held.set(id, { id: message.request.id, answer: reply });
    try {
      open().send({ ...message.request, id });
    } catch (error) {
      answer({ id, ok: false, code: 'writer_unavailable', message: (error as Error).message });
    }
  });
  return async () => {
    const link = writer;
    writer = undefined;
    await link?.close();
  };
}

/** In the primary, before any worker is forked: one analytics writer thread for every worker's events. */
export function hostAnalyticsWriter(settings: WriterSettings, onProblem: (reply: WriterReply) => void): void {
  const listen: RelayListen = (listener) =>
    cluster.on('message', (worker, message) =>
      listener(message, (answer) => {
        if (worker.isConnected()) worker.send(answer);
      }),
    );
  void relayAnalyticsWrites(settings, listen, { onProblem });
}

/** In a worker: its recorder's writer, the primary's ({@link hostAnalyticsWriter}). */
export function writerInPrimary(): StartWriter {
  return primaryWriter({
    connected: () => process.connected,
    send: (message) => process.send?.(message),
    on: (listener) => process.on('message', listener),
    off: (listener) => process.off('message', listener),
  });
}
