import { authCases } from './attack-auth-cases.js';
import { bodyCases } from './attack-body-cases.js';
import type { AttackCase } from './attack-http.js';
import type { CaseContext } from './attack-kit.js';
import { json, keyed, pct, read, request, seededRandom, shuffled } from './attack-kit.js';
import { pathCases } from './attack-path-cases.js';
import { searchCases } from './attack-search-cases.js';

/** The attack in the order it is sent: light cases (shuffled), then heavy ones (shuffled), and the four run together. */
export interface AttackPlan {
  readonly light: readonly AttackCase[];
  readonly heavy: readonly AttackCase[];
  /** Four of the heaviest requests, sent at once while /health is probed. */
  readonly heavyFour: readonly AttackCase[];
}

/** Characters Node writes into a request line as they are; anything else is a bug in a case builder. */
const REQUEST_TARGET = /^[\u0021-\u00ff]+$/;

/**
 * Four of the heaviest requests of issue 14: `{"text": "x" × 100000}` and a 50,000-digit number (POST
 * /api/similar), the CSV export of `"-a" × 256`, and the CSV export of every article (the heaviest legitimate one).
 */
export function heavyFour(ctx: CaseContext): AttackCase[] {
  const similar = (cls: string, text: string) =>
    request(cls, 'POST', '/api/similar', { headers: keyed(ctx.keys.search, true), body: json({ text }), heavy: true });
  return [
    similar('heavy4 similar x×100000', 'x'.repeat(100_000)),
    similar('heavy4 similar 50k digits', '7'.repeat(50_000)),
    read(ctx, 'heavy4 csv "-a"×256', `/api/search?q=${pct('-a'.repeat(256))}&format=csv`, true),
    read(ctx, 'heavy4 csv everything', '/api/search?q=&format=csv&sort=newest', true),
  ];
}

/**
 * Every hostile case, deterministic for a seed: `filterCombos` distinct filter shapes (the statement-cache probe)
 * plus about 1,400 others across every route. Throws when a case's path could not be sent as is.
 */
export function buildPlan(ctx: CaseContext, filterCombos: number): AttackPlan {
  const all = [...searchCases(ctx, filterCombos), ...pathCases(ctx), ...bodyCases(ctx), ...authCases(ctx)];
  const bad = all.find((c) => !REQUEST_TARGET.test(c.path));
  if (bad) throw new Error(`case ${bad.cls} has a path Node cannot send: ${bad.path.slice(0, 80)}`);
  const random = seededRandom(ctx.seed);
  return {
    light: shuffled(all.filter((c) => !c.heavy), random),
    heavy: shuffled(all.filter((c) => c.heavy), random),
    heavyFour: heavyFour(ctx),
  };
}
