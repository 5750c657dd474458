/**
 * A background loop's wait between two steps that another call can cut short (a stop, news of work): `wait(ms)`
 * resolves after `ms` or at the next `wake()`, whichever comes first. `wake()` with no wait in progress does nothing.
 */
export class WakeablePause {
  private wakeUp: (() => void) | undefined;

  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}
