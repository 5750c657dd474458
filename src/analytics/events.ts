import { z } from 'zod';
import { MAX_ID_BYTES } from '../core/article.js';
import { foldText } from '../core/normalize.js';

/**
 * What analytics records: a search (recorded by the service when it answers `GET /api/search`) and a reader's
 * click or impression (reported by the pages and the widget through `POST /api/events`). Nothing about the reader:
 * no address, no cookie, no user agent, no referrer: an event is what was asked, shown or opened, and when.
 */

/** Longest query kept, in characters (the search route accepts no longer). */
export const MAX_EVENT_QUERY_CHARS = 512;
/** Most ids of one search's shown results that are kept (a page has at most 100). */
export const MAX_SHOWN_IDS = 100;
/** Most events one beacon may carry. */
export const MAX_BEACON_EVENTS = 50;
/** Deepest result position a beacon may report (1-based: the first result is 1). */
export const MAX_POSITION = 10_000;

/**
 * A query as analytics groups it: case and diacritics folded (as keyword search folds them, core/normalize.ts),
 * runs of white space made one space, trimmed, at most {@link MAX_EVENT_QUERY_CHARS} characters. `" Erdoğan  Visit"`
 * and `"erdogan visit"` are one query; the empty query (filters only) stays `""`.
 */
export function normalizeQuery(q: string): string {
  return foldText(q.normalize('NFKC')).replace(/\s+/gu, ' ').trim().slice(0, MAX_EVENT_QUERY_CHARS);
}

/** One search as the service answered it. */
export interface SearchEvent {
  readonly kind: 'search';
  /** Wall-clock time, ms since the epoch. */
  readonly at: number;
  /** The query, normalised ({@link normalizeQuery}). */
  readonly query: string;
  /** The filters used, as the search request carried them (`{}` with none). */
  readonly filters: Readonly<Record<string, unknown>>;
  /** The page asked for (1 = the first); reports count the first pages, later pages are the same search read on. */
  readonly page: number;
  /** Every matching article, not just this page's. */
  readonly totalHits: number;
  /** The ids of the results shown, in order (at most {@link MAX_SHOWN_IDS}). */
  readonly shownIds: readonly string[];
}

/** Where a reader saw or clicked a link: the search page's results, or a related-articles list (widget). */
export type EventSource = 'search' | 'widget';

/** A reader saw (`impression`) or opened (`click`) a link to an article. */
export interface InteractionEvent {
  readonly kind: 'click' | 'impression';
  /** Wall-clock time the service received it, ms since the epoch (the client's clock is not trusted). */
  readonly at: number;
  readonly source: EventSource;
  readonly articleId: string;
  /** Search clicks: the query the results answered, normalised. */
  readonly query?: string | undefined;
  /** 1-based position of the link in its list. */
  readonly position?: number | undefined;
  /** Widget: the article the related list was shown under. */
  readonly fromArticleId?: string | undefined;
}

export type AnalyticsEvent = SearchEvent | InteractionEvent;

const articleId = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an article id (A-Z, a-z, 0-9, "_" and "-")')
  .refine((s) => Buffer.byteLength(s) <= MAX_ID_BYTES, `must be at most ${MAX_ID_BYTES} bytes`);

/**
 * One event of a beacon, as clients send it. Strict: any other field (an address, a user id…) is refused, so that
 * nothing personal can be stored by mistake.
 */
export const beaconEventSchema = z
  .strictObject({
    type: z.enum(['click', 'impression'], { error: 'type must be "click" or "impression"' }),
    source: z.enum(['search', 'widget'], { error: 'source must be "search" or "widget"' }),
    articleId,
    query: z.string().max(MAX_EVENT_QUERY_CHARS, `must be at most ${MAX_EVENT_QUERY_CHARS} characters`).optional(),
    position: z.number().int('must be a whole number').min(1).max(MAX_POSITION).optional(),
    fromArticleId: articleId.optional(),
  })
  .meta({ id: 'AnalyticsEvent' });

/** A beacon's body: one event or an array of 1 to {@link MAX_BEACON_EVENTS}. */
export const beaconBodySchema = z.union([
  beaconEventSchema,
  z.array(z.unknown()).min(1, 'send at least one event').max(MAX_BEACON_EVENTS, `at most ${MAX_BEACON_EVENTS} events per beacon`),
]);

/** A validated beacon event as recorded, received at `at` (ms since the epoch). */
export function toInteraction(event: z.output<typeof beaconEventSchema>, at: number): InteractionEvent {
  return {
    kind: event.type,
    at,
    source: event.source,
    articleId: event.articleId,
    query: event.query === undefined ? undefined : normalizeQuery(event.query),
    position: event.position,
    fromArticleId: event.fromArticleId,
  };
}
