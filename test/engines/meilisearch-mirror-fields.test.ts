import { IndexedAtClock, tombstoneIndex } from '../../src/engines/meilisearch/mirror-fields.js';

/** The stamps a deliverer gives documents and tombstones, which replicas follow (services/mirror-follower.ts). */
describe('IndexedAtClock', () => {
  it('when batches are taken in one millisecond or with the clock going back, then stamps still strictly increase', () => {
    let now = 1_000;
    const clock = new IndexedAtClock(() => now);
    expect(clock.take(3)).toBe(1_000_000); // 1_000_000, 1_000_001, 1_000_002
    expect(clock.take(2)).toBe(1_000_003); // same millisecond: after the last stamp
    now = 999; // a clock stepped back (NTP)
    expect(clock.take(1)).toBe(1_000_005);
    now = 2_000;
    expect(clock.take(500)).toBe(2_000_000);
    expect(clock.take(0)).toBe(2_000_500); // an empty batch still takes one stamp
  });

  it('when the clock is a real one, then stamps are microseconds since the epoch, within a millisecond of it', () => {
    const before = Date.now();
    const stamp = new IndexedAtClock().take(1);
    expect(Math.floor(stamp / 1000)).toBeGreaterThanOrEqual(before);
    expect(Math.floor(stamp / 1000)).toBeLessThanOrEqual(Date.now());
    expect(Number.isSafeInteger(stamp + 499)).toBe(true);
  });
});

describe('tombstoneIndex', () => {
  it('then it names the companion index beside the articles index', () => {
    expect(tombstoneIndex('articles')).toBe('articles-tombstones');
  });
});
