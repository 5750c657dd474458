import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { validateArticle } from '../src/core/validate-article.js';
import { readFile } from '../indexer/sources/read-source.js';
import { bodyF1, halfOf } from './extraction-score.js';

/**
 * One page of an article-extraction suite laid out as scrapinghub/article-extraction-benchmark is: a
 * `ground-truth.json` mapping each case name to `{ url, articleBody }`, and the page itself in `html/<name>.html.gz`
 * (or `html/<name>.html`). The page is extracted by the indexer's HTML reader and its body scored against
 * `articleBody`. The suite gives no title, byline or date, so none is scored.
 */
export interface PageScore {
  readonly name: string;
  readonly half: 'dev' | 'held-out';
  /** Bag-of-words F1 of the body against the expected text (0 when the page was rejected). */
  readonly f1: number;
  /** Why the page would not be indexed, if it would not. */
  readonly rejected: string | undefined;
  readonly warnings: number;
}

interface GroundTruth {
  readonly url?: string;
  readonly articleBody?: string;
}

const truths = new Map<string, Record<string, GroundTruth>>();

/** A suite's ground truth, read once per root. */
function groundTruth(root: string): Record<string, GroundTruth> {
  let truth = truths.get(root);
  if (truth === undefined) {
    truth = JSON.parse(fs.readFileSync(path.join(root, 'ground-truth.json'), 'utf8')) as Record<string, GroundTruth>;
    truths.set(root, truth);
  }
  return truth;
}

/** Where a case's page is: `html/<name>.html.gz`, else `html/<name>.html`; undefined when neither exists. */
function pageFile(root: string, name: string): string | undefined {
  return [`${name}.html.gz`, `${name}.html`].map((f) => path.join(root, 'html', f)).find((f) => fs.existsSync(f));
}

/** The cases of a suite: names in ground-truth.json whose page is present, sorted. */
export function pageCases(root: string): string[] {
  return Object.keys(groundTruth(root))
    .filter((name) => pageFile(root, name) !== undefined)
    .sort();
}

/** The page as a plain .html file the reader can open: itself, or its gunzipped bytes in a temporary folder. */
function plainHtml(file: string, name: string): { file: string; done: () => void } {
  if (!file.endsWith('.gz')) return { file, done: () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-page-'));
  const plain = path.join(dir, `${name}.html`);
  fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(file)));
  return { file: plain, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Extracts one case's page as the indexer would (`npm run index` on the file), and scores its body. */
export async function scorePage(root: string, name: string): Promise<PageScore> {
  const source = pageFile(root, name);
  if (source === undefined) throw new Error(`${name}: no page in ${path.join(root, 'html')}`);
  const page = plainHtml(source, name);
  let body = '';
  let rejected: string | undefined;
  let warnings = 0;
  try {
    for await (const r of readFile(page.file, 'html', { source: root, label: `html/${name}.html`, map: new Map() })) {
      warnings += r.warnings?.length ?? 0;
      if (r.parseError !== undefined) rejected = r.parseError;
      else {
        const checked = validateArticle(r.value);
        if (!checked.ok) rejected = checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
        const value = r.value as Record<string, unknown>;
        body = typeof value['body'] === 'string' ? value['body'] : '';
      }
    }
  } catch (error) {
    rejected = `cannot read the file: ${(error as Error).message}`;
  } finally {
    page.done();
  }
  const expected = groundTruth(root)[name]?.articleBody ?? '';
  return { name, half: halfOf(name), f1: rejected === undefined ? bodyF1(body, expected) : 0, rejected, warnings };
}
