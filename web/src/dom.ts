/** Small DOM helpers. Article fields only ever reach the page as text (textContent), never as HTML. */
import { formatDate } from './dates.js';

/** Properties of an element made by `h`. */
export interface Props {
  readonly class?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/** Creates an element with a class, text and attributes, and appends the children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  children: readonly (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** The element with this id, which the page's HTML must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

/** Decodes the few character references the API's escaping produces; any other `&` sequence stays as it is. */
function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, name: string) => ENTITIES[name] ?? '');
}

/**
 * Appends an API highlight (HTML-escaped text with `<mark>…</mark>`) as text nodes and `mark` elements. Nothing is
 * parsed as HTML: any other tag would show as text, so even a faulty answer cannot inject markup.
 */
export function appendHighlight(parent: Element, escaped: string): void {
  const parts = escaped.split(/(<mark>|<\/mark>)/);
  let mark: HTMLElement | undefined;
  for (const part of parts) {
    if (part === '<mark>') mark = document.createElement('mark');
    else if (part === '</mark>') {
      if (mark) parent.append(mark);
      mark = undefined;
    } else if (part !== '') (mark ?? parent).append(unescapeHtml(part));
  }
  if (mark) parent.append(mark);
}

/** A publication date for people (`15 Jun 2026`, UTC): the pages' one date format (dates.ts). */
export { formatDate };

/** A `time` element for a publication date, or nothing. */
export function timeElement(iso: string | undefined): HTMLTimeElement[] {
  const text = formatDate(iso);
  return text && iso ? [h('time', { text, attrs: { datetime: iso } })] : [];
}

/** "source · date" as text nodes and elements, skipping what is absent. */
export function byline(source: string | undefined, publishedAt: string | undefined): (Node | string)[] {
  const parts: (Node | string)[] = [];
  if (source) parts.push(source);
  const time = timeElement(publishedAt);
  if (source && time.length > 0) parts.push(' · ');
  parts.push(...time);
  return parts;
}

/** Shows a message in a status element (role=status or alert in the HTML). */
export function showMessage(element: HTMLElement, message: string): void {
  element.textContent = message;
  element.hidden = message === '';
}
