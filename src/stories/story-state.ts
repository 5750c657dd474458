import { performance } from 'node:perf_hooks';
import { ValidationError } from '../core/errors.js';
import { DEFAULT_STORY_OPTIONS, STORY_TOP_TERMS } from '../core/stories/story-options.js';
import type { StoryOptions, ThreadArticle } from '../core/stories/story-threads.js';
import { StoryThreads } from '../core/stories/story-threads.js';
import { compareEntries } from '../core/stories/term-window.js';
import type { WindowEntry } from '../core/stories/term-window.js';
import type { SimilarityState } from '../similarity/similarity-state.js';
import type { StoriesQuery, StoryArticle, StoryList, StoryThread } from './story-port.js';

const DAY_MS = 86_400_000;
/** The last instant a date parameter can name (9999-12-31): a default period ends there at the latest. */
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Period of `GET /api/stories` when none is given: the days up to the newest article. */
export const DEFAULT_STORY_PERIOD_DAYS = 7;
/** Longest period one `GET /api/stories` may ask: its work grows with the stories of the days it reads. */
export const MAX_STORY_PERIOD_DAYS = 92;

/**
 * Story threads as the index host keeps them, over its similarity index (core/stories/). After a (re)build the
 * held articles are added in (publishedAt, id) order — undated ones last, by id — a time-boxed slice at a time
 * ({@link advance}, called by the host's catch-up steps), so the host's start is not held up by them; meanwhile an
 * article not reached yet shows alone (`complete: false`). Then each applied article is added (or re-added, or
 * removed) as it arrives, after the similarity index has it. An article's role comes from its copy group
 * (`copyGroupOf`, read in the same snapshot as its term vector: storage/copy-groups.ts `copyGroupReader`).
 */
export class StoryState {
  private threads: StoryThreads;
  private pending: WindowEntry[] = [];
  private readonly waiting = new Set<string>();
  /** Articles the similarity index has changed for and the threads have not yet ({@link defer}). */
  private readonly deferred = new Set<string>();
  private next = 0;
  private newest = Number.NaN;

  /**
   * `copyGroupOf(id)`: the article's copy group as the store holds it now (undefined: none, so never a copy);
   * default: none for every article.
   */
  constructor(
    private readonly similarity: SimilarityState,
    private readonly options: StoryOptions = DEFAULT_STORY_OPTIONS,
    private readonly copyGroupOf: (id: string) => string | undefined = () => undefined,
  ) {
    this.threads = new StoryThreads(options);
  }

  /** Starts over from the similarity index as it stands (the articles are added by {@link advance}). */
  rebuild(): void {
    this.threads = new StoryThreads(this.options);
    this.pending = [...this.similarity.datedIds()].sort(compareEntries);
    this.waiting.clear();
    this.deferred.clear();
    for (const e of this.pending) this.waiting.add(e.id);
    this.next = 0;
    this.newest = Number.NaN;
  }

  /** True while the build after {@link rebuild} has articles left. */
  get building(): boolean {
    return this.next < this.pending.length;
  }

  /** Adds built articles until `deadline` (performance.now() ms); true when the build is done. */
  advance(deadline: number): boolean {
    while (this.next < this.pending.length) {
      const { id } = this.pending[this.next++]!;
      if (this.waiting.delete(id)) this.add(id);
      if (performance.now() >= deadline) break;
    }
    if (!this.building) {
      this.pending = [];
      this.waiting.clear();
    }
    return !this.building;
  }

  /** Makes the threads hold article `id` as the similarity index holds it now (added again, or removed). */
  apply(id: string): void {
    this.deferred.delete(id);
    if (this.waiting.has(id)) return; // the build reaches it in its turn, as it is then
    this.add(id);
  }

  /**
   * Notes that the similarity index changed for article `id` and that {@link apply} will follow (the index host
   * applies search and similarity first, then the threads): until then answers say they are not complete.
   */
  defer(id: string): void {
    this.deferred.add(id);
  }

  /** False while the build goes on or applied articles wait for their thread. */
  private get complete(): boolean {
    return !this.building && this.deferred.size === 0;
  }

  thread(id: string, limit: number): StoryThread | undefined {
    const found = this.threads.thread(id, limit);
    if (!found) {
      // not reached by the build yet, or committed and not applied yet: alone, and said to be incomplete
      const held = this.similarity.displayOf(id);
      const alone = held ?? this.similarity.storedDisplayOf(id);
      if (!alone) return undefined;
      return { id, size: 1, offset: 0, complete: held !== undefined && this.complete, articles: [{ ...alone, role: 'first' }] };
    }
    const articles = found.articles.map((a) => this.article(a)).filter((a) => a !== undefined);
    return { id: found.id, size: found.size, offset: found.offset, complete: this.complete, articles };
  }

  /** The biggest stories of a period; from/to default to the {@link DEFAULT_STORY_PERIOD_DAYS} up to the newest article. */
  stories(query: StoriesQuery): StoryList {
    const newest = Number.isNaN(this.newest) ? 0 : this.newest;
    // from alone: the whole days from its own (a time of day in it counts from the day's start), never past the
    // last day a date parameter can name
    const to = query.to ?? (query.from === undefined ? newest : Math.min(LAST_MS, Math.floor(query.from / DAY_MS) * DAY_MS + DEFAULT_STORY_PERIOD_DAYS * DAY_MS - 1));
    const from = query.from ?? Math.floor(to / DAY_MS) * DAY_MS - (DEFAULT_STORY_PERIOD_DAYS - 1) * DAY_MS;
    if (Math.floor(to / DAY_MS) - Math.floor(from / DAY_MS) >= MAX_STORY_PERIOD_DAYS) {
      throw new ValidationError(`a period of stories may span at most ${MAX_STORY_PERIOD_DAYS} days`, [
        { path: 'to', message: `to must be at most ${MAX_STORY_PERIOD_DAYS} days after from` },
      ]);
    }
    const stories = this.threads.biggest(from, to, query.limit).flatMap((s) => {
      const first = this.similarity.displayOf(s.id);
      if (!first) return [];
      const iso = (at: number | undefined) => (at === undefined ? undefined : new Date(at).toISOString());
      return [{
        id: s.id,
        title: first.title,
        ...(first.url ? { url: first.url } : {}),
        size: s.size,
        articlesInPeriod: s.inPeriod,
        ...(s.first.at === undefined ? {} : { firstPublishedAt: iso(s.first.at) }),
        ...(s.last.at === undefined ? {} : { lastPublishedAt: iso(s.last.at) }),
      }];
    });
    const day = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    return { from: day(from), to: day(to), complete: this.complete, stories };
  }

  private add(id: string): void {
    const view = this.similarity.storyView(id, STORY_TOP_TERMS);
    if (!view) {
      this.threads.remove(id);
      return;
    }
    const article = { id, at: view.at, terms: view.terms, copyGroup: this.copyGroupOf(id) };
    if (this.threads.holds(article)) return; // unchanged (another log named it)
    this.threads.add(article, view.cosineTo);
    if (view.at !== undefined && !(view.at <= this.newest)) this.newest = view.at;
  }

  private article(a: ThreadArticle): StoryArticle | undefined {
    const shown = this.similarity.displayOf(a.id);
    return shown && { ...shown, role: a.role };
  }
}
