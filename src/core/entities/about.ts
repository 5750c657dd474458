/**
 * An article is *about* an entity when the entity's salience there (see extract-entities.ts) is at least this:
 * named in the headline, or mentioned three times or more with a mention in the lead. Engines that cannot order
 * by salience (Meilisearch) rank the articles about an entity first, then the others. On the Reuters person labels,
 * that order (newest first within each part) gives precision@10 0.879 and recall@50 0.976 at this threshold, the
 * best of 1.0–2.5 (full salience order, as the embedded engine does: 0.902 and 0.984).
 */
export const ABOUT_SALIENCE = 1.6;

/** The `kind:name` keys of the entities an article is about, sorted. */
export function aboutKeys(salience: Readonly<Record<string, number>> | undefined): string[] {
  return Object.entries(salience ?? {})
    .filter(([, s]) => s >= ABOUT_SALIENCE)
    .map(([key]) => key)
    .sort();
}
