import fc from 'fast-check';
import { DEFAULT_STORY_OPTIONS } from '../../../src/core/stories/story-options.js';
import { StoryThreads } from '../../../src/core/stories/story-threads.js';
import type { StoryArticle } from '../../../src/core/stories/story-threads.js';
import { compareEntries } from '../../../src/core/stories/term-window.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 10);

/** Cosines of the pairs named (symmetric); any other pair is 0. */
const cosines = (pairs: Record<string, number>) => (a: string) => (b: string) => pairs[`${a}|${b}`] ?? pairs[`${b}|${a}`] ?? 0;

function grow(articles: readonly StoryArticle[], pairs: Record<string, number>, options = DEFAULT_STORY_OPTIONS): StoryThreads {
  const threads = new StoryThreads(options);
  const cos = cosines(pairs);
  for (const a of articles) threads.add(a, cos(a.id));
  return threads;
}

const art = (id: string, days: number | undefined, terms: number[] = [1, 2, 3], copyGroup?: string): StoryArticle => ({
  id,
  at: days === undefined ? undefined : T0 + days * DAY,
  terms,
  ...(copyGroup === undefined ? {} : { copyGroup }),
});

const roles = (threads: StoryThreads, id: string) => threads.thread(id, 20)!.articles.map((x) => [x.id, x.role]);

describe('story threads', () => {
  it('when an article is similar enough to an earlier one near it in time, then it joins its story, in time order with roles', () => {
    const threads = grow([art('a', 0, [1, 2, 3], 'a'), art('b', 1, [1, 2, 3], 'b'), art('c', 1.5, [1, 2, 3], 'b'), art('d', 2)], { 'a|b': 0.6, 'b|c': 0.97, 'a|c': 0.5, 'd|a': 0.1 });
    const story = threads.thread('c', 10)!;
    expect(story.id).toBe('a');
    expect(story.size).toBe(3);
    expect(story.articles.map((x) => [x.id, x.role])).toEqual([['a', 'first'], ['b', 'follow-up'], ['c', 'copy']]);
    expect(threads.thread('d', 10)).toMatchObject({ id: 'd', size: 1, articles: [{ id: 'd', role: 'first' }] });
  });

  it('when the best candidate is below the threshold, or outside the time window, then the article starts its own story', () => {
    const threads = grow([art('a', 0), art('b', 0.5), art('far', 10)], { 'a|b': DEFAULT_STORY_OPTIONS.threshold - 0.01, 'a|far': 0.9 });
    expect(threads.thread('b', 5)!.size).toBe(1);
    expect(threads.thread('far', 5)!.size).toBe(1);
  });

  it('when candidates share fewer strong terms than minShared, then they are not compared', () => {
    const threads = grow([art('a', 0, [1, 2, 3]), art('b', 0.1, [1, 7, 8])], { 'a|b': 0.9 });
    expect(threads.thread('b', 5)!.size).toBe(1);
  });

  it('when an article matches two stories, then it joins the more similar and the stories stay apart', () => {
    const threads = grow([art('a', 0), art('x', 0.2, [1, 2, 3]), art('m', 0.5)], { 'm|a': 0.5, 'm|x': 0.7 });
    expect(threads.thread('m', 5)!.id).toBe('x');
    expect(threads.thread('a', 5)!.size).toBe(1);
  });

  it('when an article published earlier arrives late, then it becomes the first report and the older first a follow-up or copy', () => {
    const threads = grow([art('b', 1, [1, 2, 3], 'b'), art('a', 0, [1, 2, 3], 'b')], { 'a|b': 0.99 });
    expect(threads.thread('b', 5)!.articles.map((x) => [x.id, x.role])).toEqual([['a', 'first'], ['b', 'copy']]);
  });

  it('when articles of one story share a copy group, then the later ones are copies, whatever their cosine; without a shared group none is', () => {
    const threads = grow(
      [art('a', 0, [1, 2, 3], 'a'), art('b', 1, [1, 2, 3], 'a'), art('c', 2, [1, 2, 3], 'c'), art('d', 2.2), art('e', 2.5, [1, 2, 3], 'a')],
      { 'a|b': 0.5, 'a|c': 0.99, 'a|d': 0.99, 'a|e': 0.45 },
    );
    // b and e: the group a named (cosine 0.5 and 0.45 only); c: cosine 0.99 but a group of its own; d: no group
    expect(roles(threads, 'a')).toEqual([['a', 'first'], ['b', 'copy'], ['c', 'follow-up'], ['d', 'follow-up'], ['e', 'copy']]);
  });

  it('when a copy group is named by an article outside the story, or by none held, then its members are copies of each other only', () => {
    const threads = grow(
      [art('x', 0, [7, 8, 9], 'x'), art('a', 0.5, [1, 2, 3], 'a'), art('b', 1, [1, 2, 3], 'x'), art('c', 2, [1, 2, 3], 'x')],
      { 'a|b': 0.6, 'a|c': 0.6, 'x|b': 0.1 },
    );
    expect(roles(threads, 'a')).toEqual([['a', 'first'], ['b', 'follow-up'], ['c', 'copy']]);
    threads.remove('x');
    threads.remove('b');
    expect(roles(threads, 'a')).toEqual([['a', 'first'], ['c', 'follow-up']]);
  });

  it('when an article is applied again with another copy group, then it is not held as it was and its role follows', () => {
    const threads = grow([art('a', 0, [1, 2, 3], 'a'), art('b', 1, [1, 2, 3], 'a')], { 'a|b': 0.6 });
    expect(threads.holds(art('b', 1, [1, 2, 3], 'a'))).toBe(true);
    expect(threads.holds(art('b', 1, [1, 2, 3], 'b'))).toBe(false);
    expect(threads.holds(art('b', 1))).toBe(false);
    threads.add(art('b', 1, [1, 2, 3], 'b'), () => 0.6);
    expect(roles(threads, 'a')).toEqual([['a', 'first'], ['b', 'follow-up']]);
    threads.add(art('b', 1, [1, 2, 3], 'a'), () => 0.6);
    expect(roles(threads, 'a')).toEqual([['a', 'first'], ['b', 'copy']]);
  });

  it('when undated articles arrive, then they are grouped only with undated ones and listed after the dated', () => {
    const threads = grow([art('d', 0), art('u1', undefined), art('u2', undefined)], { 'd|u1': 0.9, 'u1|u2': 0.6 });
    expect(threads.thread('d', 5)!.size).toBe(1);
    expect(threads.thread('u2', 5)!.articles.map((x) => [x.id, x.role])).toEqual([['u1', 'first'], ['u2', 'follow-up']]);
  });

  it('when an article is removed, then its story keeps the others and the roles follow', () => {
    const threads = grow([art('a', 0), art('b', 1), art('c', 2)], { 'a|b': 0.6, 'b|c': 0.6 });
    threads.remove('a');
    expect(threads.has('a')).toBe(false);
    expect(threads.thread('c', 5)!.articles.map((x) => [x.id, x.role])).toEqual([['b', 'first'], ['c', 'follow-up']]);
  });

  it('when an article changes, then it is added again as it is now: it may leave its story, and an unchanged one is held as it was', () => {
    const threads = grow([art('a', 0), art('b', 1)], { 'a|b': 0.6 });
    expect(threads.holds(art('b', 1))).toBe(true);
    expect(threads.holds(art('b', 1, [7, 8, 9]))).toBe(false);
    threads.add(art('b', 1, [7, 8, 9]), () => 0.9); // its old entries under 1, 2, 3 are no candidates of anything now
    expect(threads.thread('b', 5)!.size).toBe(1);
    expect(threads.thread('a', 5)!.size).toBe(1);
    threads.add(art('c', 1.5, [1, 2, 3]), (other) => (other === 'a' ? 0.5 : 0.99));
    expect(threads.thread('c', 5)!.articles.map((x) => x.id)).toEqual(['a', 'c']);
  });

  it('when a story is long, then limit lists the articles around the one asked', () => {
    const ids = Array.from({ length: 9 }, (_, i) => `s${i}`);
    const pairs = Object.fromEntries(ids.slice(1).map((id, i) => [`${id}|${ids[i]!}`, 0.8]));
    const threads = grow(ids.map((id, i) => art(id, i * 0.2)), pairs);
    const around = threads.thread('s6', 3)!;
    expect(around).toMatchObject({ size: 9, offset: 5 });
    expect(around.articles.map((x) => x.id)).toEqual(['s5', 's6', 's7']);
    expect(threads.thread('s8', 4)!.articles.map((x) => x.id)).toEqual(['s5', 's6', 's7', 's8']);
  });

  it('when the biggest stories of a period are asked, then stories of 2+ articles are ranked by their articles in the period', () => {
    const threads = grow(
      [art('a1', 0), art('a2', 1), art('b1', 4), art('lone', 4, [9, 8, 7]), art('b2', 4.5), art('a3', 5)],
      { 'a1|a2': 0.6, 'a2|a3': 0.1, 'b1|b2': 0.7, 'a3|b2': 0.5 },
    );
    const inPeriod = threads.biggest(T0 + 4 * DAY, T0 + 5 * DAY, 10);
    expect(inPeriod.map((s) => [s.id, s.inPeriod, s.size])).toEqual([['b1', 3, 3]]);
    expect(threads.biggest(T0, T0 + 1 * DAY, 10).map((s) => [s.id, s.inPeriod])).toEqual([['a1', 2]]);
    expect(threads.biggest(T0, T0 + 6 * DAY, 1).map((s) => s.id)).toEqual(['b1']);
  });

  it('property: every story lists its articles in (time, id) order, each article exactly once, with one first report', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.subarray([1, 2, 3, 4, 5], { minLength: 2 })), { minLength: 1, maxLength: 25 }), fc.integer(), (rows, seed) => {
        const articles = rows.map(([day, terms], i) => art(`a${i}`, day / 4, terms));
        const cos = (a: string, b: string) => ((a < b ? a + b : b + a).split('').reduce((h, c) => (h * 31 + c.charCodeAt(0) + seed) | 0, 7) >>> 0) % 100 / 100;
        const threads = new StoryThreads(DEFAULT_STORY_OPTIONS);
        for (const a of articles) threads.add(a, (other) => cos(a.id, other));
        let seen = 0;
        const ids = new Set<string>();
        for (const a of articles) {
          const t = threads.thread(a.id, 100)!;
          if (ids.has(t.id)) continue;
          ids.add(t.id);
          seen += t.size;
          expect(t.articles.filter((x) => x.role === 'first').map((x) => x.id)).toEqual([t.id]);
          for (let i = 1; i < t.articles.length; i++) expect(compareEntries(t.articles[i - 1]!, t.articles[i]!)).toBeLessThan(0);
        }
        expect(seen).toBe(articles.length);
      }),
    );
  });
});
