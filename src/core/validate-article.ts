import type { Article } from './article.js';
import { articleInputSchema, toArticle } from './article.js';
import type { FieldIssue } from './errors.js';
import { toFieldIssues } from './field-issues.js';

/** The outcome of validating one raw record: the article, or every rule it breaks. */
export type ArticleValidation =
  | { readonly ok: true; readonly article: Article }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/** Validates one raw record (any JSON value) against the article model; never throws. */
export function validateArticle(raw: unknown): ArticleValidation {
  const parsed = articleInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error) };
  return { ok: true, article: toArticle(parsed.data) };
}
