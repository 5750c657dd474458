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
      visit(JSON.parse(scripts[i]!.textContent ?? ''));
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

/** An absolute http(s) URL, resolving `href` against `base`; undefined when it cannot be one. */
function absoluteUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Metadata of an HTML page: JSON-LD NewsArticle first, then Open Graph / article:* meta tags, then plain HTML. */
export function pageMeta(doc: DomDocument): PageMeta {
  const meta = (key: string): string | undefined =>
    asText(doc.querySelector(`meta[property="${key}"], meta[name="${key}"]`)?.getAttribute('content'));
  const metas = (key: string): string[] =>
    Array.from(doc.querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`), (m) => asText(m.getAttribute('content')))
      .filter((t): t is string => t !== undefined);
  const ld = newsArticle(doc) ?? {};
  const ldUrl = asText(ld['url']) ?? nameOf(ld['mainEntityOfPage']) ?? asText((ld['mainEntityOfPage'] as Json | undefined)?.['@id']);
  const ogUrl = absoluteUrl(meta('og:url'), undefined);
  const canonical = asText(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'));
  const keywords = asList(ld['keywords']).flatMap((k) => (typeof k === 'string' ? k.split(',') : []));
  const tags = [...metas('article:tag'), ...keywords].map((t) => t.trim()).filter((t) => t !== '');
  const h1 = asText(doc.querySelector('h1')?.textContent?.replace(/\s+/g, ' '));
  const fields: PageMeta = {
    title: asText(ld['headline']) ?? meta('og:title') ?? h1 ?? asText(doc.title),
    url: absoluteUrl(canonical, ogUrl) ?? ogUrl ?? absoluteUrl(ldUrl, undefined),
    publishedAt: asText(ld['datePublished']) ?? meta('article:published_time') ?? meta('date'),
    updatedAt: asText(ld['dateModified']) ?? meta('article:modified_time'),
    author: asList(ld['author']).map(nameOf).find((a) => a !== undefined) ?? meta('author') ?? meta('article:author'),
    source: nameOf(ld['publisher']) ?? meta('og:site_name'),
    category: asList(ld['articleSection']).map(asText).find((s) => s !== undefined) ?? meta('article:section'),
    summary: asText(ld['description']) ?? meta('og:description') ?? meta('description'),
    tags: tags.length === 0 ? undefined : [...new Set(tags)],
    language: asText(ld['inLanguage']) ?? asText(doc.querySelector('html')?.getAttribute('lang')),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as PageMeta;
}
