import { burstSummary, monthSpan, periodLabel } from '../../web/src/bursts.js';

const MONTHS = ['1987-02', '1987-03', '1987-04'];

describe('bursts on the entity page', () => {
  it('when a burst lies within the chart, then it spans its days as shares of their months', () => {
    expect(monthSpan(MONTHS, { start: '1987-03-01', end: '1987-03-31' })).toEqual({ from: 1, to: 2 });
    const span = monthSpan(MONTHS, { start: '1987-02-15', end: '1987-02-15' })!;
    expect(span.from).toBeCloseTo(14 / 28, 10);
    expect(span.to).toBeCloseTo(15 / 28, 10);
  });

  it('when a burst runs past the chart, then it is clipped; wholly outside or malformed, then it is not drawn', () => {
    expect(monthSpan(MONTHS, { start: '1987-01-20', end: '1987-02-28' })).toEqual({ from: 0, to: 1 });
    expect(monthSpan(MONTHS, { start: '1987-04-30', end: '1987-06-02' })).toEqual({ from: 2 + 29 / 30, to: 3 });
    expect(monthSpan(MONTHS, { start: '1987-06-01', end: '1987-06-02' })).toBeUndefined();
    expect(monthSpan(MONTHS, { start: 'soon', end: '1987-03-02' })).toBeUndefined();
    expect(monthSpan([], { start: '1987-03-01', end: '1987-03-02' })).toBeUndefined();
  });

  it('when a burst is described, then its days and what its usual rate expects are said plainly', () => {
    expect(periodLabel({ start: '1987-03-16', end: '1987-03-18' })).toBe('16 Mar 1987 – 18 Mar 1987');
    expect(periodLabel({ start: '1987-03-16', end: '1987-03-16' })).toBe('16 Mar 1987');
    expect(burstSummary({ count: 18, baseline: 3.24 })).toBe('18 articles where its usual rate expects 3.2');
    expect(burstSummary({ count: 1, baseline: 0.01 })).toBe('1 article where its usual rate expects under 0.1');
  });
});
