import { namedText } from '../core/entities/named-text.js';
import type { EntityRef, SearchEngine, WholeSearch } from '../engines/search-engine.js';
import type { EntityReader } from '../entities/entity-port.js';
import { resolveEntityFilters } from './resolve-entity-filters.js';
import type { ResolvedFilters } from './resolve-entity-filters.js';

/** What preparing a search reads: whether the engine finds named entities itself, and the entity statistics. */
export interface PrepareDeps {
  readonly engine: Pick<SearchEngine, 'findsNamedEntities'>;
  /** Absent in a process without entity statistics: then the request goes to the engine as asked. */
  readonly entities?: Pick<EntityReader, 'named' | 'resolve'> | undefined;
}

/** A request ready for the engine, and what its entity filters were taken to mean (when it had any). */
export interface PreparedSearch<R extends WholeSearch> {
  readonly request: R;
  readonly resolved?: ResolvedFilters;
}

/** The entities a query names (see core/entities/named-text.ts). */
export async function namedEntities(entities: Pick<EntityReader, 'named'>, q: string): Promise<EntityRef[]> {
  const text = namedText(q);
  if (text === undefined) return [];
  return (await entities.named(text)).map((e): EntityRef => ({ kind: e.kind, name: e.name }));
}

/**
 * Turns a search as asked into the request the engine gets, the one preparation of both the paged search
 * (services/search-articles.ts) and the export (services/export-search.ts), so that an export's rows stay the
 * pages laid end to end: entity filters are resolved (a surname or alias stands for its entity; an ambiguous one
 * fails with AmbiguousNameError, see resolve-entity-filters.ts), and the entities the query names are asked to
 * rank first (SearchRequest.about): found by the engine itself in the same call when it can
 * (`aboutNamed`, SearchEngine.findsNamedEntities), else looked up here and passed as `about` (none found: no
 * `about`). Without `deps.entities` the request is returned as it is.
 */
export async function prepareSearch<R extends WholeSearch>(deps: PrepareDeps, request: R): Promise<PreparedSearch<R>> {
  const entities = deps.entities;
  if (!entities) return { request };
  const { filters, resolved } = await resolveEntityFilters(entities, request.filters);
  let asked: R = resolved ? { ...request, filters } : request;
  if (deps.engine.findsNamedEntities()) asked = { ...asked, aboutNamed: true };
  else {
    const about = await namedEntities(entities, request.q);
    if (about.length > 0) asked = { ...asked, about };
  }
  return resolved ? { request: asked, resolved } : { request: asked };
}
