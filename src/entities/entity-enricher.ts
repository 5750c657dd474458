import type { Article } from '../core/article.js';
import { extractEntities } from '../core/entities/extract-entities.js';
import type { ExtractedEntities } from '../core/entities/extract-entities.js';
import type { Gazetteer } from '../core/entities/gazetteer.js';
import type { NameEvidence, NameLookup } from '../core/entities/names.js';
import type { EntityStore } from './entity-store.js';

/** Where the enricher keeps corpus evidence and entity statistics (the EntityStore, or a test double). */
export type EntityStorePort = Pick<
  EntityStore,
  'addEvidence' | 'upsert' | 'delete' | 'clear' | 'fullName' | 'isKnownPerson' | 'isKnownOrg' | 'startsOrgName' | 'staleArticles' | 'held' | 'generation' | 'markRefreshed'
>;

/**
 * Adds people, organisations and places to articles at index time. A batch is read twice: once for the full names
 * it gives (recorded as corpus evidence first), then resolved against everything known, this batch included.
 */
export class EntityEnricher {
  private pending = new Map<string, readonly NameLookup[]>();

  constructor(
    private readonly gazetteer: Gazetteer,
    private readonly store: EntityStorePort,
  ) {}

  /**
   * The articles with their entities (fields `people`, `orgs`, `places`, `salience`; empty lists left out).
   * `record: false` (a dry run) resolves against the stored evidence only and writes nothing.
   */
  enrich(articles: readonly Article[], options: { record?: boolean } = {}): Article[] {
    const record = options.record !== false;
    const first = articles.map((a) => extractEntities(a, this.gazetteer, this.store));
    if (record) this.store.addEvidence(articles.map((a, i) => ({ id: a.id, evidence: first[i]!.evidence })));
    // a first reading that consulted no corpus evidence cannot change with the batch's own evidence
    const found = articles.map((a, i) => (first[i]!.lookups.length > 0 ? extractEntities(a, this.gazetteer, this.store) : first[i]!));
    // the evidence an article gives must be that of its final reading, or a stale name would outlive it
    const revised = articles.flatMap((a, i) =>
      sameEvidence(first[i]!.evidence, found[i]!.evidence) ? [] : [{ id: a.id, evidence: found[i]!.evidence }],
    );
    if (record && revised.length > 0) this.store.addEvidence(revised);
    return articles.map((a, i) => {
      this.pending.set(a.id, found[i]!.lookups);
      return withEntities(a, found[i]!);
    });
  }

  /** Stores the entity statistics of enriched articles, once the search engine holds them. */
  commit(articles: readonly Article[]): void {
    this.store.upsert(articles.map((article) => ({ article, lookups: this.pending.get(article.id) ?? [] })));
    for (const a of articles) this.pending.delete(a.id);
  }

  delete(ids: readonly string[]): void {
    this.store.delete(ids);
  }

  clear(): void {
    this.store.clear();
  }

  /**
   * When evidence changed since the last refresh (else nothing to do): the evidence generation, and the ids of the
   * articles whose extraction asked the corpus a question that would now get another answer. Re-enrich them, then
   * call {@link refreshed} with that generation.
   */
  toRefresh(): { generation: number; ids: string[] } | undefined {
    const { evidence, refreshed } = this.store.generation();
    return evidence > refreshed ? { generation: evidence, ids: this.store.staleArticles() } : undefined;
  }

  refreshed(generation: number): void {
    this.store.markRefreshed(generation);
  }

  held(articles: readonly Article[]): Set<string> {
    return this.store.held(articles);
  }
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
