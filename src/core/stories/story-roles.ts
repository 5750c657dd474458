import { compareEntries } from './term-window.js';
import type { WindowEntry } from './term-window.js';

/** An article's place in its story: the earliest report, a later article on it, or a copy of an earlier one. */
export type StoryRole = 'first' | 'follow-up' | 'copy';

/**
 * The role of `member` in a story whose articles are ordered by {@link compareEntries}: `first` for the story's
 * earliest article, `copy` when one of `copies` (the other articles of its copy group in the same story — the
 * MinHash copy group that collapses search hits, storage/copy-groups.ts) is earlier, else `follow-up`. An article
 * without a copy group has no copies, so it is never a copy.
 */
export function roleOf(member: WindowEntry, first: WindowEntry, copies: Iterable<WindowEntry>): StoryRole {
  if (member.id === first.id) return 'first';
  for (const other of copies) {
    if (compareEntries(other, member) < 0) return 'copy';
  }
  return 'follow-up';
}
