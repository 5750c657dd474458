import { Registry } from 'prom-client';
import { registerScrapedGauges } from '../../src/cluster/scraped-gauges.js';

describe('gauges read from a snapshot at scrape time', () => {
  it('when the snapshot changes, then each scrape shows its values; when it cannot be read, the error is reported and the last values stay', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    let depth: { pending: number } | Error = { pending: 3 };
    registerScrapedGauges(registry, () => {
      if (depth instanceof Error) throw depth;
      return depth;
    }, (e) => errors.push(e), [['test_pending', 'Pending things', (d) => d.pending]]);
    expect(await registry.metrics()).toMatch(/^test_pending 3$/m);
    depth = { pending: 5 };
    expect(await registry.metrics()).toMatch(/^test_pending 5$/m);
    depth = new Error('store locked');
    expect(await registry.metrics()).toMatch(/^test_pending 5$/m);
    expect(errors).toEqual([depth]);
  });
});
