import { ApiError, getJson, refusalReason } from './api.js';
import { byId, byline, h, showMessage } from './dom.js';
import { articlePath } from './entities.js';
import type { StoryArticle, StoryResponse } from './types.js';

/** Articles of a story shown at most (the API's limit): around the article the address names. */
const STORY_LIMIT = 100;
const ROLE_TEXT: Readonly<Record<StoryArticle['role'], string>> = { first: 'First report', 'follow-up': 'Follow-up', copy: 'Copy' };

const titleBox = byId('story-title');
const metaBox = byId('story-meta');
const listBox = byId('story');
const errorBox = byId('error');

/** The article id from the address `/story/:id` (any article of the story). */
function articleId(): string {
  const match = /^\/story\/([^/]+)\/?$/.exec(location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : '';
}

function item(article: StoryArticle, current: boolean): HTMLLIElement {
  const li = h('li', current ? { attrs: { 'aria-current': 'true' } } : {}, [
    h('span', { class: 'tag role', text: ROLE_TEXT[article.role] }),
    h('a', { text: article.title, attrs: { href: articlePath(article.id) } }),
    h('p', { class: 'meta' }, byline(article.source, article.publishedAt)),
  ]);
  return li;
}

function render(story: StoryResponse, id: string): void {
  const first = story.articles.find((a) => a.role === 'first') ?? story.articles[0];
  const title = first?.title ?? 'Story';
  document.title = `${title} — story — newsfind`;
  titleBox.textContent = title;
  const shown = story.size > story.articles.length ? ` (${story.articles.length} around this article shown)` : '';
  metaBox.textContent = `${story.size} ${story.size === 1 ? 'article' : 'articles'} in this story, oldest first${shown}.${story.complete ? '' : ' The service is still grouping articles into stories; look again shortly.'}`;
  listBox.setAttribute('start', String(story.offset + 1));
  listBox.replaceChildren(...story.articles.map((a) => item(a, a.id === id)));
}

async function main(): Promise<void> {
  const id = articleId();
  try {
    render(await getJson<StoryResponse>(`/api/articles/${encodeURIComponent(id)}/story?limit=${STORY_LIMIT}`), id);
  } catch (error) {
    titleBox.textContent = 'Story not available';
    const missing = error instanceof ApiError && error.status === 404;
    const refused = refusalReason(error);
    showMessage(
      errorBox,
      missing ? 'There is no article with this address.' : refused ? `The story cannot be shown: ${refused}.` : 'The service did not answer; try again later.',
    );
  }
}

void main();
