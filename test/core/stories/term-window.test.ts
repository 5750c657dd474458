import { TermWindow } from '../../../src/core/stories/term-window.js';

const DAY = 86_400_000;
const options = { windowMs: 3 * DAY, retainMs: 30 * DAY, perTerm: 4 };

describe('term window', () => {
  it('when candidates are asked, then at most perTerm articles holding the term come, the nearest in time within the window', () => {
    const w = new TermWindow(options);
    for (let d = 0; d < 10; d++) w.add({ id: `d${d}`, at: d * DAY }, [1]);
    expect(w.near(1, { id: 'x', at: 5 * DAY + 1 }).map((e) => e.id)).toEqual(['d5', 'd6', 'd4', 'd7']);
    expect(w.near(1, { id: 'x', at: 30 * DAY })).toEqual([]);
    expect(w.near(2, { id: 'x', at: 5 * DAY })).toEqual([]);
  });

  it('when articles keep arriving for months, then entries older than the newest minus retainMs are dropped (memory stays bounded)', () => {
    const w = new TermWindow(options);
    for (let d = 0; d < 5000; d++) w.add({ id: `d${d}`, at: d * DAY }, [d % 7, 100 + (d % 3)]);
    // 2 terms per article: those of the last 30 days, plus at most the 1,024 adds between two sweeps (10,000 unswept)
    expect(w.size()).toBeLessThanOrEqual(2 * (31 + 1024));
    expect(w.near(0, { id: 'late', at: 10 * DAY })).toEqual([]); // a very late article finds nothing left near it
  });

  it('when undated articles arrive, then per term the last perTerm are kept, and they are no candidates of dated ones', () => {
    const w = new TermWindow(options);
    for (let i = 0; i < 6; i++) w.add({ id: `u${i}`, at: undefined }, [1]);
    w.add({ id: 'dated', at: 0 }, [1]);
    expect(w.near(1, { id: 'u9', at: undefined }).map((e) => e.id)).toEqual(['u2', 'u3', 'u4', 'u5']);
    expect(w.near(1, { id: 'x', at: 0 }).map((e) => e.id)).toEqual(['dated']);
  });
});
