/**
 * The embeddable "More like this" widget:
 *
 *   <script src="https://HOST/widget.js" data-article-id="ID" async></script>
 *
 * Finds its own script element, fetches the related articles from the origin it was loaded from (which must
 * allow the host page's origin: CORS_ORIGINS), and renders them into a Shadow DOM host right after the script,
 * so that the host page's styles do not reach in and ours do not leak out. Optional attributes:
 * `data-limit` (1–20, default 5), `data-link-base` (links become base + id; default HOST/article/ID),
 * `data-title` (default "More like this") and `data-api-key` (sent as `X-Api-Key`; default: the public key the API
 * wrote into widget.js when it served it, PUBLIC_API_KEY). When anything fails it removes itself and logs at debug
 * level only: a news page must never show a broken box because the API is down. Self-contained: no import, no
 * framework.
 */

interface Related {
  readonly id: string;
  readonly title: string;
  readonly publishedAt?: string;
  readonly source?: string;
}

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 20;
const DONE = 'data-newsfind-widget';
/**
 * The API's public key: the server replaces this literal (src/http/web-routes.ts) when it serves widget.js, with ""
 * when it has no PUBLIC_API_KEY. A copy served as built (from a CDN, say) still holds the marker: no key then.
 */
const SERVED_API_KEY = '__NEWSFIND_PUBLIC_API_KEY__';

const STYLES = `
:host { all: initial; display: block; contain: content; margin: 1.5em 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 16px; }
h2 { font-size: 1.1em; margin: 0 0 8px; color: #1a1a1a; }
ul { list-style: none; margin: 0; padding: 0; }
li { padding: 6px 0; border-top: 1px solid #eaeef2; }
li:first-child { border-top: 0; }
a { color: #0b57d0; text-decoration: underline; font-weight: 600; }
a:hover { color: #08419c; }
a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; border-radius: 2px; }
.meta { display: block; color: #555; font-size: 0.85em; }
`;

/** The widget's script element: the running one, or (old browsers, async edge cases) the first one not yet used. */
function ownScript(): HTMLScriptElement | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && !current.hasAttribute(DONE)) return current;
  const candidates = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"][data-article-id]');
  return [...candidates].find((s) => !s.hasAttribute(DONE));
}

/** The key to send: the script's `data-api-key`, else the one the API served, else none (''). */
function apiKeyOf(script: HTMLScriptElement): string {
  const given = script.dataset.apiKey?.trim() ?? '';
  const served = SERVED_API_KEY.startsWith('__NEWSFIND_') ? '' : SERVED_API_KEY;
  return given || served;
}

function limitOf(script: HTMLScriptElement): number {
  const n = Number(script.dataset.limit ?? DEFAULT_LIMIT);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_LIMIT) : DEFAULT_LIMIT;
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

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

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

function render(host: HTMLElement, hits: readonly Related[], options: { title: string; link: (id: string) => string }): void {
  const root = host.attachShadow({ mode: 'open' });
  applyStyles(root);
  const section = document.createElement('section');
  section.setAttribute('aria-label', options.title);
  const heading = document.createElement('h2');
  heading.textContent = options.title;
  const list = document.createElement('ul');
  list.append(...hits.map((hit) => item(hit, options.link(hit.id))));
  section.append(heading, list);
  root.append(section);
}

async function start(script: HTMLScriptElement): Promise<void> {
  const id = script.dataset.articleId ?? '';
  const api = new URL(script.src, document.baseURI).origin;
  const base = script.dataset.linkBase;
  const link = (hitId: string) => (base ? `${base}${encodeURIComponent(hitId)}` : `${api}/article/${encodeURIComponent(hitId)}`);
  const host = document.createElement('div');
  host.className = 'newsfind-widget';
  script.after(host);
  try {
    if (id === '') throw new Error('data-article-id is missing');
    const key = apiKeyOf(script);
    const response = await fetch(`${api}/api/articles/${encodeURIComponent(id)}/similar?limit=${limitOf(script)}`, {
      mode: 'cors',
      credentials: 'omit',
      ...(key ? { headers: { 'X-Api-Key': key } } : {}),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const answer = (await response.json()) as { hits?: readonly Related[] };
    const hits = (answer.hits ?? []).filter((hit) => typeof hit.id === 'string' && typeof hit.title === 'string');
    if (hits.length === 0) throw new Error('no related articles');
    render(host, hits, { title: script.dataset.title ?? 'More like this', link });
  } catch (error) {
    host.remove();
    console.debug('newsfind widget: nothing to show', error);
  }
}

const script = ownScript();
if (script) {
  script.setAttribute(DONE, '');
  void start(script);
}
