import { fillMonths } from '../../web/src/timeline.js';

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
