import { termCounts } from '../../src/core/similarity/analyzer.js';
import { PIECE_CHARS, termCountPairs, termCountsInTurns } from '../../src/similarity/text-counts.js';

/** Turns of the event loop that ran (setImmediate callbacks, chained) while `work` was pending. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  done = true;
  return turns;
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${(i * 7919).toString(36)}x`).join(' ');

describe('termCountsInTurns', () => {
  it('when a text is long, then it equals termCounts and lets the event loop turn between pieces', async () => {
    const body = words(40_000); // ~280,000 characters
    const expected = [...termCounts('Oil prices', body)].map(([term, { count }]) => [term, count]);
    let result: unknown;
    const turns = await turnsDuring(async () => {
      result = await termCountsInTurns('Oil prices', body);
    });
    expect(termCountPairs(result as never)).toEqual(expected);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(body.length / PIECE_CHARS) - 1);
  });

  it('when a text fits one piece, then it is counted in one go, the title weighted', async () => {
    const turns = await turnsDuring(() => termCountsInTurns('Cocoa', 'cocoa exports fell'));
    expect(turns).toBe(0);
    expect(await termCountsInTurns('Cocoa', 'cocoa exports fell')).toEqual({ terms: 'cocoa export fell', counts: [3, 1, 1] });
    expect(await termCountsInTurns('', '')).toEqual({ terms: '', counts: [] });
    expect(() => termCountPairs({ terms: 'a b', counts: [1] })).toThrow('2 terms for 1 counts');
  });
});
