/**
 * An article is *about* an entity when the entity's salience there (see extract-entities.ts) is at least this:
 * named in the headline, or mentioned three times or more with a mention in the lead. Engines that cannot order
 * by salience (Meilisearch) rank the articles about an entity first, then the others. On the Reuters person labels,
 * that order (newest first within each part) scored best at this threshold of 1.0–2.5, a little below the full
 * salience order of the embedded engine (bench:entities; figures: docs/BENCHMARKS.md).
 */
export const ABOUT_SALIENCE = 1.6;

/** The `kind:name` keys of the entities an article is about, sorted. */
export function aboutKeys(salience: Readonly<Record<string, number>> | undefined): string[] {
  return Object.entries(salience ?? {})
    .filter(([, s]) => s >= ABOUT_SALIENCE)
    .map(([key]) => key)
    .sort();
}
