import fc from 'fast-check';
import { burstSeries, burstUnit, dayNumber, isoDay, MAX_DAILY_SPAN } from '../../../src/core/trends/burst-series.js';
import type { BurstBatch } from '../../../src/core/trends/bursts.js';
import { detectBursts } from '../../../src/core/trends/bursts.js';

const START = dayNumber('1987-03-01');
/** A daily series: `counts[t]` mentions of `total` articles on day t. */
const daily = (counts: readonly number[], total = 100): BurstBatch[] =>
  counts.map((count, t) => ({ start: isoDay(START + t), end: isoDay(START + t), count, total }));
const flat = (days: number, count: number) => Array.from({ length: days }, () => count);

describe('bursts (Kleinberg two-state automaton)', () => {
  it('when the entity is named at the same rate every day, then there is no burst', () => {
    expect(detectBursts(daily(flat(60, 3)))).toEqual([]);
    expect(detectBursts(daily(flat(60, 0)))).toEqual([]);
  });

  it('when its rate never changes, whatever the rate and the length, then there is no burst (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 50, max: 500 }), (days, count, total) => {
        expect(detectBursts(daily(flat(days, count), total))).toEqual([]);
      }),
    );
  });

  it('when one week has many more mentions, then one burst covers it, with its count, baseline, peak and weight', () => {
    const counts = flat(60, 1);
    for (let t = 30; t < 35; t++) counts[t] = t === 32 ? 15 : 8;
    const bursts = detectBursts(daily(counts));
    expect(bursts).toHaveLength(1);
    const [burst] = bursts;
    expect(burst!.start <= isoDay(START + 30) && burst!.end >= isoDay(START + 34)).toBe(true);
    expect(burst).toMatchObject({ start: isoDay(START + 30), end: isoDay(START + 34), peak: isoDay(START + 32), count: 47 });
    const p0 = counts.reduce((a, b) => a + b, 0) / (60 * 100);
    expect(burst!.baseline).toBeCloseTo(p0 * 500, 10);
    expect(burst!.weight).toBeGreaterThan(Math.log(60)); // it paid the entry cost γ ln n
  });

  it('when two spikes are a month apart, then there are two bursts, in time order', () => {
    const counts = flat(90, 1);
    for (const t of [20, 21, 22, 60, 61]) counts[t] = 12;
    const bursts = detectBursts(daily(counts));
    expect(bursts.map((b) => [b.start, b.end])).toEqual([
      [isoDay(START + 20), isoDay(START + 22)],
      [isoDay(START + 60), isoDay(START + 61)],
    ]);
  });

  it('when a spike is placed anywhere in a flat series, then exactly one burst holds it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 200 }), fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 1, max: 4 }), (days, at, width) => {
        const counts = flat(days, 2);
        const from = at % (days - width);
        for (let t = from; t < from + width; t++) counts[t] = 30;
        const bursts = detectBursts(daily(counts));
        expect(bursts).toHaveLength(1);
        expect(bursts[0]!.start <= isoDay(START + from) && bursts[0]!.end >= isoDay(START + from + width - 1)).toBe(true);
        expect(bursts[0]!.count).toBeGreaterThanOrEqual(30 * width);
      }),
    );
  });

  it('when the corpus itself is busier on a day, then the same share of it is no burst (the rate is relative to the volume)', () => {
    const series = daily(flat(40, 2)).map((b, t) => (t === 20 ? { ...b, count: 20, total: 1_000 } : b));
    expect(detectBursts(series)).toEqual([]);
  });

  it('when a single extra mention happens, then it is no burst (γ ln n asks for more)', () => {
    const counts = flat(100, 0);
    counts[10] = 1;
    counts[50] = 2;
    expect(detectBursts(daily(counts))).toEqual([]);
  });

  it('when s and γ are smaller, then a weaker rise is a burst', () => {
    const counts = flat(60, 4);
    for (let t = 30; t < 33; t++) counts[t] = 7;
    expect(detectBursts(daily(counts))).toEqual([]);
    expect(detectBursts(daily(counts), { s: 1.5, gamma: 0.5 })).toHaveLength(1);
  });

  it('when the collection has a hole of months, then no burst spans it (the automaton starts again after it)', () => {
    const before = daily(flat(30, 1));
    for (const t of [27, 28, 29]) before[t] = { ...before[t]!, count: 15 };
    const after = daily(flat(30, 1)).map((b, t) => {
      const day = isoDay(START + 120 + t);
      return { ...b, start: day, end: day, count: t < 3 ? 15 : 1 };
    });
    const bursts = detectBursts([...before, ...after]);
    expect(bursts.map((b) => [b.start, b.end])).toEqual([
      [isoDay(START + 27), isoDay(START + 29)],
      [isoDay(START + 120), isoDay(START + 122)],
    ]);
  });

  it('when the entity is named in every article, then no rate is left above its own and there is no burst', () => {
    expect(detectBursts(daily(flat(10, 100)))).toEqual([]);
  });
});

describe('burst series', () => {
  it('when counted per day, then days of the span without corpus articles are left out and mentions are matched to totals', () => {
    const d = dayNumber('1987-03-02');
    const series = burstSeries({ mentions: [[d + 2, 1], [d, 3]], totals: [[d - 5, 9], [d, 10], [d + 1, 0], [d + 2, 4], [d + 9, 7]], unit: 'day' });
    expect(series).toEqual([
      { start: '1987-03-02', end: '1987-03-02', count: 3, total: 10 },
      { start: '1987-03-04', end: '1987-03-04', count: 1, total: 4 },
    ]);
  });

  it('when counted per week, then batches run Monday to Sunday', () => {
    const monday = dayNumber('1987-03-02'); // a Monday
    const series = burstSeries({ mentions: [[monday + 6, 1], [monday + 7, 2]], totals: [[monday, 5], [monday + 6, 5], [monday + 8, 3]], unit: 'week' });
    expect(series).toEqual([
      { start: '1987-03-02', end: '1987-03-08', count: 1, total: 10 },
      { start: '1987-03-09', end: '1987-03-15', count: 2, total: 3 },
    ]);
  });

  it('when the span passes three years, then it is counted per week', () => {
    expect(burstUnit(0, MAX_DAILY_SPAN - 1)).toBe('day');
    expect(burstUnit(0, MAX_DAILY_SPAN)).toBe('week');
  });

  it('when nothing names the entity, then the series is empty', () => {
    expect(burstSeries({ mentions: [], totals: [[1, 1]], unit: 'day' })).toEqual([]);
  });
});
