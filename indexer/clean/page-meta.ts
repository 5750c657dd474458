import type { DomDocument } from './dom.js';

/** Article metadata a page states about itself, in meta tags (Open Graph, article:*) and JSON-LD. */
export interface PageMeta {
  readonly title?: string;
  readonly url?: string;
  readonly publishedAt?: string;
  readonly updatedAt?: string;
  readonly author?: string;
  readonly source?: string;
  readonly category?: string;
  readonly summary?: string;
  readonly tags?: string[];
  readonly language?: string;
}

type Json = Record<string, unknown>;

const ARTICLE_TYPES = new Set(['NewsArticle', 'Article', 'ReportageNewsArticle', 'AnalysisNewsArticle', 'BlogPosting', 'OpinionNewsArticle']);

const asText = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const nameOf = (v: unknown): string | undefined =>
  asText(v) ?? (typeof v === 'object' && v !== null ? asText((v as Json)['name']) : undefined);

/** A script's text without the `<![CDATA[ … ]]>` (or `//<![CDATA[ … //]]>`) and `<!-- … -->` wrappers pages put around it. */
const unwrapScript = (text: string): string =>
  text
    .replace(/^\s*(?:\/\/\s*)?(?:<!\[CDATA\[|<!--)/, '')
    .replace(/(?:\/\/\s*)?(?:\]\]>|-->)\s*$/, '');

/** Every JSON object in the page's JSON-LD scripts, `@graph` members included; scripts that are not JSON are skipped. */
function jsonLdObjects(doc: DomDocument): Json[] {
  const out: Json[] = [];
  const visit = (v: unknown) => {
    for (const item of asList(v)) {
      if (typeof item !== 'object' || item === null) continue;
      out.push(item as Json);
      visit((item as Json)['@graph']);
    }
  };
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length; i++) {
    try {
      visit(JSON.parse(unwrapScript(scripts[i]!.textContent ?? '')));
    } catch {
      // a broken JSON-LD block only loses its metadata; meta tags still apply
    }
  }
  return out;
}

/** The page's NewsArticle (or Article, BlogPosting…) JSON-LD object, if any. */
function newsArticle(doc: DomDocument): Json | undefined {
  return jsonLdObjects(doc).find((o) => asList(o['@type']).some((t) => typeof t === 'string' && ARTICLE_TYPES.has(t)));
}

/** An absolute URL, resolving `href` against `base`; undefined when it cannot be one. */
function absoluteUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

const isHttp = (url: string | undefined): boolean => url !== undefined && /^https?:/i.test(url);

/** The page's URL: the first http(s) one of its candidates, else the first at all (the reader then reports why it is refused). */
const pageUrl = (candidates: readonly (string | undefined)[]): string | undefined => candidates.find(isHttp) ?? candidates.find((c) => c !== undefined);

/** What Readability found about the page (its own reading of title, byline and publication time). */
export interface ReaderMeta {
  readonly title?: string | undefined;
  readonly byline?: string | undefined;
  readonly publishedTime?: string | undefined;
}

/** A name, not a profile link (`article:author` often holds a URL). */
const notUrl = (s: string | undefined): string | undefined => (s === undefined || /^(?:https?:)?\/\//i.test(s) || /^www\./i.test(s) ? undefined : s);
/** A byline as a name: without a leading "By" and surrounding punctuation; undefined when it is a link or too long to be one. */
function bylineName(byline: string | undefined): string | undefined {
  const s = notUrl(byline?.replace(/\s+/g, ' ').trim().replace(/^by[:\s]+/i, '').replace(/^[\s|,–—-]+|[\s|,–—-]+$/g, ''));
  return s === undefined || s === '' || s.length > 120 ? undefined : s;
}

/** Separators between a headline and the site name in a `<title>` (`Headline | Site`, `Site - Headline`). */
const TITLE_SEPARATOR = /\s+(?:[|\-–—»/:·•]|::)\s+/;

/**
 * The title by agreement of `<title>` and the page's `<h1>`s: an `<h1>` that `<title>` contains (the headline,
 * not a banner or section name), else `<title>` less its site-name part (the longest part, when a separator
 * splits it), else the first `<h1>`.
 */
function titleByAgreement(docTitle: string | undefined, h1s: readonly string[]): string | undefined {
  if (docTitle === undefined) return h1s[0];
  const agreed = h1s.filter((h) => h.length >= 10 && docTitle.toLowerCase().includes(h.toLowerCase())).sort((a, b) => b.length - a.length)[0];
  if (agreed !== undefined) return agreed;
  const parts = docTitle.split(TITLE_SEPARATOR).map((p) => p.trim()).filter((p) => p !== '');
  const longest = [...parts].sort((a, b) => b.length - a.length)[0] ?? docTitle;
  return parts.length > 1 && longest.split(' ').length >= 3 ? longest : docTitle;
}

/** Publication time from page markup besides JSON-LD and Open Graph: other meta names, `<time>` and microdata. */
function markupDate(doc: DomDocument, meta: (key: string) => string | undefined): string | undefined {
  const named = ['date', 'pubdate', 'publishdate', 'publish-date', 'dc.date', 'dc.date.issued', 'dcterms.created', 'dcterms.issued',
    'parsely-pub-date', 'sailthru.date', 'article.published', 'og:published_time', 'datepublished'].map(meta).find((d) => d !== undefined);
  const micro = doc.querySelector('[itemprop="datePublished"]');
  const time = doc.querySelector('time[pubdate], article time[datetime]');
  return named ?? asText(micro?.getAttribute('content') ?? micro?.getAttribute('datetime')) ?? asText(time?.getAttribute('datetime'));
}

/** Where pages mark their byline in the text: microdata, `rel="author"`, a `byline` class. */
const BYLINE_SELECTORS = ['[itemprop~="author"] [itemprop~="name"]', '[itemprop~="author"]', 'a[rel~="author"]', '[class~="byline"]', '[class~="author"]'];

/** A byline marked in the page's text (see {@link BYLINE_SELECTORS}), when no metadata names the author. */
function markupByline(doc: DomDocument): string | undefined {
  for (const selector of BYLINE_SELECTORS) {
    const element = doc.querySelector(selector);
    const text = element?.getAttribute('content') ?? element?.textContent;
    const name = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '';
    if (name.length >= 3 && name.length <= 100) return name;
  }
  return undefined;
}

/** Metadata of an HTML page: JSON-LD NewsArticle first, then Open Graph / article:* meta tags, then plain HTML. */
export function pageMeta(doc: DomDocument): PageMeta {
  const meta = (key: string): string | undefined =>
    asText(doc.querySelector(`meta[property="${key}" i], meta[name="${key}" i]`)?.getAttribute('content'));
  const metas = (key: string): string[] =>
    Array.from(doc.querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`), (m) => asText(m.getAttribute('content')))
      .filter((t): t is string => t !== undefined);
  const ld = newsArticle(doc) ?? {};
  const ldUrl = asText(ld['url']) ?? nameOf(ld['mainEntityOfPage']) ?? asText((ld['mainEntityOfPage'] as Json | undefined)?.['@id']);
  const ogUrl = absoluteUrl(meta('og:url'), undefined);
  const canonical = asText(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'));
  const keywords = asList(ld['keywords']).flatMap((k) => (typeof k === 'string' ? k.split(',') : []));
  const tags = [...metas('article:tag'), ...keywords].map((t) => t.trim()).filter((t) => t !== '');
  const h1s = Array.from(doc.querySelectorAll('h1'), (h) => asText(h.textContent?.replace(/\s+/g, ' '))).filter((h): h is string => h !== undefined);
  const docTitle = asText(doc.querySelector('title')?.textContent?.replace(/\s+/g, ' '));
  const fields: PageMeta = {
    title: asText(ld['headline']) ?? meta('og:title') ?? titleByAgreement(docTitle, h1s),
    url: pageUrl([absoluteUrl(canonical, isHttp(ogUrl) ? ogUrl : undefined), ogUrl, absoluteUrl(ldUrl, undefined)]),
    publishedAt: asText(ld['datePublished']) ?? meta('article:published_time') ?? markupDate(doc, meta),
    updatedAt: asText(ld['dateModified']) ?? meta('article:modified_time'),
    author: [...asList(ld['author']).map(nameOf), meta('author'), meta('dc.creator'), meta('parsely-author'), meta('article:author')]
      .map(bylineName)
      .find((a) => a !== undefined) ?? bylineName(markupByline(doc)),
    source: nameOf(ld['publisher']) ?? meta('og:site_name'),
    category: asList(ld['articleSection']).map(asText).find((s) => s !== undefined) ?? meta('article:section'),
    summary: asText(ld['description']) ?? meta('og:description') ?? meta('description'),
    tags: tags.length === 0 ? undefined : [...new Set(tags)],
    language: asText(ld['inLanguage']) ?? asText(doc.querySelector('html')?.getAttribute('lang')),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as PageMeta;
}

/**
 * The page's metadata completed by Readability's reading of it: Readability's title (it weighs `<title>`, its
 * site-name part and the headings against each other) and its byline (from the page's metadata, else from its
 * text) over ours; its publication time where the page's markup gave none.
 */
export function withReaderMeta(meta: PageMeta, reader: ReaderMeta | undefined): PageMeta {
  const title = asText(reader?.title?.replace(/\s+/g, ' ')) ?? meta.title;
  const author = bylineName(reader?.byline) ?? meta.author;
  const publishedAt = meta.publishedAt ?? asText(reader?.publishedTime);
  return {
    ...meta,
    ...(title === undefined ? {} : { title }),
    ...(author === undefined ? {} : { author }),
    ...(publishedAt === undefined ? {} : { publishedAt }),
  };
}
