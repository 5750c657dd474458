import { h, timeElement } from './dom.js';
import { feedPath, followsText, seeItLink, webhookHost } from './saved-searches.js';
import type { SavedSearch } from './types.js';

/**
 * One saved search of the list: its name, what it follows, its webhook's host (never its path nor secret), when it
 * was created, links to its Atom feed and to what it follows, and a Delete button that calls `onDelete`.
 */
export function renderSavedSearch(search: SavedSearch, onDelete: (search: SavedSearch, button: HTMLButtonElement) => void): HTMLLIElement {
  const see = seeItLink(search);
  const host = search.webhook ? webhookHost(search.webhook.url) : '';
  const webhook = search.webhook ? `Webhook to ${host === '' ? 'an unreadable address' : host}` : 'No webhook';
  const created = timeElement(search.createdAt);
  const remove = h('button', { class: 'button danger', text: 'Delete', attrs: { type: 'button', 'aria-label': `Delete “${search.name}”` } });
  remove.addEventListener('click', () => onDelete(search, remove));
  const links = h('p', { class: 'saved-links' }, [
    h('a', { text: 'Atom feed', attrs: { href: feedPath(search.id), type: 'application/atom+xml', 'aria-label': `Atom feed: ${search.name}` } }),
    h('a', { text: see.label, attrs: { href: see.href, 'aria-label': `${see.label}: ${search.name}` } }),
  ]);
  if (see.left.length > 0) links.append(h('span', { class: 'hint', text: `(it does not show ${see.left.join(' and ')})` }));
  return h('li', { class: 'saved', attrs: { 'data-id': search.id } }, [
    h('h3', { text: search.name, attrs: { tabindex: '-1' } }),
    h('p', { class: 'follows', text: followsText(search) }),
    h('p', { class: 'meta' }, [webhook, ...(created.length > 0 ? [' · created ', ...created] : [])]),
    links,
    remove,
  ]);
}
