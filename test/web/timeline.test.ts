import { fillMonths, peakMonths, timelineSummary } from '../../web/src/timeline.js';

describe('entity timeline months', () => {
  it('when months are missing between the first and the last, then they are filled with 0, in order', () => {
    expect(fillMonths([{ month: '2026-02', articles: 1 }, { month: '2025-11', articles: 3 }])).toEqual([
      { month: '2025-11', articles: 3 },
      { month: '2025-12', articles: 0 },
      { month: '2026-01', articles: 0 },
      { month: '2026-02', articles: 1 },
    ]);
  });

  it('when the timeline is empty or malformed, then nothing is drawn; repeated months add up', () => {
    expect(fillMonths([])).toEqual([]);
    expect(fillMonths([{ month: 'April', articles: 2 }])).toEqual([]);
    expect(fillMonths([{ month: '2026-04', articles: 2 }, { month: '2026-04', articles: 1 }])).toEqual([{ month: '2026-04', articles: 3 }]);
  });

  it('when the history is longer than ten years, then the latest 120 months are kept', () => {
    const months = fillMonths([{ month: '2000-01', articles: 1 }, { month: '2026-12', articles: 1 }]);
    expect(months).toHaveLength(120);
    expect(months[0]?.month).toBe('2017-01');
    expect(months[119]).toEqual({ month: '2026-12', articles: 1 });
  });
});

describe('entity timeline summary', () => {
  const label = (month: string) => month;
  const months = (...counts: number[]) => counts.map((articles, i) => ({ month: `2026-${String(i + 1).padStart(2, '0')}`, articles }));

  it('when one month has the most articles, then the summary names it with its count', () => {
    expect(timelineSummary(months(1, 0, 3, 2), label)).toBe('6 articles from 2026-01 to 2026-04; most in 2026-03 (3).');
  });

  it('when two or three months tie, then the summary names each of them', () => {
    expect(timelineSummary(months(2, 0, 2), label)).toBe('4 articles from 2026-01 to 2026-03; most in 2026-01 and 2026-03 (2 each).');
    expect(timelineSummary(months(2, 2, 1, 2), label)).toBe('7 articles from 2026-01 to 2026-04; most in 2026-01, 2026-02 and 2026-04 (2 each).');
  });

  it('when more than three months tie, then the summary counts them instead of picking one', () => {
    expect(timelineSummary(months(2, 1, 2, 0, 2, 2), label)).toBe('9 articles from 2026-01 to 2026-06; at most 2 a month, in 4 months.');
    expect(peakMonths(months(2, 1, 2, 0, 2, 2))).toEqual({ articles: 2, months: ['2026-01', '2026-03', '2026-05', '2026-06'] });
  });

  it('when there is one month or none, then the summary says so plainly', () => {
    expect(timelineSummary(months(1), label)).toBe('1 article in 2026-01.');
    expect(timelineSummary([], label)).toBe('No dated articles.');
    expect(timelineSummary(months(0, 0), label)).toBe('No dated articles.');
    expect(peakMonths(months(0, 0))).toEqual({ articles: 0, months: [] });
  });
});
