/**
 * The embeddable "More like this" widget:
 *
 *   <script src="https://HOST/widget.js" data-article-id="ID" async></script>
 *
 * Finds its own script element and puts a Shadow DOM host right after it, so that the host page's styles do not
 * reach in and ours do not leak out. When that host comes within {@link NEAR} of the viewport (IntersectionObserver;
 * at once without one), it fetches the related articles from the origin it was loaded from, which must allow the
 * host page's origin (CORS_ORIGINS), and renders them. Optional attributes:
 * - `data-limit` (1–20, default 5) and `data-min-score` (0–1: hits with a lower score are left out; set, it is sent
 *   as the API's `minCosine` and replaces its default floor, DEFAULT_MIN_COSINE);
 * - `data-theme`: `auto` (default: light or dark as the reader's system prefers), `light` or `dark`;
 * - `data-link-base` (links become base + id); without it, each link goes to the article's own `url`, and to the
 *   service's page HOST/article/ID only when the article has none;
 * - `data-mode`: `similar` (default: related articles) or `story`: the articles published before and after this one
 *   in its story (GET /api/articles/ID/story; copies left out), `data-limit` of each, under "Earlier in this story"
 *   and "Later in this story";
 * - `data-title` (default "More like this"; "In this story" for a story) and `data-api-key` (sent as `X-Api-Key`; default: the public key the
 *   API wrote into widget.js when it served it, PUBLIC_API_KEY).
 * It takes the host page's font. Its colours are CSS custom properties the host page may set on any ancestor:
 * `--newsfind-bg`, `--newsfind-text`, `--newsfind-muted`, `--newsfind-link`, `--newsfind-border`,
 * `--newsfind-radius`, `--newsfind-font` (and `--newsfind-font-size`).
 * When anything fails it removes itself: a news page must never show a broken box because the API is down. It
 * says why in the console: at debug level when the API did not answer, as a warning naming CORS_ORIGINS when the
 * API answered but refused this page's origin, and for an attribute it cannot read. Self-contained: no import.
 */

interface Related {
  readonly id: string;
  readonly title: string;
  readonly url?: string;
  readonly score?: number;
  readonly publishedAt?: string;
  readonly source?: string;
  readonly role?: string;
}

/** Lists under their headings, in the order shown. */
type Groups = readonly (readonly [string, readonly Related[]])[];

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 20;
const DONE = 'data-newsfind-widget';
const THEMES = ['auto', 'light', 'dark'];
/** How close to the viewport the widget must come before it loads (IntersectionObserver rootMargin). */
const NEAR = '600px 0px';
/** Answers 204 to anyone, CORS or not (src/http/web-routes.ts): tells a refused origin from an API that is down. */
const PING = '/widget/ping';
/**
 * The API's public key: the server replaces this literal (src/http/web-routes.ts) when it serves widget.js, with ""
 * when it has no PUBLIC_API_KEY. A copy served as built (from a CDN, say) still holds the marker: no key then.
 */
const SERVED_API_KEY = '__NEWSFIND_PUBLIC_API_KEY__';

const LIGHT = '--bg:var(--newsfind-bg,#fff);--tx:var(--newsfind-text,#1c1f23);--mu:var(--newsfind-muted,#545b64);--ln:var(--newsfind-link,#1a4fbf);--bd:var(--newsfind-border,#d5d9de)';
const DARK = '--bg:var(--newsfind-bg,#1b1f24);--tx:var(--newsfind-text,#e8e6e1);--mu:var(--newsfind-muted,#a9aeb6);--ln:var(--newsfind-link,#8fb4ff);--bd:var(--newsfind-border,#3a4149)';
const STYLES = `
:host{all:initial;display:block;contain:content;margin:1.5em 0;${LIGHT};font-family:var(--newsfind-font,inherit);font-size:var(--newsfind-font-size,inherit);line-height:1.45;color:var(--tx)}
:host([data-theme=dark]){${DARK}}
@media (prefers-color-scheme:dark){:host([data-theme=auto]){${DARK}}}
section{background:var(--bg);color:var(--tx);border:1px solid var(--bd);border-radius:var(--newsfind-radius,8px);padding:.75em 1em}
h2{font:inherit;font-weight:700;font-size:1.05em;margin:0 0 .4em;color:var(--tx)}
ul{list-style:none;margin:0;padding:0}
li{padding:.45em 0;border-top:1px solid var(--bd)}
li:first-child{border-top:0}
a{color:var(--ln);text-decoration:underline;text-underline-offset:.15em;font-weight:600}
a:hover{text-decoration-thickness:2px}
a:focus-visible{outline:3px solid var(--ln);outline-offset:2px;border-radius:2px}
.meta{display:block;color:var(--mu);font-size:.85em}
`;

/** The widget's script element: the running one, or (old browsers, async edge cases) the first one not yet used. */
function ownScript(): HTMLScriptElement | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && !current.hasAttribute(DONE)) return current;
  const candidates = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"][data-article-id]');
  return [...candidates].find((s) => !s.hasAttribute(DONE));
}

/** Says in the console that an attribute was ignored, and why. */
function ignored(name: string, value: string, rule: string): void {
  console.warn(`newsfind widget: ${name}="${value}" ignored: ${rule}`);
}

/** The key to send: the script's `data-api-key`, else the one the API served, else none (''). */
function apiKeyOf(script: HTMLScriptElement): string {
  const given = script.dataset.apiKey?.trim() ?? '';
  const served = SERVED_API_KEY.startsWith('__NEWSFIND_') ? '' : SERVED_API_KEY;
  return given || served;
}

/** A numeric attribute within [min, max], or `fallback` (with a console warning when it is given but unreadable). */
function numberOf(script: HTMLScriptElement, name: string, range: { min: number; max: number; fallback: number; whole?: boolean }): number {
  const text = script.getAttribute(name);
  if (text === null || text.trim() === '') return range.fallback;
  const n = Number(text);
  if (Number.isFinite(n) && n >= range.min && (!range.whole || Number.isInteger(n))) return Math.min(n, range.max);
  ignored(name, text, `it must be a ${range.whole ? 'whole number' : 'number'} from ${range.min} to ${range.max}`);
  return range.fallback;
}

function themeOf(script: HTMLScriptElement): string {
  const theme = script.dataset.theme ?? 'auto';
  if (THEMES.includes(theme)) return theme;
  ignored('data-theme', theme, 'it must be auto, light or dark');
  return 'auto';
}

function applyStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    // A constructed sheet is not an inline <style>, so a host page's strict style-src does not block it.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = STYLES;
  root.append(style);
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** An http(s) address, or undefined: nothing else (`javascript:`…) ever becomes a link. */
function webUrl(text: string | undefined): string | undefined {
  try {
    return text && /^https?:$/.test(new URL(text).protocol) ? text : undefined;
  } catch {
    return undefined;
  }
}

function item(hit: Related, href: string): HTMLLIElement {
  const li = document.createElement('li');
  const link = document.createElement('a');
  link.href = href;
  link.textContent = hit.title;
  li.append(link);
  const date = hit.publishedAt ? new Date(hit.publishedAt) : undefined;
  const meta = [hit.source, date && !Number.isNaN(date.getTime()) ? DATE.format(date) : undefined].filter(Boolean).join(' · ');
  if (meta) {
    const span = document.createElement('span');
    span.className = 'meta';
    span.textContent = meta;
    li.append(span);
  }
  return li;
}

function render(host: HTMLElement, groups: Groups, options: { title: string; link: (hit: Related) => string }): void {
  const root = host.attachShadow({ mode: 'open' });
  applyStyles(root);
  const section = document.createElement('section');
  section.setAttribute('aria-label', options.title);
  for (const [title, hits] of groups) {
    if (hits.length === 0) continue;
    const heading = document.createElement('h2');
    heading.textContent = title;
    const list = document.createElement('ul');
    list.append(...hits.map((hit) => item(hit, options.link(hit))));
    section.append(heading, list);
  }
  root.append(section);
}

/** The story's articles before and after `id` (at most `limit` each, copies left out), under their headings. */
function storyGroups(articles: readonly Related[], id: string, limit: number): Groups {
  const at = articles.findIndex((a) => a.id === id);
  const kept = (list: readonly Related[]) => list.filter((a) => a.role !== 'copy');
  return [
    ['Earlier in this story', kept(articles.slice(0, Math.max(0, at))).slice(-limit)],
    ['Later in this story', kept(articles.slice(at + 1)).slice(0, limit)],
  ];
}

/**
 * Why a request that never got an answer failed: when the API's ping answers a no-cors request, the server is up,
 * so the browser refused the answer for CORS, and the console says which setting to change.
 */
async function explainFailure(api: string, error: unknown): Promise<void> {
  const up = await fetch(`${api}${PING}`, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' }).then(() => true, () => false);
  if (up) {
    console.warn(`newsfind widget: the API at ${api} did not allow this page's origin (${location.origin}); add ${location.origin} to CORS_ORIGINS on the newsfind server`);
  } else console.debug('newsfind widget: nothing to show: the API did not answer', error);
}

/**
 * Analytics (POST /api/events, no key, nothing about the reader): one beacon of impressions once half the list is
 * in view, and one per click (a middle-click too), each naming the article linked, its 1-based position and the
 * article the list is under. A plain-text body is a CORS-safelisted request: no preflight, any origin.
 */
function reportLinks(api: string, host: HTMLElement, hits: readonly Related[], fromArticleId: string): void {
  const send = (events: object[]) => {
    try {
      if (!navigator.sendBeacon?.(`${api}/api/events`, JSON.stringify(events))) throw new Error('beacon refused');
    } catch (error) {
      console.debug('newsfind widget: analytics event not sent', error);
    }
  };
  const event = (type: string, hit: Related, i: number) => ({ type, source: 'widget', articleId: hit.id, position: i + 1, fromArticleId });
  const root = host.shadowRoot;
  const onClick = (e: Event) => {
    const link = e.target instanceof Element ? e.target.closest('a') : null;
    const i = link && root ? [...root.querySelectorAll('a')].indexOf(link) : -1;
    const hit = hits[i];
    if (hit) send([event('click', hit, i)]);
  };
  root?.addEventListener('click', onClick);
  root?.addEventListener('auxclick', onClick);
  const seen = () => send(hits.map((hit, i) => event('impression', hit, i)));
  if (typeof IntersectionObserver !== 'function') return seen();
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    seen();
  }, { threshold: 0.5 });
  observer.observe(host);
}

async function load(script: HTMLScriptElement, host: HTMLElement, api: string): Promise<void> {
  const id = script.dataset.articleId ?? '';
  const base = script.dataset.linkBase;
  const serviceLink = (hitId: string) => `${api}/article/${encodeURIComponent(hitId)}`;
  const link = (hit: Related) => (base ? `${base}${encodeURIComponent(hit.id)}` : (webUrl(hit.url) ?? serviceLink(hit.id)));
  const minScore = numberOf(script, 'data-min-score', { min: 0, max: 1, fallback: 0 });
  const limit = numberOf(script, 'data-limit', { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT, whole: true });
  const mode = script.dataset.mode ?? 'similar';
  const story = mode === 'story';
  if (!story && mode !== 'similar') ignored('data-mode', mode, 'it must be similar or story');
  let response: Response;
  try {
    if (id === '') throw new Error('data-article-id is missing');
    const key = apiKeyOf(script);
    // data-min-score is the API's floor too (without freshness a hit's score is its cosine): set, it replaces the default
    const floor = script.dataset.minScore === undefined ? '' : `&minCosine=${minScore}`;
    const path = story ? `story?limit=${2 * limit + 1}` : `similar?limit=${limit}${floor}`;
    response = await fetch(`${api}/api/articles/${encodeURIComponent(id)}/${path}`, {
      mode: 'cors',
      credentials: 'omit',
      ...(key ? { headers: { 'X-Api-Key': key } } : {}),
    });
  } catch (error) {
    host.remove();
    if (error instanceof TypeError) await explainFailure(api, error);
    else console.debug('newsfind widget: nothing to show', error);
    return;
  }
  try {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const answer = (await response.json()) as { hits?: readonly Related[]; articles?: readonly Related[] };
    const valid = (list: readonly Related[] | undefined) => (list ?? []).filter((hit) => typeof hit.id === 'string' && typeof hit.title === 'string' && (hit.score ?? 1) >= minScore);
    const title = script.dataset.title ?? (story ? 'In this story' : 'More like this');
    const groups: Groups = story ? storyGroups(valid(answer.articles), id, limit) : [[title, valid(answer.hits)]];
    const hits = groups.flatMap(([, list]) => list);
    if (hits.length === 0) throw new Error(story ? 'no other article in this story' : minScore > 0 ? `no related articles with a score of ${minScore} or more` : 'no related articles');
    render(host, groups, { title, link });
    reportLinks(api, host, hits, id);
  } catch (error) {
    host.remove();
    console.debug('newsfind widget: nothing to show', error);
  }
}

/** Places the widget's host after its script and loads it once it comes near the viewport. */
function start(script: HTMLScriptElement): void {
  const api = new URL(script.src, document.baseURI).origin;
  const host = document.createElement('div');
  host.className = 'newsfind-widget';
  host.dataset.theme = themeOf(script);
  script.after(host);
  if (typeof IntersectionObserver !== 'function') {
    void load(script, host, api);
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    void load(script, host, api);
  }, { rootMargin: NEAR });
  observer.observe(host);
}

const script = ownScript();
if (script) {
  script.setAttribute(DONE, '');
  start(script);
}
