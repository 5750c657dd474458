import { setTimeout as sleep } from 'node:timers/promises';

interface Host {
  active: number;
  /** When the last request to this host started (ms, the gate's clock). */
  lastStart: number;
  readonly waiting: (() => void)[];
}

/**
 * Per-host politeness: at most `perHost` requests in flight to one host, and at least `delayMs` between the starts
 * of two of them; other hosts are not held up. Waiters are served in arrival order. A host's entry is dropped once
 * it is idle and its delay has passed, so that the gate does not grow with the hosts a long follow run has met.
 */
export class HostGate {
  private readonly hosts = new Map<string, Host>();

  constructor(
    private readonly perHost: number,
    private readonly delayMs: number,
    private readonly now: () => number,
  ) {}

  /** Runs `work` once its host has a free slot and its delay has passed. */
  async run<T>(host: string, work: () => Promise<T>): Promise<T> {
    let entry = this.hosts.get(host);
    if (entry === undefined) {
      if (this.hosts.size >= SWEEP_AT) this.sweep();
      entry = { active: 0, lastStart: -Infinity, waiting: [] };
      this.hosts.set(host, entry);
    }
    const held = entry;
    // a slot freed by a finishing request is handed over to the first waiter (active stays as it is)
    if (held.active >= this.perHost || held.waiting.length > 0) await new Promise<void>((resolve) => held.waiting.push(resolve));
    else held.active++;
    try {
      const wait = held.lastStart + this.delayMs - this.now();
      held.lastStart = Math.max(this.now(), held.lastStart + this.delayMs);
      if (wait > 0) await sleep(wait);
      return await work();
    } finally {
      const next = held.waiting.shift();
      if (next) next();
      else held.active--;
    }
  }

  /** Forgets hosts that are idle and whose delay has passed (they would wait for nothing). */
  private sweep(): void {
    const now = this.now();
    for (const [host, entry] of this.hosts) if (entry.active === 0 && entry.lastStart + this.delayMs <= now) this.hosts.delete(host);
  }
}

/** Hosts remembered before idle ones are forgotten. */
const SWEEP_AT = 256;
