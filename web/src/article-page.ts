import { ApiError, getJson, refusalReason } from './api.js';
import { byId, byline, h, showMessage } from './dom.js';
import { entitiesOf, entityPath } from './entities.js';
import { trackRelated } from './analytics-beacon.js';
import { relatedList } from './related-list.js';
import type { Article, SimilarResponse, StoryResponse } from './types.js';

/** Related articles shown under an article. */
const RELATED_LIMIT = 5;

const articleBox = byId('article');
const entitiesBox = byId('entities');
const relatedBox = byId('related');
const storyBox = byId('story');
const errorBox = byId('error');

/** The article id from the address `/article/:id`. */
function articleId(): string {
  const match = /^\/article\/([^/]+)\/?$/.exec(location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : '';
}

/** The body as paragraphs: blank lines separate them; single line breaks stay inside one. */
function paragraphs(body: string): HTMLParagraphElement[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => h('p', { text: p }));
}

function renderArticle(article: Article): void {
  document.title = `${article.title} — newsfind`;
  const meta = h('p', { class: 'meta' }, byline(article.source, article.publishedAt));
  if (article.author) meta.append(` · ${article.author}`);
  if (article.category) meta.append(h('span', { class: 'tag', text: article.category }));
  const original = article.url
    ? [h('p', {}, [h('a', { text: 'Read at the source', attrs: { href: article.url, rel: 'noopener' } })])]
    : [];
  articleBox.replaceChildren(h('h1', { text: article.title }), meta, ...paragraphs(article.body), ...original);
}

function renderEntities(article: Article): void {
  const groups = entitiesOf(article);
  entitiesBox.hidden = groups.length === 0;
  const lists = groups.map(({ kind, names }) =>
    h('div', { class: 'chip-group' }, [
      h('h3', { text: kind.plural }),
      h('ul', { class: 'chips' }, names.map((name) => h('li', {}, [h('a', { class: 'chip', text: name, attrs: { href: entityPath(kind.type, name) } })]))),
    ]),
  );
  entitiesBox.replaceChildren(h('h2', { text: 'Named in this article' }), ...lists);
}

async function renderRelated(id: string): Promise<void> {
  const heading = h('h2', { text: 'More like this', attrs: { id: 'related-heading' } });
  try {
    const answer = await getJson<SimilarResponse>(`/api/articles/${encodeURIComponent(id)}/similar?limit=${RELATED_LIMIT}`);
    const list = answer.hits.length > 0 ? relatedList(answer.hits) : h('p', { text: 'No related articles.' });
    relatedBox.replaceChildren(heading, list);
    if (answer.hits.length > 0) trackRelated(list, id);
  } catch {
    relatedBox.replaceChildren(heading, h('p', { text: 'Related articles are unavailable right now.' }));
  }
}

/** A link to the article's story page when the article is one of several in its story (nothing otherwise). */
async function renderStoryLink(id: string): Promise<void> {
  try {
    const story = await getJson<StoryResponse>(`/api/articles/${encodeURIComponent(id)}/story?limit=1`);
    if (story.size < 2) return;
    storyBox.replaceChildren(
      h('h2', { text: 'In this story' }),
      h('p', {}, [h('a', { text: `Follow this story: ${story.size} articles, oldest first`, attrs: { href: `/story/${encodeURIComponent(id)}` } })]),
    );
    storyBox.hidden = false;
  } catch {
    // the story link is an extra: without an answer the page simply has none
  }
}

async function main(): Promise<void> {
  const id = articleId();
  try {
    const article = await getJson<Article>(`/api/articles/${encodeURIComponent(id)}`);
    renderArticle(article);
    renderEntities(article);
    await Promise.all([renderRelated(article.id), renderStoryLink(article.id)]);
  } catch (error) {
    articleBox.replaceChildren(h('h1', { text: 'Article not available' }));
    const missing = error instanceof ApiError && error.status === 404;
    const refused = refusalReason(error);
    showMessage(
      errorBox,
      missing ? 'There is no article with this address.' : refused ? `The article cannot be shown: ${refused}.` : 'The service did not answer; try again later.',
    );
  }
}

void main();
