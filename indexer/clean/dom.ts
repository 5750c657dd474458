import { parseHTML } from 'linkedom';

/** The few DOM members this code uses (the project compiles without the DOM library). */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

/** An element, as far as this code queries and edits it. */
export interface DomElement extends DomNode {
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  remove(): void;
}

/** A parsed page. */
export interface DomDocument extends DomElement {
  readonly body: DomElement;
  readonly title: string;
}

/** Parses an HTML page (or fragment) with linkedom, a small standards-based DOM. */
export function parseDocument(html: string): DomDocument {
  const markup = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  return parseHTML(markup).document as unknown as DomDocument;
}
