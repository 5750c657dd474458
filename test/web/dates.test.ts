import { formatDate, formatDay, formatMonth, parseDay } from '../../web/src/dates.js';

describe('the pages\' one date format', () => {
  it('when an instant, a day or a month is shown, then it reads like 15 Jun 2026 (UTC)', () => {
    expect(formatDate('2026-06-15T23:30:00.000Z')).toBe('15 Jun 2026');
    expect(formatDate('2026-06-15T23:30:00-02:00')).toBe('16 Jun 2026');
    expect(formatDate('not a date')).toBe('');
    expect(formatDate(undefined)).toBe('');
    expect(formatDay('2026-01-05')).toBe('5 Jan 2026');
    expect(formatDay('')).toBe('');
    expect(formatMonth('2026-04')).toBe('Apr 2026');
  });

  it('when a day is typed in the house format or a common other one, then it is read as YYYY-MM-DD', () => {
    for (const typed of ['15 Jun 2026', '15 june 2026', '15 JUN. 2026', 'Jun 15, 2026', '2026-06-15', '15/06/2026', '15.6.2026', '  15  Jun  2026 ']) {
      expect([typed, parseDay(typed)]).toEqual([typed, '2026-06-15']);
    }
    expect(parseDay('1 Sept 2026')).toBe('2026-09-01');
    expect(parseDay('')).toBe('');
    expect(parseDay('   ')).toBe('');
  });

  it('when a typed day does not exist or cannot be read, then it is refused, not guessed', () => {
    for (const typed of ['31 Jun 2026', '29 Feb 2026', '2026-13-01', '15 Juno 2026', 'yesterday', '15 Jun', '06/15/2026', '15 Jun 26']) {
      expect([typed, parseDay(typed)]).toEqual([typed, undefined]);
    }
    expect(parseDay('29 Feb 2028')).toBe('2028-02-29');
  });

  it('when a day is shown and read back, then it is the same day', () => {
    for (const day of ['2026-01-01', '2026-09-30', '1999-12-31']) expect(parseDay(formatDay(day))).toBe(day);
  });
});
