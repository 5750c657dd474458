import { byline, h } from './dom.js';
import { articlePath } from './entities.js';
import type { SimilarHit } from './types.js';

/** A list of articles linking to their article pages, each with its source and date. */
export function relatedList(hits: readonly SimilarHit[]): HTMLUListElement {
  return h(
    'ul',
    { class: 'article-list' },
    hits.map((hit) =>
      h('li', {}, [
        h('a', { text: hit.title, attrs: { href: articlePath(hit.id) } }),
        h('p', { class: 'meta' }, byline(hit.source, hit.publishedAt)),
      ]),
    ),
  );
}
