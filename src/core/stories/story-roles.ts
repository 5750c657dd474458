import { DUPLICATE_COSINE } from '../similarity/find-similar.js';
import { compareEntries } from './term-window.js';
import type { WindowEntry } from './term-window.js';

/** An article's place in its story: the earliest report, a later article on it, or a copy of an earlier one. */
export type StoryRole = 'first' | 'follow-up' | 'copy';

/**
 * Whether two articles of one story are copies of each other (a re-sent or syndicated item): cosine ≥ 0.95, the
 * related list's duplicate rule (core/similarity/find-similar.ts). One function so that another test (a MinHash copy
 * group) can replace it.
 */
export const isCopy = (cosine: number): boolean => cosine >= DUPLICATE_COSINE;

/**
 * The role of `member` in a story whose articles are ordered by {@link compareEntries}: `first` for the story's
 * earliest article, `copy` when one of its copies (`copies`, ids of articles it was found a copy of) is in the same
 * story and earlier, else `follow-up`.
 */
export function roleOf(
  member: WindowEntry & { readonly copies?: readonly string[] | undefined },
  first: WindowEntry,
  inStory: (id: string) => WindowEntry | undefined,
): StoryRole {
  if (member.id === first.id) return 'first';
  for (const id of member.copies ?? []) {
    const other = inStory(id);
    if (other && compareEntries(other, member) < 0) return 'copy';
  }
  return 'follow-up';
}
