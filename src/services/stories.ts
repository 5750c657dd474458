import { NotFoundError } from '../core/errors.js';
import type { StoriesQuery, StoryList, StoryReader, StoryThread } from '../stories/story-port.js';

/** The story of an indexed article, `limit` articles around it in time order; NotFoundError when no article has the id. */
export async function storyOf(deps: { stories: StoryReader }, id: string, limit: number): Promise<StoryThread> {
  const found = await deps.stories.storyOf(id, limit);
  if (!found) throw new NotFoundError(`no article has the id "${id}"`);
  return found;
}

/** The stories with the most articles published in a period (see StoryState.stories for the defaults). */
export function biggestStories(deps: { stories: StoryReader }, query: StoriesQuery): Promise<StoryList> {
  return deps.stories.stories(query);
}
