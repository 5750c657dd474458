import type { Article } from '../core/article.js';

/**
 * The ports of a replica's mirror (mirror-follower.ts): what it reads of the search engine (Meilisearch), and the
 * private local store it fills. Stamps are the engine's `indexedAt` / `deletedAt`, in microseconds since the epoch.
 */

/** A document as the engine holds it: the article, its content hash and its stamp. */
export interface MirroredDocument {
  readonly article: Article;
  readonly hash: string;
  readonly indexedAt: number;
}

/** A document's id, content hash and stamp, without its text (the look-back sweep compares these). */
export interface DocumentStamp {
  readonly id: string;
  readonly hash: string;
  readonly indexedAt: number;
}

/** A delete (its ids) or a clear (no ids) that the engine applied. */
export interface MirrorTombstone {
  readonly kind: 'delete' | 'clear';
  readonly ids: readonly string[];
  readonly deletedAt: number;
}

/** What a mirror reads of the engine; every list is in increasing stamp order. */
export interface MirrorSource {
  /** Documents stamped after `after`, oldest first, at most `limit`. */
  documentsAfter(after: number, limit: number): Promise<MirroredDocument[]>;
  /** The same, id, hash and stamp only. */
  stampsAfter(after: number, limit: number): Promise<DocumentStamp[]>;
  /** Documents without a stamp (written before stamps existed), a page at `offset`. */
  unstamped(offset: number, limit: number): Promise<MirroredDocument[]>;
  /** The documents the engine holds among `ids`. */
  documents(ids: readonly string[]): Promise<MirroredDocument[]>;
  /** Tombstones stamped after `after`, oldest first, at most `limit`. */
  tombstonesAfter(after: number, limit: number): Promise<MirrorTombstone[]>;
}

/** Where a mirror is, as kept in the local store (and read by /ready and /metrics of every worker). */
export interface MirrorPosition {
  /** Stamp of the last document read in order (0 before any). */
  readonly documentsAt: number;
  /** Stamp of the last tombstone read in order (0 before any). */
  readonly tombstonesAt: number;
  /** Whether the documents written before stamps existed have been read. */
  readonly unstampedDone: boolean;
  /** Clock time (ms) of the last poll that reached the end of the engine's changes (0: never). */
  readonly caughtUpAt: number;
}

/** The replica's local store as the mirror fills it: each call is one local transaction, never queued to an outbox. */
export interface MirrorTarget {
  position(): MirrorPosition;
  /** The content hash of the document last mirrored for `id`, if any. */
  heldHash(id: string): string | undefined;
  /** Writes the documents' local parts as they are (entities and copy group included), then moves the position. */
  apply(documents: readonly MirroredDocument[], move: Partial<MirrorPosition>): void;
  /** Removes articles from the local parts, then moves the position. */
  remove(ids: readonly string[], move: Partial<MirrorPosition>): void;
  /** Ids held locally after `after` (id order), at most `limit`: a clear checks each against the engine. */
  heldIds(after: string, limit: number): string[];
  /** Moves the position alone. */
  move(move: Partial<MirrorPosition>): void;
}

/** What /ready and /metrics show of a mirror. */
export interface MirrorStatus {
  /** The documents' cursor, as a time (ms since the epoch; 0 before any). */
  readonly cursorMs: number;
  /**
   * Seconds since the mirror last reached the end of the engine's changes (a bound on the replica's staleness);
   * null before it first did.
   */
  readonly lagSeconds: number | null;
  /** Documents mirrored into the local store. */
  readonly documents: number;
}

/** Reads a mirror's status at a clock time (ms); undefined before the mirror's first poll. */
export interface MirrorStatusReader {
  status(nowMs: number): MirrorStatus | undefined;
}
