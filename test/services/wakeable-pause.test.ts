import { WakeablePause } from '../../src/services/wakeable-pause.js';

describe('a wait that another call can cut short', () => {
  it('when nothing wakes it, then it resolves after its time', async () => {
    const started = Date.now();
    await new WakeablePause().wait(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('when woken, then it resolves at once, and a later wake with no wait in progress does nothing', async () => {
    const pause = new WakeablePause();
    const started = Date.now();
    const waiting = pause.wait(60_000);
    pause.wake();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
    pause.wake();
    const next = pause.wait(20);
    await next;
  });
});
