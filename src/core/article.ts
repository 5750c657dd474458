import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ISO_DATE_MESSAGE, parseIsoDate } from './iso-date.js';

/** Longest article id, in UTF-8 bytes (Meilisearch's limit for a document id). */
export const MAX_ID_BYTES = 511;
/** Longest accepted body, in characters (about 150,000 words); longer bodies are rejected, not truncated. */
export const MAX_BODY_CHARS = 1_000_000;
/** Longest accepted title, in characters. */
export const MAX_TITLE_CHARS = 1_000;

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Whether `id` keeps the rule of an article id (letters, digits, `_`, `-`; at most {@link MAX_ID_BYTES} bytes). */
export const isArticleId = (id: string): boolean => ID_PATTERN.test(id) && Buffer.byteLength(id) <= MAX_ID_BYTES;

const isoDate = z
  .string()
  .trim()
  .refine((s) => parseIsoDate(s) !== undefined, { message: ISO_DATE_MESSAGE })
  .transform((s) => new Date(parseIsoDate(s)!).toISOString());

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((s) => (s === '' ? undefined : s));

/** An article as it arrives from a source: `id` may be absent (one is derived, see {@link deriveArticleId}). */
export const articleInputSchema = z
  .object({
    id: z
      .string()
      .regex(ID_PATTERN, 'may only contain A-Z, a-z, 0-9, "_" and "-"')
      .refine((s) => Buffer.byteLength(s) <= MAX_ID_BYTES, `must be at most ${MAX_ID_BYTES} bytes`)
      .optional(),
    title: z.string().trim().min(1, 'must not be empty').max(MAX_TITLE_CHARS),
    body: z.string().trim().min(1, 'must not be empty').max(MAX_BODY_CHARS),
    url: z.url({ protocol: /^https?$/ }).optional(),
    summary: optionalText(5_000),
    publishedAt: isoDate.optional(),
    updatedAt: isoDate.optional(),
    source: optionalText(200),
    category: optionalText(200),
    tags: z.array(z.string().trim().max(100)).max(100).optional(),
    author: optionalText(300),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "en-GB"')
      .optional(),
  })
  .strip();

export type ArticleInput = z.input<typeof articleInputSchema>;

/** A validated article with its final id; dates are ISO 8601 UTC strings with milliseconds. */
export interface Article {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly url?: string | undefined;
  readonly summary?: string | undefined;
  readonly publishedAt?: string | undefined;
  readonly updatedAt?: string | undefined;
  readonly source?: string | undefined;
  readonly category?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly author?: string | undefined;
  readonly language?: string | undefined;
  /** Canonical names of the people, organisations and places the article mentions, extracted at index time. */
  readonly people?: readonly string[] | undefined;
  readonly orgs?: readonly string[] | undefined;
  readonly places?: readonly string[] | undefined;
  /** Salience of each entity (`people:Qin Gang` → 3.2), see core/entities/extract-entities.ts. */
  readonly salience?: Readonly<Record<string, number>> | undefined;
  /**
   * Derived at write time (storage/copy-groups.ts): the copy group of the article — syndicated copies and
   * near-duplicates of one text share it; an article with no copy is its own group (its id).
   */
  readonly copyGroup?: string | undefined;
}

const hash16 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The id of an article that has none: `u-` + 16 hex digits of the SHA-256 of its URL when it has one (so a page
 * re-scraped with new text keeps its id), else `h-` + 16 hex digits of the SHA-256 of title and body.
 */
export function deriveArticleId(article: { url?: string | undefined; title: string; body: string }): string {
  if (article.url !== undefined) return `u-${hash16(article.url)}`;
  return `h-${hash16(`${article.title}\n${article.body}`)}`;
}

/** Tags trimmed, empty ones dropped, de-duplicated and kept in first-seen order. */
function cleanTags(tags: readonly string[] | undefined): string[] | undefined {
  if (tags === undefined) return undefined;
  const unique = [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
  return unique.length === 0 ? undefined : unique;
}

/** Turns a parsed input into an {@link Article}: derives the id when absent and drops empty optional fields. */
export function toArticle(input: z.output<typeof articleInputSchema>): Article {
  const id = input.id ?? deriveArticleId(input);
  const entries = Object.entries({ ...input, id, tags: cleanTags(input.tags) }).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries) as unknown as Article;
}

/**
 * A fingerprint of everything stored for an article (16 hex digits of SHA-256 over its fields in a fixed
 * order), so that a re-run can skip articles whose content has not changed.
 */
export function contentHash(article: Article): string {
  const fields = [
    article.id,
    article.title,
    article.body,
    article.url,
    article.summary,
    article.publishedAt,
    article.updatedAt,
    article.source,
    article.category,
    article.tags?.join('\u001f'),
    article.author,
    article.language,
    article.people?.join('\u001f'),
    article.orgs?.join('\u001f'),
    article.places?.join('\u001f'),
  ];
  // the copy group joined the fingerprint later: an article without one keeps the fingerprint it had
  if (article.copyGroup !== undefined) fields.push(article.copyGroup);
  return hash16(fields.map((f) => f ?? '').join('\u001e'));
}
