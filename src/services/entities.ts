import type { EntityKind } from '../core/entities/gazetteer.js';
import { NotFoundError } from '../core/errors.js';
import type { EntityProfile, EntityReader, EntitySuggestion } from '../entities/entity-port.js';

/** Autocomplete over entity names: every word of `q` must start a word of the name; most articles first. */
export function suggestEntities(
  deps: { entities: EntityReader },
  q: string,
  kind: EntityKind | undefined,
  limit: number,
): Promise<EntitySuggestion[]> {
  return deps.entities.suggest(q, kind, limit);
}

/** An entity's profile; NotFoundError when no article mentions it. */
export function describeEntity(deps: { entities: EntityReader }, kind: EntityKind, name: string): EntityProfile {
  const profile = deps.entities.describe(kind, name, { related: 10, latest: 10 });
  if (!profile) throw new NotFoundError(`no article mentions ${kind === 'people' ? 'the person' : kind === 'orgs' ? 'the organisation' : 'the place'} "${name}"`);
  return profile;
}
