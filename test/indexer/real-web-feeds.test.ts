import fs from 'node:fs';
import path from 'node:path';
import type { FeedScore } from '../../bench/extraction-feeds.js';
import { feedCases, scoreFeed } from '../../bench/extraction-feeds.js';
import { parseDate } from '../../indexer/clean/dates.js';

/**
 * Feeds no one here wrote: feedparser's test feeds (test/fixtures/real-web/feedparser, see its NOTICE.md), each
 * read by the indexer's feed reader, and held against the `Expect:` line feedparser's authors wrote in it.
 */
const ROOT = path.resolve('test/fixtures/real-web/feedparser');

describe('feeds from the real web (feedparser test feeds)', () => {
  let scores: FeedScore[] = [];
  beforeAll(async () => {
    scores = [];
    for (const name of feedCases(ROOT)) scores.push(await scoreFeed(ROOT, name));
  }, 60_000);

  it('when every feed is read, then no item is silently lost: each is kept or reported at its location', () => {
    expect(scores.length).toBeGreaterThan(200);
    expect(scores.filter((s) => s.silentlyLost > 0).map((s) => s.name)).toEqual([]);
  });

  it('when feeds are UTF-16 or UTF-32 (with or without BOM), EUC-KR or carry a BOM, then they are decoded, not rejected', () => {
    const decoded = scores.filter((s) => /^encoding\/(?:utf|euc-kr|u16)/.test(s.name));
    expect(decoded.length).toBeGreaterThanOrEqual(8);
    expect(decoded.filter((s) => s.fileRejected !== undefined).map((s) => `${s.name}: ${s.fileRejected}`)).toEqual([]);
  });

  it('when feeds are read, then at least 90% of the title, link, date, body and author expectations are met, every title and link', () => {
    const checks = scores.flatMap((s) => s.checks);
    expect(checks.length).toBeGreaterThan(60);
    expect(checks.filter((c) => c.met).length / checks.length).toBeGreaterThanOrEqual(0.9);
    const missed = (field: string) => scores.filter((s) => s.checks.some((c) => c.field === field && !c.met)).map((s) => s.name);
    expect(missed('title')).toEqual([]);
    expect(missed('link')).toEqual([]);
  });

  it('when a file is rejected whole, then only for what makes it unreadable as a feed, and it names why', () => {
    for (const s of scores.filter((x) => x.fileRejected !== undefined)) {
      expect(s.fileRejected).toMatch(/^(?:malformed XML outside any item|not an RSS|the file is not valid)/);
    }
  });
});

describe('feed dates (feedparser date-parser cases)', () => {
  const { cases } = JSON.parse(fs.readFileSync(path.join(ROOT, 'date-cases.json'), 'utf8')) as {
    cases: { parser: string; input: string; expected: number[] | null }[];
  };
  const iso = (t: number[]) => new Date(Date.UTC(t[0]!, t[1]! - 1, t[2]!, t[3]!, t[4]!, t[5]!)).toISOString();
  /** feedparser reads year 0100 as 99; this reader refuses years before 1000 instead. */
  const usable = cases.filter((c) => !/ 0100 /.test(c.input));

  it.each(usable.filter((c) => c.expected !== null).map((c) => [c.parser, c.input, c.expected!] as const))(
    'when a %s date "%s" is read, then it is the instant feedparser reads',
    (_parser, input, expected) => {
      const got = parseDate(input);
      expect(got === undefined ? undefined : new Date(Math.floor(Date.parse(got) / 1000) * 1000).toISOString()).toBe(iso(expected)); // feedparser keeps whole seconds
    },
  );

  it.each(usable.filter((c) => c.expected === null).map((c) => [c.parser, c.input] as const))(
    'when a %s text "%s" is no valid date, then it is refused',
    (_parser, input) => {
      expect(parseDate(input)).toBeUndefined();
    },
  );
});
