import { attributionSource, dropChrome, lineKind } from './chrome.js';
import { toIsoDate } from './dates.js';

/** What a scraped plain-text page yields once its chrome is removed. */
export interface ScrapedPage {
  readonly title?: string;
  readonly body: string;
  readonly source?: string;
  readonly category?: string;
  readonly author?: string;
  readonly publishedAt?: string;
}

/** Lines of the page header searched for the headline. */
const HEADER_LINES = 6;
/** Shortest truncated title that identifies a breadcrumb glued to it. */
const MIN_GLUED_PREFIX = 12;
const ELLIPSIS = /\s*(?:\.\.\.|…)\s*$/;
const CRUMB_SEPARATOR = /\s*(?:»|›|>|\/|\||·|→)\s*/;
const ROOT_CRUMB = /^(?:home(?:page)?|start|front ?page)$/i;
const DATE_LINE = /^(?:published|posted|updated|last updated|date)(?:\s+on)?\s*:?\s*(.*)$/i;
const BYLINE = /^[Bb]y\s+(\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|de|van|von|da|al))*)\s*$/u;

const normalise = (line: string): string => line.replace(/\s+/g, ' ').trim();

/**
 * Splits a breadcrumb into its parts: on separators (`Home > World > Asia`), or, for crumbs scraped without any
 * (`HomeWorldAsia`), where a lower-case letter meets an upper-case one.
 */
export function breadcrumbParts(crumbs: string): string[] {
  const parts = CRUMB_SEPARATOR.test(crumbs) ? crumbs.split(CRUMB_SEPARATOR) : crumbs.split(/(?<=\p{Ll})(?=\p{Lu})/u);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The category a breadcrumb names: its parts after the site root, joined with "/"; undefined when none. */
function categoryOf(crumbs: string | undefined): string | undefined {
  if (crumbs === undefined) return undefined;
  const parts = breadcrumbParts(crumbs);
  while (parts.length > 0 && ROOT_CRUMB.test(parts[0]!)) parts.shift();
  return parts.length === 0 || parts.some((p) => p.split(' ').length > 4) ? undefined : parts.join('/');
}

/**
 * The breadcrumb in a line that precedes the headline: the text before a (possibly truncated) copy of the headline
 * glued to it, or the whole line when it is a separated trail such as `Home > World`. Undefined otherwise.
 */
function gluedCrumbs(line: string, title: string): string | undefined {
  const stem = line.replace(ELLIPSIS, '');
  if (stem !== line || stem.endsWith(title)) {
    for (let i = 1; i <= stem.length - Math.min(MIN_GLUED_PREFIX, title.length); i++) {
      if (title.startsWith(stem.slice(i))) return stem.slice(0, i);
    }
  }
  const parts = line.split(CRUMB_SEPARATOR);
  return parts.length >= 2 && parts.every((p) => p.trim().split(' ').length <= 4) ? line : undefined;
}

/**
 * Index of the headline: the longest short unpunctuated line of the header (before the first sentence), leaving
 * out truncated teasers, breadcrumbs, dates, bylines and attributions — so a site name or section label above the
 * headline is not taken for it.
 */
function titleIndex(lines: readonly string[]): number {
  const firstText = lines.findIndex((l) => lineKind(l) === 'text');
  const header = lines.slice(0, Math.min(HEADER_LINES, firstText === -1 ? lines.length : firstText));
  let best = -1;
  header.forEach((l, i) => {
    const candidate =
      lineKind(l) === 'headline' && !DATE_LINE.test(l) && !BYLINE.test(l) && attributionSource(l) === undefined && gluedCrumbs(l, lines[i + 1] ?? '') === undefined;
    if (candidate && (best === -1 || l.split(' ').length > lines[best]!.split(' ').length)) best = i;
  });
  return best === -1 ? 0 : best;
}

/** Takes metadata lines (dates, byline, attribution) out of the body, keeping what they say. */
function takeMetadata(lines: readonly string[]) {
  const rest: string[] = [];
  let source: string | undefined;
  let author: string | undefined;
  let publishedAt: string | undefined;
  for (const line of lines) {
    const attributed = attributionSource(line);
    const date = DATE_LINE.exec(line);
    const byline = BYLINE.exec(line);
    if (attributed !== undefined) source ??= attributed;
    else if (date && line.length <= 80) {
      if (/^(?:published|posted|date)/i.test(line) && date[1] !== '') publishedAt ??= toIsoDate(date[1]);
    } else if (byline && line.length <= 80) author ??= byline[1];
    else rest.push(line);
  }
  return { rest, source, author, publishedAt };
}

/**
 * Cleans a page scraped as plain text: finds the headline (and the breadcrumb glued to it, which gives the
 * category), takes the publication line, byline and attribution (`Info Source-X` → source X) out of the text, and
 * keeps the paragraphs between the headline and the end of the article, without teaser lists or share widgets
 * (see chrome.ts). Paragraphs are joined with a blank line.
 */
export function cleanScrapedText(text: string): ScrapedPage {
  const lines = text.split(/\r?\n/).map(normalise).filter((l) => l !== '');
  if (lines.length === 0) return { body: '' };
  const at = titleIndex(lines);
  const title = lines[at]!;
  const crumbLine = lines.slice(0, at).find((l) => gluedCrumbs(l, title) !== undefined);
  const meta = takeMetadata(lines.slice(at + 1));
  const page = {
    title,
    body: dropChrome(meta.rest).join('\n\n'),
    source: meta.source,
    category: categoryOf(crumbLine === undefined ? undefined : gluedCrumbs(crumbLine, title)),
    author: meta.author,
    publishedAt: meta.publishedAt,
  };
  return Object.fromEntries(Object.entries(page).filter(([, v]) => v !== undefined)) as unknown as ScrapedPage;
}
