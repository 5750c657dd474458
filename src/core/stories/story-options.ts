import type { StoryOptions } from './story-threads.js';

const DAY_MS = 86_400_000;

/** Strongest terms of an article that find its story's candidates (tf·idf, see story-input.ts). */
export const STORY_TOP_TERMS = 10;

/**
 * Defaults of story threads (core/stories/story-threads.ts), chosen on the tune half of the shared Reuters and BBC
 * corpora (`npm run bench:stories`, GRID=1) and reported on the other half (docs/BENCHMARKS.md, "Story threads").
 */
export const DEFAULT_STORY_OPTIONS: StoryOptions = {
  threshold: 0.4,
  windowMs: 3 * DAY_MS,
  retainMs: 30 * DAY_MS,
  perTerm: 50,
  minShared: 2,
  maxCandidates: 60,
};
