import type { Index, SearchParams } from 'meilisearch';
import type { DocumentStamp, MirroredDocument, MirrorSource, MirrorTombstone } from '../../services/mirror.js';
import { fromDocument } from './document.js';
import { idFilter } from './filter-expression.js';
import type { Tombstone } from './mirror-fields.js';

/** Runs a read on the articles' index or the tombstone index; a missing index reads as undefined. */
export type IndexReader = <T>(
  which: 'articles' | 'tombstones',
  what: string,
  work: (index: Index<Record<string, unknown>>) => Promise<T>,
) => Promise<T | undefined>;

/** Fields of a stamp-only read. */
const STAMP_FIELDS = ['id', 'contentHash', 'indexedAt'];

/**
 * What a replica's mirror reads of Meilisearch (services/mirror.ts), with the search key: placeholder searches
 * filtered and sorted on the numeric `indexedAt` (keyset paging: `indexedAt > cursor`, so no deep offsets), and the
 * tombstone index likewise on `deletedAt`.
 */
export class MeiliMirrorSource implements MirrorSource {
  constructor(private readonly read: IndexReader) {}

  async documentsAfter(after: number, limit: number): Promise<MirroredDocument[]> {
    return (await this.search('articles', { filter: `indexedAt > ${after}`, sort: ['indexedAt:asc'], limit })).map(mirrored);
  }

  async stampsAfter(after: number, limit: number): Promise<DocumentStamp[]> {
    const hits = await this.search('articles', { filter: `indexedAt > ${after}`, sort: ['indexedAt:asc'], limit, attributesToRetrieve: STAMP_FIELDS });
    return hits.map((h) => ({ id: String(h.id), hash: String(h.contentHash), indexedAt: Number(h.indexedAt) }));
  }

  async unstamped(offset: number, limit: number): Promise<MirroredDocument[]> {
    return (await this.search('articles', { filter: 'indexedAt NOT EXISTS', offset, limit })).map(mirrored);
  }

  async documents(ids: readonly string[]): Promise<MirroredDocument[]> {
    if (ids.length === 0) return [];
    return (await this.search('articles', { filter: idFilter([...new Set(ids)]), limit: ids.length })).map(mirrored);
  }

  async tombstonesAfter(after: number, limit: number): Promise<MirrorTombstone[]> {
    const hits = await this.search('tombstones', { filter: `deletedAt > ${after}`, sort: ['deletedAt:asc'], limit });
    return (hits as unknown as Tombstone[]).map((t) => ({ kind: t.kind, ids: t.ids ?? [], deletedAt: t.deletedAt }));
  }

  private async search(which: 'articles' | 'tombstones', params: SearchParams): Promise<Record<string, unknown>[]> {
    const response = await this.read(which, `mirror read of ${which}`, (index) => index.search('', params));
    return response?.hits ?? [];
  }
}

/** A hit as a mirrored document (a document without a stamp reads as stamped 0). */
function mirrored(hit: Record<string, unknown>): MirroredDocument {
  return { article: fromDocument(hit), hash: String(hit.contentHash), indexedAt: typeof hit.indexedAt === 'number' ? hit.indexedAt : 0 };
}
