import type { DomNode } from './dom.js';
import { parseDocument } from './dom.js';

const ELEMENT = 1;
const TEXT = 3;
/** Elements that start a new paragraph of text. */
const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BR', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TD', 'TH',
  'TR', 'UL',
]);
/** Elements whose text is never article text. */
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'BUTTON', 'FORM', 'SELECT', 'NAV']);
/**
 * The same in a feed item's HTML, less `iframe`: feed readers strip the frame and show what it holds (its fallback
 * text), and an `<iframe>` left open holds the rest of the item's text.
 */
const FRAGMENT_SKIPPED = new Set([...SKIPPED].filter((name) => name !== 'IFRAME'));
/** HTML's void elements: the only ones that a `/>` closes in HTML. */
const VOID = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
/**
 * A start tag closed XHTML-style, `<name attributes/>` (quoted attribute values may hold `>` or `/`). The
 * alternatives never overlap and none crosses a `<`, so that the match is linear in the text's length.
 */
const SELF_CLOSED = /<([A-Za-z][\w:-]*)((?:[^<>"'/]|\/(?!>)|"[^"<]*"|'[^'<]*')*)\/>/g;

/** One paragraph of a page's text, and how much of it is link text (0–1: a teaser headline is all link). */
export interface TextBlock {
  readonly text: string;
  readonly linkShare: number;
}

/**
 * The text of a DOM subtree as blocks: each block element (p, li, h2, div…) starts a new one, whitespace inside a
 * block is collapsed, scripts, styles, forms and navigation are left out, and empty blocks dropped. Each block
 * says what share of its characters sit inside links. `skipped`: the elements (upper case) whose text is left out,
 * by default scripts, styles, frames, forms, buttons and navigation.
 */
export function domBlocks(root: DomNode, skipped: ReadonlySet<string> = SKIPPED): TextBlock[] {
  const blocks: TextBlock[] = [];
  let current = '';
  let linked = 0;
  let inLink = 0;
  const breakBlock = () => {
    const text = current.replace(/\s+/g, ' ').trim();
    if (text !== '') blocks.push({ text, linkShare: Math.min(1, linked / text.replace(/\s/g, '').length) });
    current = '';
    linked = 0;
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === TEXT) {
      const text = node.textContent ?? '';
      current += text;
      if (inLink > 0) linked += text.replace(/\s/g, '').length;
      return;
    }
    if (node.nodeType !== ELEMENT && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (skipped.has(name)) return;
    const block = BLOCKS.has(name);
    if (block) breakBlock();
    if (name === 'A') inLink++;
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!);
    if (name === 'A') inLink--;
    if (block) breakBlock();
  };
  walk(root);
  breakBlock();
  return blocks;
}

/** The text of a DOM subtree as paragraphs (see {@link domBlocks}). */
export function domParagraphs(root: DomNode): string[] {
  return domBlocks(root).map((b) => b.text);
}

/**
 * An HTML fragment with its XHTML-style self-closed elements (`<iframe src="…"/>`, `<script src="…"/>`, `<a
 * name="x"/>`) closed as HTML closes them, `<iframe …></iframe>`: an HTML parser ignores the `/` of a non-void
 * element, and a `<script/>` or `<iframe/>` would then hold, and hide, the rest of the text. Feed content is often
 * written by XHTML tools.
 */
export const closeSelfClosed = (html: string): string =>
  html.replace(SELF_CLOSED, (tag, name: string, attributes: string) =>
    VOID.has(name.toLowerCase()) ? tag : `<${name}${attributes}></${name}>`);

/**
 * The paragraphs of an HTML fragment (a feed item's description or content), markup removed by a real parser:
 * self-closed elements closed first ({@link closeSelfClosed}), and the text an `<iframe>` holds kept (see
 * {@link FRAGMENT_SKIPPED}).
 */
export function htmlParagraphs(html: string): string[] {
  return domBlocks(parseDocument(closeSelfClosed(html)).body, FRAGMENT_SKIPPED).map((b) => b.text);
}
