import { Readability } from '@mozilla/readability';
import { dropChrome } from './chrome.js';
import { toIsoDate } from './dates.js';
import type { DomDocument, DomNode } from './dom.js';
import { parseDocument } from './dom.js';
import { domParagraphs } from './html-text.js';
import { pageMeta } from './page-meta.js';

/**
 * Page furniture removed before main-text extraction: navigation, complementary blocks, forms, and elements
 * whose class or id says they are share bars, teaser or related-article lists, breadcrumbs, newsletters or ads.
 */
const CHROME_SELECTOR = [
  'nav', 'aside', 'footer', 'form', '[role="navigation"]', '[role="complementary"]', '[aria-hidden="true"]',
  ...['share', 'social', 'related', 'teaser', 'breadcrumb', 'newsletter', 'promo', 'advert', 'recommend', 'more-like']
    .flatMap((w) => [`[class*="${w}"]`, `[id*="${w}"]`]),
].join(', ');

/** The article in an HTML page, as a raw record for validation: metadata, and main text as paragraphs. */
export function extractHtmlPage(html: string): Record<string, unknown> {
  const doc = parseDocument(html);
  const meta = pageMeta(doc);
  const body = mainText(doc);
  return {
    ...meta,
    publishedAt: toIsoDate(meta.publishedAt),
    updatedAt: toIsoDate(meta.updatedAt),
    body,
  };
}

/**
 * Main text by Mozilla Readability (Firefox Reader View) once chrome is removed, as paragraphs joined with a blank
 * line; teaser runs and widgets left inside the article are dropped too (chrome.ts). The whole body is the
 * fallback when Readability finds no article.
 */
function mainText(doc: DomDocument): string {
  const chrome = doc.querySelectorAll(CHROME_SELECTOR);
  for (const element of Array.from(chrome)) element.remove();
  const reader = new Readability(doc as never, { serializer: (node: unknown) => domParagraphs(node as DomNode) });
  const paragraphs = reader.parse()?.content ?? domParagraphs(doc.body);
  const cleaned = dropChrome(paragraphs);
  return (cleaned.length > 0 ? cleaned : paragraphs).join('\n\n');
}
