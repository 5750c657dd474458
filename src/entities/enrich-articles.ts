import type { Article } from '../core/article.js';
import { extractEntities } from '../core/entities/extract-entities.js';
import type { ExtractedEntities } from '../core/entities/extract-entities.js';
import type { Gazetteer } from '../core/entities/gazetteer.js';
import type { NameEvidence, NameLookup, NameResolver } from '../core/entities/names.js';

/** Where enrichment reads corpus evidence and, unless a dry run, records the evidence a batch gives. */
export interface EvidenceSink extends NameResolver {
  addEvidence(records: readonly { id: string; evidence: readonly NameEvidence[] }[]): void;
}

/** A batch with its entities, and per article the corpus questions its extraction asked (kept until commit). */
export interface EnrichedBatch {
  readonly articles: Article[];
  readonly lookups: ReadonlyMap<string, readonly NameLookup[]>;
}

/**
 * Adds people, organisations and places to articles (fields `people`, `orgs`, `places`, `salience`; empty lists
 * left out). A batch is read twice: once for the full names it gives (recorded as corpus evidence first, unless
 * `record` is false: a dry run resolves against the stored evidence only and writes nothing), then resolved against
 * everything known, this batch included. Cost: at most two extractions per article.
 */
export function enrichArticles(articles: readonly Article[], gazetteer: Gazetteer, store: EvidenceSink, record: boolean): EnrichedBatch {
  const first = articles.map((a) => extractEntities(a, gazetteer, store));
  if (record) store.addEvidence(articles.map((a, i) => ({ id: a.id, evidence: first[i]!.evidence })));
  // a first reading that consulted no corpus evidence cannot change with the batch's own evidence
  const found = articles.map((a, i) => (first[i]!.lookups.length > 0 ? extractEntities(a, gazetteer, store) : first[i]!));
  // the evidence an article gives must be that of its final reading, or a stale name would outlive it
  const revised = articles.flatMap((a, i) =>
    sameEvidence(first[i]!.evidence, found[i]!.evidence) ? [] : [{ id: a.id, evidence: found[i]!.evidence }],
  );
  if (record && revised.length > 0) store.addEvidence(revised);
  return {
    articles: articles.map((a, i) => withEntities(a, found[i]!)),
    lookups: new Map(articles.map((a, i) => [a.id, found[i]!.lookups])),
  };
}

const sameEvidence = (a: readonly NameEvidence[], b: readonly NameEvidence[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The article with the extracted entity fields in place of any it had (empty lists left out). */
function withEntities(article: Article, found: ExtractedEntities): Article {
  const { people: _p, orgs: _o, places: _l, salience: _s, ...rest } = article;
  return {
    ...rest,
    ...(found.people.length > 0 ? { people: found.people } : {}),
    ...(found.orgs.length > 0 ? { orgs: found.orgs } : {}),
    ...(found.places.length > 0 ? { places: found.places } : {}),
    ...(Object.keys(found.salience).length > 0 ? { salience: found.salience } : {}),
  };
}
