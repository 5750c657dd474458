import type { EntityKind } from '../core/entities/gazetteer.js';
import { AmbiguousNameError, NotFoundError } from '../core/errors.js';
import type { EntityProfile, EntityReader, EntitySuggestion } from '../entities/entity-port.js';
import { FILTER_OF } from './resolve-entity-filters.js';

/** Autocomplete over entity names: every word of `q` must start a word of the name; most articles first. */
export function suggestEntities(
  deps: { entities: EntityReader },
  q: string,
  kind: EntityKind | undefined,
  limit: number,
): Promise<EntitySuggestion[]> {
  return deps.entities.suggest(q, kind, limit);
}

/**
 * The canonical name `name` stands for among entities of `kind`, resolved as search filters are: case and accents
 * folded, a surname or alias of one entity stands for it; an unknown name is returned as given. Several candidates:
 * AmbiguousNameError listing them (under `path`).
 */
export async function canonicalName(deps: { entities: EntityReader }, kind: EntityKind, name: string, path = 'name'): Promise<string> {
  const answer = await deps.entities.resolve(kind, name);
  if (answer.match === 'ambiguous') {
    const filter = FILTER_OF[kind];
    const listed = answer.candidates.map((c) => c.name).join(', ');
    const message = `"${name}" may be any of ${listed}${answer.more > 0 ? ` and ${answer.more} more` : ''}: give the full name`;
    throw new AmbiguousNameError(message, [{ path, message }], answer.candidates.map((c) => ({ filter, given: name, name: c.name, articles: c.articles })));
  }
  return answer.match === 'unknown' ? name : answer.names[0]!;
}

const THE: Record<EntityKind, string> = { people: 'the person', orgs: 'the organisation', places: 'the place' };

/**
 * An entity's profile. `name` is resolved as search filters are (services/resolve-entity-filters.ts): case and
 * accents folded, a surname or alias stands for its one entity (the profile names the entity used); several
 * candidates: AmbiguousNameError listing them; none: NotFoundError.
 */
export async function describeEntity(deps: { entities: EntityReader }, kind: EntityKind, name: string): Promise<EntityProfile> {
  const used = await canonicalName(deps, kind, name);
  const profile = deps.entities.describe(kind, used, { related: 10, latest: 10 });
  if (!profile) {
    throw new NotFoundError(`no article mentions ${THE[kind]} "${name}"; names are listed by GET /api/entities?type=${FILTER_OF[kind]}&q=${encodeURIComponent(name)}`);
  }
  return profile;
}
