import fs from 'node:fs';
import path from 'node:path';
import { validateArticle } from '../src/core/validate-article.js';
import { parseDocument } from '../indexer/clean/dom.js';
import { domParagraphs } from '../indexer/clean/html-text.js';
import { readFile } from '../indexer/sources/read-source.js';
import { bodyF1, halfOf, sameByline, sameField, sameInstant } from './extraction-score.js';

/**
 * One page of a Readability-style test suite (a folder holding `source.html`, `expected.html` and
 * `expected-metadata.json`), extracted by the indexer's HTML reader and scored against the expected main text and
 * metadata.
 */
export interface PageScore {
  readonly name: string;
  readonly half: 'dev' | 'held-out';
  /** Bag-of-words F1 of the body against the expected text (0 when the page was rejected). */
  readonly f1: number;
  /** Title equal to the expected one (once whitespace and quotes are normalised). */
  readonly title: boolean;
  /** Byline found, when the suite expects one (undefined when it expects none). */
  readonly byline: boolean | undefined;
  /** Publication time right, when the suite expects one. */
  readonly date: boolean | undefined;
  /** Why the page would not be indexed, if it would not. */
  readonly rejected: string | undefined;
  readonly warnings: number;
}

interface ExpectedMeta {
  readonly title?: string | null;
  readonly byline?: string | null;
  readonly publishedTime?: string | null;
}

/** The case folders of a suite: sub-folders holding both `source.html` and `expected.html`, sorted by name. */
export function pageCases(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, 'source.html')) && fs.existsSync(path.join(root, e.name, 'expected.html')))
    .map((e) => e.name)
    .sort();
}

/** The expected main text of a case: expected.html as paragraphs. */
export function expectedText(caseDir: string): string {
  return domParagraphs(parseDocument(fs.readFileSync(path.join(caseDir, 'expected.html'), 'utf8')).body).join('\n');
}

/** Extracts one case's page as the indexer would, and scores it. */
export async function scorePage(root: string, name: string): Promise<PageScore> {
  const dir = path.join(root, name);
  const metaFile = path.join(dir, 'expected-metadata.json');
  const meta = (fs.existsSync(metaFile) ? JSON.parse(fs.readFileSync(metaFile, 'utf8')) : {}) as ExpectedMeta;
  let value: Record<string, unknown> = {};
  let rejected: string | undefined;
  let warnings = 0;
  try {
    for await (const r of readFile(path.join(dir, 'source.html'), 'html', { source: root, label: `${name}/source.html`, map: new Map() })) {
      warnings += r.warnings?.length ?? 0;
      if (r.parseError !== undefined) rejected = r.parseError;
      else {
        const checked = validateArticle(r.value);
        if (!checked.ok) rejected = checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
        value = r.value as Record<string, unknown>;
      }
    }
  } catch (error) {
    rejected = `cannot read the file: ${(error as Error).message}`;
  }
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  return {
    name,
    half: halfOf(name),
    f1: rejected === undefined ? bodyF1(text('body') ?? '', expectedText(dir)) : 0,
    title: rejected === undefined && sameField(text('title'), meta.title ?? ''),
    byline: meta.byline ? rejected === undefined && sameByline(text('author'), meta.byline) : undefined,
    date: meta.publishedTime ? rejected === undefined && sameInstant(text('publishedAt'), meta.publishedTime) : undefined,
    rejected,
    warnings,
  };
}
