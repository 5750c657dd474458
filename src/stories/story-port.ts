import type { StoryRole } from '../core/stories/story-roles.js';

/** An article of a story as the API shows it: what a list shows, and its role in the story. */
export interface StoryArticle {
  readonly id: string;
  readonly title: string;
  readonly url?: string | undefined;
  readonly publishedAt?: string | undefined;
  readonly category?: string | undefined;
  readonly source?: string | undefined;
  readonly role: StoryRole;
}

/**
 * The story of an article: its id (its first article's id), its size, and up to `limit` of its articles in time
 * order around the asked one, from position `offset`. `complete` is false while the index host is still building the
 * threads after a start, or has applied articles to similarity that wait for their thread (the article may then show alone).
 */
export interface StoryThread {
  readonly id: string;
  readonly size: number;
  readonly offset: number;
  readonly complete: boolean;
  readonly articles: readonly StoryArticle[];
}

/** A story of a period: its first article, its size, its articles published in the period, its first and last dates. */
export interface StorySummary {
  readonly id: string;
  readonly title: string;
  readonly url?: string | undefined;
  readonly size: number;
  readonly articlesInPeriod: number;
  readonly firstPublishedAt?: string | undefined;
  readonly lastPublishedAt?: string | undefined;
}

/** The biggest stories of a period (ISO dates, inclusive, the period's bounds as applied). */
export interface StoryList {
  readonly from: string;
  readonly to: string;
  readonly complete: boolean;
  readonly stories: readonly StorySummary[];
}

/** A request for the biggest stories: ms since the epoch (defaults: the 7 days up to the newest article). */
export interface StoriesQuery {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly limit: number;
}

/** What services need of story threads (the index host's, over IPC or not). */
export interface StoryReader {
  /** The story of article `id` (`limit` articles around it); undefined when no article has that id. */
  storyOf(id: string, limit: number): Promise<StoryThread | undefined>;
  /** The stories with the most articles in a period. */
  stories(query: StoriesQuery): Promise<StoryList>;
}
