import { termCounts } from '../../src/core/similarity/analyzer.js';
import { PIECE_CHARS, termCountPairs, termCountsInTurns, TURN_MS } from '../../src/similarity/text-counts.js';

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
  it('when a text is long, then it equals termCounts and lets the event loop turn each time TURN_MS have gone by', async () => {
    const body = words(40_000); // ~280,000 characters
    const expected = [...termCounts('Oil prices', body)].map(([term, { count }]) => [term, count]);
    // a clock that moves TURN_MS / 2 at each reading (one reading a piece, one after each turn): a turn every 2 pieces
    let now = 0;
    const clock = () => (now += TURN_MS / 2);
    let result: unknown;
    const turns = await turnsDuring(async () => {
      result = await termCountsInTurns('Oil prices', body, clock);
    });
    expect(termCountPairs(result as never)).toEqual(expected);
    const pieces = Math.ceil(body.length / PIECE_CHARS);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(pieces / 3));
    // a clock that stands still: one go, however long the text
    const frozen = await turnsDuring(() => termCountsInTurns('Oil prices', body, () => 0));
    expect(frozen).toBe(0);
  });

  it('when a text fits one piece, then it is counted in one go, the title weighted', async () => {
    const turns = await turnsDuring(() => termCountsInTurns('Cocoa', 'cocoa exports fell'));
    expect(turns).toBe(0);
    expect(await termCountsInTurns('Cocoa', 'cocoa exports fell')).toEqual({ terms: 'cocoa export fell', counts: [3, 1, 1] });
    expect(await termCountsInTurns('', '')).toEqual({ terms: '', counts: [] });
    expect(() => termCountPairs({ terms: 'a b', counts: [1] })).toThrow('2 terms for 1 counts');
  });
});
