import { roleOf } from './story-roles.js';
import type { StoryRole } from './story-roles.js';
import { compareEntries, insertionPoint, TermWindow } from './term-window.js';
import type { TermWindowOptions, WindowEntry } from './term-window.js';

/**
 * An arriving article: id, publication time (ms; undefined: undated), its strongest terms (ids, strongest first) and
 * its copy group (Article.copyGroup, storage/copy-groups.ts: its own id when it named the group; absent: none).
 */
export interface StoryArticle extends WindowEntry {
  readonly terms: readonly number[];
  readonly copyGroup?: string | undefined;
}

/** How articles are grouped into stories (defaults: {@link DEFAULT_STORY_OPTIONS}). */
export interface StoryOptions extends TermWindowOptions {
  /** An article joins the story of its most similar candidate when their cosine is at least this (0–1). */
  readonly threshold: number;
  /** Candidates sharing at least this many of the article's strongest terms are compared (cosine). */
  readonly minShared: number;
  /** At most this many candidates are compared per article: those sharing the most terms, then the nearest in time. */
  readonly maxCandidates: number;
}

const DAY_MS = 86_400_000;

/** An article of a story with its role (see story-roles.ts). */
export interface ThreadArticle extends WindowEntry {
  readonly role: StoryRole;
}

/**
 * A held article. `group` is absent when its copy group is named by its own id (most articles: memory at a million
 * articles), the group's name when it joined another article's group, null when it has no copy group.
 */
interface Member extends WindowEntry {
  story: Story;
  readonly group?: string | null;
  /** A hash of its strongest terms, to tell an unchanged article applied again. */
  readonly termsKey: number;
}

/** FNV-1a over the term ids: equal lists give equal keys (a collision only keeps a changed article where it is). */
function termsKey(terms: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const t of terms) h = Math.imul(h ^ t, 0x01000193);
  return Math.imul(h ^ terms.length, 0x01000193) >>> 0;
}

interface Story {
  readonly key: number;
  /** Sorted by compareEntries. */
  readonly members: Member[];
}

/** A story of a period, as {@link StoryThreads.biggest} lists it. */
export interface StoryCount {
  /** The id of the story's first article (its id in the API). */
  readonly id: string;
  /** Its articles published in the period. */
  readonly inPeriod: number;
  /** All its articles. */
  readonly size: number;
  readonly first: WindowEntry;
  readonly last: WindowEntry;
}

/**
 * Story threads, grown one article at a time. An arriving article gathers candidates from a {@link TermWindow} (the
 * recent articles holding one of its strongest terms, near it in time), keeps those sharing at least `minShared` of
 * those terms (at most `maxCandidates`), asks the exact cosine of each (`cosineTo`, the similarity index's) and joins
 * the story of the best one at or above `threshold`; else it starts a story. Roles come from the copy groups (the
 * ones that collapse search hits), not from the cosine: an article is a copy when an earlier article of its story
 * has its copy group ({@link roleOf}). Stories are never merged: an article that matches two stories joins the
 * better one, so one weak link cannot chain two stories into one.
 *
 * Memory: per article a small record (id, time, story, a hash of its terms, its group's name when another article
 * named it) and, while it is within the window's retention, one entry per strong term. Deterministic for a given arrival order; the index host adds articles in (publishedAt, id) order when it builds, so
 * the result depends on the set only. A late article (published before articles already grouped) is compared to the
 * window as it stands and may join a story as its new first article. Removing an article takes it out of its story;
 * the story is not split (articles that joined through it stay) until the next build.
 */
export class StoryThreads {
  private readonly window: TermWindow;
  private readonly members = new Map<string, Member>();
  /** The held articles whose copy group another article named, by the group's name. */
  private readonly joined = new Map<string, Member[]>();
  private readonly perDay = new Map<number, Map<Story, number>>();
  private nextKey = 0;

  constructor(private readonly options: StoryOptions) {
    this.window = new TermWindow(options);
  }

  /** Adds (or re-adds) an article; `cosineTo(id)` is its cosine to a held article. Returns its story's first id. */
  add(article: StoryArticle, cosineTo: (id: string) => number): string {
    this.remove(article.id);
    const candidates = this.candidates(article);
    let best: { member: Member; cosine: number } | undefined;
    for (const candidate of candidates) {
      const c = cosineTo(candidate.id);
      if (c >= this.options.threshold && (!best || c > best.cosine || (c === best.cosine && candidate.id < best.member.id))) {
        best = { member: candidate, cosine: c };
      }
    }
    const story: Story = best?.member.story ?? { key: this.nextKey++, members: [] };
    const group = groupField(article);
    const member: Member = { id: article.id, at: article.at, story, termsKey: termsKey(article.terms), ...(group === undefined ? {} : { group }) };
    if (typeof group === 'string') {
      const list = this.joined.get(group);
      if (list) list.push(member);
      else this.joined.set(group, [member]);
    }
    story.members.splice(insertionPoint(story.members, member), 0, member);
    this.members.set(article.id, member);
    this.window.add(member, article.terms);
    this.count(member, 1);
    return story.members[0]!.id;
  }

  /** Takes an article out of its story (its story keeps the others). */
  remove(id: string): void {
    const member = this.members.get(id);
    if (!member) return;
    this.members.delete(id);
    // its window entries stay until they age out: candidates() skips an entry that is no longer the held member
    this.count(member, -1);
    const list = member.story.members;
    const at = insertionPoint(list, member);
    if (list[at]?.id === id) list.splice(at, 1);
    if (typeof member.group === 'string') {
      const rest = (this.joined.get(member.group) ?? []).filter((m) => m !== member);
      if (rest.length > 0) this.joined.set(member.group, rest);
      else this.joined.delete(member.group);
    }
  }

  /** Whether the article is held. */
  has(id: string): boolean {
    return this.members.has(id);
  }

  /** Whether the article is held with this time, terms and copy group (adding it again would change nothing of its own). */
  holds(article: StoryArticle): boolean {
    const m = this.members.get(article.id);
    return m !== undefined && m.at === article.at && m.termsKey === termsKey(article.terms) && m.group === groupField(article);
  }

  /** Articles held. */
  get size(): number {
    return this.members.size;
  }

  /**
   * The story of article `id` in time order: its id (the first article's), size, and `limit` articles around `id`
   * (as many before as after, where the story has them) from `offset`, each with its role. Undefined when not held.
   */
  thread(id: string, limit: number): { id: string; size: number; offset: number; articles: ThreadArticle[] } | undefined {
    const member = this.members.get(id);
    if (!member) return undefined;
    const list = member.story.members;
    const at = insertionPoint(list, member);
    const offset = Math.max(0, Math.min(at - Math.floor((limit - 1) / 2), list.length - limit));
    const articles = list.slice(offset, offset + limit).map((m) => ({ id: m.id, at: m.at, role: roleOf(m, list[0]!, this.copiesInStory(m)) }));
    return { id: list[0]!.id, size: list.length, offset, articles };
  }

  /**
   * The stories with the most articles published from `from` to `to` (ms, inclusive, read as whole UTC days), at
   * least two articles in all; ties by the latest article, then id. Work grows with the stories of the days read:
   * the caller bounds the span.
   */
  biggest(from: number, to: number, limit: number): StoryCount[] {
    const totals = new Map<Story, number>();
    for (let day = Math.floor(from / DAY_MS); day <= Math.floor(to / DAY_MS); day++) {
      for (const [story, n] of this.perDay.get(day) ?? []) {
        if (story.members.length >= 2) totals.set(story, (totals.get(story) ?? 0) + n);
      }
    }
    const rows = [...totals].map(([story, inPeriod]) => {
      const { members } = story;
      const first = members[0]!;
      const lastDated = members.findLast((m) => m.at !== undefined) ?? first;
      return { id: first.id, inPeriod, size: members.length, first: { id: first.id, at: first.at }, last: { id: lastDated.id, at: lastDated.at } };
    });
    rows.sort((a, b) => b.inPeriod - a.inPeriod || (b.last.at ?? 0) - (a.last.at ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return rows.slice(0, limit);
  }

  /** Entries of the term window (memory figure). */
  windowSize(): number {
    return this.window.size();
  }

  /** The other held articles of `member`'s copy group that are in its story: its group's namer and joiners. */
  private copiesInStory(member: Member): Member[] {
    if (member.group === null) return [];
    const group = member.group ?? member.id;
    const namer = this.members.get(group);
    const named = namer !== undefined && namer.group === undefined ? [namer] : []; // absent group: named by its id
    return [...named, ...(this.joined.get(group) ?? [])].filter((m) => m !== member && m.story === member.story);
  }

  private candidates(article: StoryArticle): Member[] {
    // the window holds the Member objects themselves (see add), so identity tells a live entry from a replaced one
    const shared = new Map<string, number>();
    for (const term of article.terms) {
      for (const entry of this.window.near(term, article)) {
        if (this.members.get(entry.id) === entry) shared.set(entry.id, (shared.get(entry.id) ?? 0) + 1); // live entries only
      }
    }
    const kept: { member: Member; shared: number; gap: number }[] = [];
    for (const [id, n] of shared) {
      const member = this.members.get(id);
      if (!member || n < this.options.minShared) continue;
      const gap = article.at === undefined || member.at === undefined ? 0 : Math.abs(article.at - member.at);
      kept.push({ member, shared: n, gap });
    }
    kept.sort((a, b) => b.shared - a.shared || a.gap - b.gap || compareEntries(a.member, b.member));
    return kept.slice(0, this.options.maxCandidates).map((k) => k.member);
  }

  private count(member: Member, delta: number): void {
    if (member.at === undefined) return;
    const day = Math.floor(member.at / DAY_MS);
    const counts = this.perDay.get(day) ?? new Map<Story, number>();
    const n = (counts.get(member.story) ?? 0) + delta;
    if (n > 0) counts.set(member.story, n);
    else counts.delete(member.story);
    if (counts.size > 0) this.perDay.set(day, counts);
    else this.perDay.delete(day);
  }
}

/** The {@link Member} `group` field of an arriving article: absent for a group named by its own id, null for none. */
function groupField(article: StoryArticle): string | null | undefined {
  if (article.copyGroup === undefined) return null;
  return article.copyGroup === article.id ? undefined : article.copyGroup;
}
