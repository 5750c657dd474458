import type { ArticleFields, EntityType } from './types.js';

/** One entity kind: its article field, its search filter parameter, its facet and its labels. */
export interface EntityKind {
  readonly type: EntityType;
  readonly field: 'people' | 'orgs' | 'places';
  readonly filter: 'person' | 'org' | 'place';
  readonly plural: string;
  readonly singular: string;
}

/** The entity kinds in display order. */
export const ENTITY_KINDS: readonly EntityKind[] = [
  { type: 'person', field: 'people', filter: 'person', plural: 'People', singular: 'Person' },
  { type: 'org', field: 'orgs', filter: 'org', plural: 'Organisations', singular: 'Organisation' },
  { type: 'place', field: 'places', filter: 'place', plural: 'Places', singular: 'Place' },
];

/** The kind of a type name, or undefined for anything else. */
export function entityKind(type: string): EntityKind | undefined {
  return ENTITY_KINDS.find((k) => k.type === type);
}

/** The entity page of a name: `/entity/person/Qin%20Gang`. */
export function entityPath(type: EntityType, name: string): string {
  return `/entity/${type}/${encodeURIComponent(name)}`;
}

/** The article page of an id. */
export function articlePath(id: string): string {
  return `/article/${encodeURIComponent(id)}`;
}

/** The entities an article names, by kind (kinds it has none of are left out). */
export function entitiesOf(article: ArticleFields): { kind: EntityKind; names: readonly string[] }[] {
  return ENTITY_KINDS.map((kind) => ({ kind, names: article[kind.field] ?? [] })).filter((e) => e.names.length > 0);
}
