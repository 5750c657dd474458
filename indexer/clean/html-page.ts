import { Readability } from '@mozilla/readability';
import { dropChrome } from './chrome.js';
import type { DomDocument, DomElement, DomNode } from './dom.js';
import { parseDocument } from './dom.js';
import type { TextBlock } from './html-text.js';
import { domBlocks } from './html-text.js';
import { pageMeta, withReaderMeta } from './page-meta.js';
import type { ReaderMeta } from './page-meta.js';

/**
 * Page furniture removed before main-text extraction: navigation, complementary blocks, forms, and elements
 * whose class or id says they are share bars, teaser or related-article lists, breadcrumbs, newsletters or ads.
 */
const CHROME_SELECTOR = [
  'nav', 'aside', 'footer', 'form', '[role="navigation"]', '[role="complementary"]', '[aria-hidden="true"]',
  ...['share', 'social', 'related', 'teaser', 'breadcrumb', 'newsletter', 'promo', 'advert', 'recommend', 'more-like']
    .flatMap((w) => [`[class*="${w}"]`, `[id*="${w}"]`]),
].join(', ');

/** Elements never removed as chrome, whatever their class says: the page itself and its marked main content. */
const PROTECTED_TAGS = new Set(['HTML', 'HEAD', 'BODY', 'MAIN', 'ARTICLE']);
/** Marks of the main content: an element holding one of these is an ancestor of the main text. */
const MAIN_CONTENT = 'main, article, [role="main"], [itemprop="articleBody"], [itemprop="text"]';
/** Share of the page's text above which an element is taken for (an ancestor of) the main text, not chrome. */
const MAIN_TEXT_SHARE = 0.5;

/** The article in an HTML page, as a raw record for validation: metadata, and main text as paragraphs. */
export function extractHtmlPage(html: string): Record<string, unknown> {
  const doc = parseDocument(html);
  const meta = pageMeta(doc); // first: Readability edits the document it reads
  removeChrome(doc);
  const { body, reader } = mainText(doc);
  return { ...withReaderMeta(meta, reader), body };
}

const textLength = (node: DomNode): number => (node.textContent ?? '').replace(/\s+/g, '').length;

/**
 * Whether an element matched by {@link CHROME_SELECTOR} may go: never the page's own wrappers (html, body, main,
 * article), nothing that holds the marked main content, and nothing that holds most of the page's text — a class
 * such as `newsletter-enabled` on a page wrapper, or a whole-page `<form>`, says nothing of what it holds.
 */
function isRemovable(element: DomElement, pageText: number): boolean {
  if (PROTECTED_TAGS.has(element.nodeName.toUpperCase())) return false;
  if (element.querySelector(MAIN_CONTENT) !== null) return false;
  return textLength(element) <= MAIN_TEXT_SHARE * pageText;
}

/** Removes page chrome (see {@link CHROME_SELECTOR}) that is not, nor holds, the main text. */
function removeChrome(doc: DomDocument): void {
  if (doc.body === null || doc.body === undefined) return;
  const pageText = textLength(doc.body);
  for (const element of Array.from(doc.querySelectorAll(CHROME_SELECTOR))) {
    if (isRemovable(element, pageText)) element.remove();
  }
}

/**
 * Main text by Mozilla Readability (Firefox Reader View) once chrome is removed, as paragraphs joined with a blank
 * line; teaser runs (mostly-link lines) and widgets left inside the article are dropped too (chrome.ts). The whole
 * body is the fallback when Readability finds no article or fails on the page.
 */
function mainText(doc: DomDocument): { body: string; reader: ReaderMeta | undefined } {
  let blocks: TextBlock[] | undefined;
  let reader: ReaderMeta | undefined;
  try {
    const article = new Readability(doc as never, { serializer: (node: unknown) => domBlocks(node as DomNode) }).parse();
    if (article !== null) {
      blocks = article.content as unknown as TextBlock[];
      reader = { title: article.title ?? undefined, byline: article.byline ?? undefined, publishedTime: article.publishedTime ?? undefined };
    }
  } catch {
    // Readability gives up on some pages (no body left, odd markup): the page's own text is the fallback
  }
  blocks ??= doc.body ? domBlocks(doc.body) : [];
  const lines = blocks.map((b) => b.text);
  const cleaned = dropChrome(lines, blocks.map((b) => b.linkShare));
  return { body: (cleaned.length > 0 ? cleaned : lines).join('\n\n'), reader };
}
