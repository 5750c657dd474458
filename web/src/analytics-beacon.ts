/**
 * Analytics beacons of the pages (POST /api/events: no key, nothing about the reader). `navigator.sendBeacon` with
 * a string sends `text/plain`, which survives the page being left for the article the reader clicked.
 */

/** One click or impression, as POST /api/events takes it. */
export interface BeaconEvent {
  readonly type: 'click' | 'impression';
  readonly source: 'search' | 'widget';
  readonly articleId: string;
  readonly query?: string;
  readonly position?: number;
  readonly fromArticleId?: string;
}

/** Sends events to this origin's API; a browser without beacons, or one that refuses it, loses them silently. */
export function sendEvents(events: readonly BeaconEvent[]): void {
  if (events.length === 0 || typeof navigator.sendBeacon !== 'function') return;
  try {
    navigator.sendBeacon('/api/events', JSON.stringify(events));
  } catch {
    // analytics is never worth an error on the reader's page
  }
}

/** The article id of a link to an article page (`/article/ID`), or undefined. */
function linkedArticle(link: HTMLAnchorElement): string | undefined {
  const match = /^\/article\/([^/]+)$/.exec(link.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** What a click on the link to `articleId`, shown at the 1-based `position` of its list, reports. */
type ToEvent = (articleId: string, position: number) => BeaconEvent;

/**
 * Reports each click (a middle-click too) on a link to an article page in `list` (a list of `li`): `toEvent` turns
 * the article and the item's 1-based position into the event.
 */
export function trackClicks(list: HTMLElement, toEvent: ToEvent): void {
  const onClick = (event: Event) => {
    const link = event.target instanceof Element ? event.target.closest('a') : null;
    const item = link?.closest('li');
    if (!link || !item || item.parentElement !== list) return;
    const articleId = linkedArticle(link);
    if (articleId !== undefined) sendEvents([toEvent(articleId, [...list.children].indexOf(item) + 1)]);
  };
  list.addEventListener('click', onClick);
  list.addEventListener('auxclick', onClick);
}

/**
 * Reports a list of related articles shown under the article `fromArticleId` (source `widget`, as the embeddable
 * widget's): one impression per link once half the list is in view, and each click.
 */
export function trackRelated(list: HTMLElement, fromArticleId: string): void {
  const toEvent = (type: BeaconEvent['type']): ToEvent => (articleId, position) => ({ type, source: 'widget', articleId, position, fromArticleId });
  trackClicks(list, toEvent('click'));
  const seen = () => {
    const links = [...list.children].map((item) => item.querySelector('a'));
    sendEvents(links.flatMap((link, i) => {
      const id = link ? linkedArticle(link) : undefined;
      return id === undefined ? [] : [toEvent('impression')(id, i + 1)];
    }));
  };
  if (typeof IntersectionObserver !== 'function') return seen();
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    seen();
  }, { threshold: 0.5 });
  observer.observe(list);
}
