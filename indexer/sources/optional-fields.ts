import { articleInputSchema } from '../../src/core/article.js';
import type { FieldIssue } from '../../src/core/errors.js';
import { parseDate } from '../clean/dates.js';

/**
 * What a page or feed item says about itself beyond its title and body is often wrong in small ways: a link that
 * is not http(s), a date no one can read, 300 tags. Such a field must not cost the article (a neighbour's bad
 * field never rejects what is valid): it is normalised when it can be read, else left out or cut, and each time a
 * warning names the field, the value and the rule. Title and body are never touched here: without them there is
 * no article, and validation rejects the record naming them.
 */

/** Most tags an article keeps (the article schema's limit); more are cut with a warning. */
const MAX_TAGS = 100;
const shape = articleInputSchema.shape;

const quote = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
};

/** Why a url is refused, naming the rule: http(s) only, or not a URL at all. */
function urlProblem(v: unknown): string | undefined {
  if (shape.url.safeParse(v).success) return undefined;
  if (typeof v !== 'string') return `${quote(v)} is not a URL (a text such as https://example.com/a is expected)`;
  try {
    const { protocol } = new URL(v);
    return `${quote(v)} is not an http(s) URL (only http and https links are kept, not ${protocol.replace(/:$/, '')})`;
  } catch {
    return `${quote(v)} is not a URL (an absolute http(s) link such as https://example.com/a is expected)`;
  }
}

const DATE_RULE = 'RFC 822 such as "Tue, 10 Jun 2003 04:00:00 GMT" or ISO 8601 such as 2026-03-14T09:30:00Z';

/** Language tags as pages write them (`en_US`, `EN`, `en-us`) in the form the schema accepts, when they can be. */
function normaliseLanguage(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const [primary = '', ...rest] = v.trim().replace(/_/g, '-').split('-');
  return [primary.toLowerCase(), ...rest].join('-');
}

type Checked = { value?: unknown; issue?: string };

/** One optional field checked: its value normalised or cut, or left out; and why, when it changed. */
function checkField(key: string, v: unknown): Checked {
  switch (key) {
    case 'url': {
      const problem = urlProblem(v);
      return problem === undefined ? { value: v } : { issue: `${problem}; the article is kept without it` };
    }
    case 'publishedAt':
    case 'updatedAt': {
      if (shape.publishedAt.safeParse(v).success) return { value: v }; // ISO 8601 already: the schema normalises it
      const iso = typeof v === 'string' ? parseDate(v) : undefined;
      return iso !== undefined ? { value: iso } : { issue: `${quote(v)} is not a date (${DATE_RULE}); the article is kept without it` };
    }
    case 'tags':
      return checkTags(v);
    case 'language': {
      const tag = normaliseLanguage(v);
      if (shape.language.safeParse(tag).success) return { value: tag };
      return { issue: `${quote(v)} is not a language tag such as "en" or "en-GB"; the article is kept without it` };
    }
    default: {
      const schema = shape[key as 'summary' | 'source' | 'category' | 'author'];
      const parsed = schema.safeParse(v);
      if (parsed.success) return { value: v };
      if (key === 'summary' && typeof v === 'string') return { value: `${v.slice(0, 4_999)}…`, issue: `is ${v.length} characters long; cut to 5,000` };
      return { issue: `${quote(v)}: ${parsed.error.issues[0]?.message ?? 'invalid'}; the article is kept without it` };
    }
  }
}

function checkTags(v: unknown): Checked {
  if (!Array.isArray(v)) return { issue: `${quote(v)} is not a list of tags; the article is kept without them` };
  const issues: string[] = [];
  const texts = v.filter((t): t is string => typeof t === 'string' && t.trim() !== '');
  if (texts.length < v.length) issues.push(`${v.length - texts.length} tags that are not text were left out`);
  const short = texts.filter((t) => t.trim().length <= 100);
  if (short.length < texts.length) issues.push(`${texts.length - short.length} tags longer than 100 characters were left out`);
  const kept = [...new Set(short.map((t) => t.trim()))];
  if (kept.length > MAX_TAGS) issues.push(`${kept.length} tags: only the first ${MAX_TAGS} are kept`);
  const value = kept.slice(0, MAX_TAGS);
  return { ...(value.length > 0 ? { value } : {}), ...(issues.length > 0 ? { issue: issues.join('; ') } : {}) };
}

const OPTIONAL = ['url', 'summary', 'publishedAt', 'updatedAt', 'source', 'category', 'tags', 'author', 'language'] as const;

/**
 * A raw article from a page or feed with its optional fields made valid (see the module comment): dates
 * normalised to ISO 8601 UTC, bad fields left out or cut. Returns the record and one warning per field changed
 * otherwise than by normalising. Fields absent, undefined or empty stay absent.
 */
export function keepValidOptionals(record: Readonly<Record<string, unknown>>): { value: Record<string, unknown>; warnings: FieldIssue[] } {
  const value: Record<string, unknown> = { ...record };
  const warnings: FieldIssue[] = [];
  for (const key of OPTIONAL) {
    const v = value[key];
    delete value[key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
    const checked = checkField(key, v);
    if (checked.value !== undefined) value[key] = checked.value;
    if (checked.issue !== undefined) warnings.push({ path: key, message: checked.issue });
  }
  return { value, warnings };
}
