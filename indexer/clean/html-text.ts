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
 * The text of a DOM subtree as paragraphs: each block element (p, li, h2, div…) starts a new one, whitespace inside
 * a paragraph is collapsed, scripts, styles, forms and navigation are left out, and empty paragraphs dropped.
 */
export function domParagraphs(root: DomNode): string[] {
  const paragraphs: string[] = [];
  let current = '';
  const breakParagraph = () => {
    const text = current.replace(/\s+/g, ' ').trim();
    if (text !== '') paragraphs.push(text);
    current = '';
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === TEXT) {
      current += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== ELEMENT && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (SKIPPED.has(name)) return;
    const block = BLOCKS.has(name);
    if (block) breakParagraph();
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!);
    if (block) breakParagraph();
  };
  walk(root);
  breakParagraph();
  return paragraphs;
}

/** The paragraphs of an HTML fragment (a feed item's description or content), markup removed by a real parser. */
export function htmlParagraphs(html: string): string[] {
  return domParagraphs(parseDocument(html).body);
}
