import path from 'node:path';
import type { PageScore } from '../../bench/extraction-pages.js';
import { pageCases, scorePage } from '../../bench/extraction-pages.js';
import { mean } from '../../bench/extraction-score.js';

/**
 * Pages no one here wrote: a subset of Mozilla Readability's test pages (test/fixtures/real-web/readability, see
 * its NOTICE.md), each read by the indexer's HTML reader exactly as `npm run index` reads a page, and held against
 * Readability's own expected main text and metadata.
 */
const ROOT = path.resolve('test/fixtures/real-web/readability');
/** Lowest body F1 any one page may score (bag of words against Readability's expected text). */
const PAGE_F1_FLOOR = 0.9;

describe('HTML pages from the real web (Readability test pages)', () => {
  const scores = new Map<string, PageScore>();
  beforeAll(async () => {
    for (const name of pageCases(ROOT)) scores.set(name, await scorePage(ROOT, name));
  }, 60_000);

  it('when the vendored pages are read, then there are 15 of them', () => {
    expect(scores.size).toBe(15);
  });

  it.each(pageCases(ROOT))('when %s is read, then it is kept and its body matches the expected text', (name) => {
    const s = scores.get(name)!;
    expect(s.rejected).toBeUndefined();
    expect(s.f1).toBeGreaterThanOrEqual(PAGE_F1_FLOOR);
  });

  it('when every page is read, then the mean body F1 is at least 0.97 and every title is the expected one', () => {
    const all = [...scores.values()];
    expect(mean(all.map((s) => s.f1))).toBeGreaterThanOrEqual(0.97);
    expect(all.filter((s) => !s.title).map((s) => s.name)).toEqual([]);
  });

  it('when pages state a byline or a publication time, then it is found (all but one byline)', () => {
    const all = [...scores.values()];
    expect(all.filter((s) => s.date === false).map((s) => s.name)).toEqual([]);
    expect(all.filter((s) => s.byline === false).length).toBeLessThanOrEqual(1);
  });
});
