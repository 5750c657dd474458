import { WakeablePause } from './wakeable-pause.js';
import type { MirroredDocument, MirrorSource, MirrorTarget, MirrorTombstone } from './mirror.js';

/** How a mirror paces itself. */
export interface MirrorFollowerOptions {
  readonly source: MirrorSource;
  readonly target: MirrorTarget;
  /** Clock time in ms (the caught-up time, the sweep's pace). */
  readonly now: () => number;
  /** How far behind its cursor the mirror looks again for documents stamped late (ms; default 60,000). */
  readonly lookBackMs?: number;
  /** Milliseconds between two look-back sweeps (default 10,000). */
  readonly sweepMs?: number;
  /** Milliseconds between polls once caught up (default 500); a failure waits 5 × as long, at most 30 s. */
  readonly pollMs?: number;
  /** Documents (or tombstones) read per request (default 500). */
  readonly pageSize?: number;
  /** Where failures are told (an operator's log). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A replica's mirror of the search engine (Meilisearch): it fills the replica's private local store (term vectors,
 * entities, copy groups; the index host builds the similarity index, entity names and story threads from them) from
 * the engine alone, so that replicas share nothing but the engine.
 *
 * Each step reads, in increasing stamp order from its cursor, the documents stamped since (`indexedAt`, set as the
 * outbox's deliverer sends them) and writes those whose content hash differs from the one it holds, without queuing
 * them to any outbox; then the tombstones (a delete's ids, or a clear) stamped since, each checked against what the
 * engine holds now (an id deleted then written again stays). A stamp can land behind the cursor (two deliverers'
 * clocks, a send overtaken by another): every `sweepMs` the hashes of the last `lookBackMs` (behind the cursor, and
 * no older than the clock's last `lookBackMs`) are read again and the documents that differ are written. Documents written before stamps existed are read once, at the first start.
 * Cursors, hashes and data change in one local transaction, so a restart resumes where it stopped.
 */
export class MirrorFollower {
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly pause = new WakeablePause();
  private lastSweep = Number.NEGATIVE_INFINITY;
  private failures = 0;

  constructor(private readonly options: MirrorFollowerOptions) {}

  private get pageSize(): number {
    return this.options.pageSize ?? 500;
  }

  /** Follows in the background until {@link stop}. */
  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after the step in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pause.wake();
    await this.running;
  }

  /**
   * One step: the unstamped documents (once), a page of documents, a page of tombstones, and the look-back sweep
   * when due. Returns true when it reached the end of the engine's changes (then the caught-up time moves).
   */
  async step(): Promise<boolean> {
    const { source, target, now } = this.options;
    if (!target.position().unstampedDone) await this.readUnstamped();
    const documents = await source.documentsAfter(target.position().documentsAt, this.pageSize);
    if (documents.length > 0) target.apply(this.changed(documents), { documentsAt: documents.at(-1)!.indexedAt });
    const tombstones = await source.tombstonesAfter(target.position().tombstonesAt, this.pageSize);
    for (const tombstone of tombstones) await this.settle(tombstone, { tombstonesAt: tombstone.deletedAt });
    if (now() - this.lastSweep >= (this.options.sweepMs ?? 10_000)) await this.sweep();
    const end = documents.length < this.pageSize && tombstones.length < this.pageSize;
    if (end) target.move({ caughtUpAt: now() });
    return end;
  }

  /** Documents whose hash differs from the one held. */
  private changed(documents: readonly MirroredDocument[]): MirroredDocument[] {
    return documents.filter((d) => this.options.target.heldHash(d.article.id) !== d.hash);
  }

  /** Brings `ids` to what the engine holds now: absent ones removed, changed ones written. */
  private async reconcileIds(ids: readonly string[], move: Parameters<MirrorTarget['move']>[0]): Promise<void> {
    const { source, target } = this.options;
    const held = await source.documents(ids);
    const present = new Set(held.map((d) => d.article.id));
    target.apply(this.changed(held), {});
    target.remove(ids.filter((id) => !present.has(id)), move);
  }

  /** Applies a tombstone: a delete's ids, or for a clear every id held, checked against the engine. */
  private async settle(tombstone: MirrorTombstone, move: Parameters<MirrorTarget['move']>[0]): Promise<void> {
    if (tombstone.kind === 'delete') {
      for (let i = 0; i < tombstone.ids.length; i += this.pageSize) await this.reconcileIds(tombstone.ids.slice(i, i + this.pageSize), {});
    } else {
      for (let after = ''; ; ) {
        const ids = this.options.target.heldIds(after, this.pageSize);
        if (ids.length === 0) break;
        await this.reconcileIds(ids, {});
        after = ids.at(-1)!;
      }
    }
    this.options.target.move(move);
  }

  /** Reads the documents of the look-back window again, by hash, and the tombstones of the window. */
  private async sweep(): Promise<void> {
    const { source, target, now } = this.options;
    const lookBackMs = this.options.lookBackMs ?? 60_000;
    // Only a recent stamp can land late (a clock's skew, a send overtaken): behind both the cursor and the clock
    // by the look-back, nothing is read again — a replica filling itself from older history sweeps nothing.
    const from = (cursor: number) => Math.max(cursor - lookBackMs * 1000, (now() - lookBackMs) * 1000, 0);
    const { documentsAt, tombstonesAt } = target.position();
    for (let after = from(documentsAt); after < documentsAt; ) {
      const stamps = (await source.stampsAfter(after, this.pageSize)).filter((s) => s.indexedAt <= documentsAt);
      const differing = stamps.filter((s) => target.heldHash(s.id) !== s.hash).map((s) => s.id);
      if (differing.length > 0) target.apply(this.changed(await source.documents(differing)), {});
      if (stamps.length < this.pageSize) break;
      after = stamps.at(-1)!.indexedAt;
    }
    const since = from(tombstonesAt);
    if (since < tombstonesAt) {
      const tombstones = await source.tombstonesAfter(since, this.pageSize);
      for (const tombstone of tombstones.filter((t) => t.deletedAt <= tombstonesAt)) await this.settle(tombstone, {});
    }
    this.lastSweep = now();
  }

  /** Reads the documents that carry no stamp, once (they were written before stamps existed). */
  private async readUnstamped(): Promise<void> {
    const { source, target } = this.options;
    for (let offset = 0; ; offset += this.pageSize) {
      const documents = await source.unstamped(offset, this.pageSize);
      const last = documents.length < this.pageSize;
      target.apply(this.changed(documents), last ? { unstampedDone: true } : {});
      if (last) return;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let wait = this.options.pollMs ?? 500;
      try {
        if (!(await this.step())) wait = 0;
        this.failures = 0;
      } catch (error) {
        this.failures++;
        this.options.onError?.(error);
        wait = Math.min(wait * 5 * this.failures, 30_000);
      }
      if (wait > 0) await this.pause.wait(wait);
    }
  }
}
