import type { Article } from '../core/article.js';
import { extractEntities } from '../core/entities/extract-entities.js';
import type { Gazetteer } from '../core/entities/gazetteer.js';
import type { EntityStore } from './entity-store.js';

/** Where the enricher keeps corpus evidence and entity statistics (the EntityStore, or a test double). */
export type EntityStorePort = Pick<
  EntityStore,
  'addEvidence' | 'upsert' | 'delete' | 'clear' | 'fullName' | 'isKnownPerson' | 'isKnownOrg' | 'articlesUsingCorpus' | 'held' | 'refreshPending' | 'setRefreshPending'
>;

/**
 * Adds people, organisations and places to articles at index time. A batch is read twice: once for the full names
 * it gives (recorded as corpus evidence first), then resolved against everything known, this batch included.
 */
export class EntityEnricher {
  private pending = new Map<string, boolean>();

  constructor(
    private readonly gazetteer: Gazetteer,
    private readonly store: EntityStorePort,
  ) {}

  /**
   * The articles with their entities (fields `people`, `orgs`, `places`, `salience`; empty lists left out).
   * `record: false` (a dry run) resolves against the stored evidence only and writes nothing.
   */
  enrich(articles: readonly Article[], options: { record?: boolean } = {}): Article[] {
    const first = articles.map((a) => extractEntities(a, this.gazetteer, this.store));
    if (options.record !== false) this.store.addEvidence(articles.map((a, i) => ({ id: a.id, evidence: first[i]!.evidence })));
    return articles.map((a, i) => {
      // a first reading that consulted no corpus evidence cannot change with the batch's own evidence
      const found = first[i]!.usedCorpus ? extractEntities(a, this.gazetteer, this.store) : first[i]!;
      this.pending.set(a.id, found.usedCorpus);
      const { people: _p, orgs: _o, places: _l, salience: _s, ...rest } = a;
      return {
        ...rest,
        ...(found.people.length > 0 ? { people: found.people } : {}),
        ...(found.orgs.length > 0 ? { orgs: found.orgs } : {}),
        ...(found.places.length > 0 ? { places: found.places } : {}),
        ...(Object.keys(found.salience).length > 0 ? { salience: found.salience } : {}),
      };
    });
  }

  /** Stores the entity statistics of enriched articles, once the search engine holds them. */
  commit(articles: readonly Article[]): void {
    this.store.upsert(articles.map((article) => ({ article, evidence: [], usesCorpus: this.pending.get(article.id) ?? false })));
    for (const a of articles) this.pending.delete(a.id);
  }

  delete(ids: readonly string[]): void {
    this.store.delete(ids);
  }

  clear(): void {
    this.store.clear();
  }

  /**
   * Ids whose extraction consulted corpus evidence, when evidence changed since the last refresh (else none):
   * re-enrich them after a run so that they see all of it, then call {@link refreshed}.
   */
  articlesUsingCorpus(): string[] {
    return this.store.refreshPending() ? this.store.articlesUsingCorpus() : [];
  }

  refreshed(): void {
    this.store.setRefreshPending(false);
  }

  held(articles: readonly Article[]): Set<string> {
    return this.store.held(articles);
  }
}
