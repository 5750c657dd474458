import type { EntityKind } from '../core/entities/gazetteer.js';
import { AmbiguousNameError } from '../core/errors.js';
import type { FieldIssue, NameCandidate } from '../core/errors.js';
import type { SearchFilters } from '../engines/search-engine.js';
import type { EntityReader, EntityResolution } from '../entities/entity-port.js';

/** The filter parameter of each entity kind, as the API names it. */
export const FILTER_OF: Record<EntityKind, 'person' | 'org' | 'place'> = { people: 'person', orgs: 'org', places: 'place' };
const KINDS = ['people', 'orgs', 'places'] as const satisfies readonly EntityKind[];
const WHAT: Record<EntityKind, string> = { people: 'person', orgs: 'organisation', places: 'place' };

/** What one value of an entity filter was taken to mean. */
export interface ResolvedFilter {
  /** The value as given. */
  readonly value: string;
  /** `name`, `alias`: the canonical names filtered on; `unknown`: no such entity, filtered on the value as given. */
  readonly match: 'name' | 'alias' | 'unknown';
  readonly names: readonly string[];
  /** With `unknown`: what to try instead. */
  readonly hint?: string;
}

/** Per filter parameter given (`person`, `org`, `place`), what each of its values was taken to mean. */
export type ResolvedFilters = Partial<Record<'person' | 'org' | 'place', readonly ResolvedFilter[]>>;

const hintFor = (kind: EntityKind, value: string): string =>
  `no ${WHAT[kind]} is named "${value}" in any article; names are listed by GET /api/entities?type=${FILTER_OF[kind]}&q=${encodeURIComponent(value)}`;

/**
 * Resolves the entity filters of a search before any engine is asked (so both engines filter alike): each value is
 * looked up case-, accent- and punctuation-insensitively, a surname or alias stands for its one entity, and the
 * engine filters on canonical names. Unknown values are kept as given (0 hits, as before) with a hint. An
 * ambiguous value fails the whole request with an {@link AmbiguousNameError} listing every candidate of every such
 * value. Without `entities` (a process with no entity statistics), filters go through unchanged.
 * Cost: one bounded lookup per value (entity-names-state.ts), at most 100 values per parameter.
 */
export async function resolveEntityFilters(
  entities: Pick<EntityReader, 'resolve'> | undefined,
  filters: SearchFilters,
): Promise<{ filters: SearchFilters; resolved: ResolvedFilters | undefined }> {
  if (!entities || KINDS.every((k) => filters[k] === undefined)) return { filters, resolved: undefined };
  const out: { -readonly [K in keyof SearchFilters]: SearchFilters[K] } = { ...filters };
  const resolved: { -readonly [K in keyof ResolvedFilters]: ResolvedFilters[K] } = {};
  const issues: FieldIssue[] = [];
  const candidates: NameCandidate[] = [];
  for (const kind of KINDS) {
    const values = filters[kind];
    if (values === undefined) continue;
    const answers = await Promise.all(values.map((v) => entities.resolve(kind, v)));
    const param = FILTER_OF[kind];
    const taken = answers.map((answer, i) => takeAnswer(kind, values[i]!, answer, { issues, candidates }));
    resolved[param] = taken;
    out[kind] = [...new Set(taken.flatMap((t) => t.names))];
  }
  if (issues.length > 0) throw new AmbiguousNameError(issues.map((i) => i.message).join('; '), issues, candidates);
  return { filters: out, resolved };
}

/** One value's answer as a {@link ResolvedFilter}; an ambiguous one adds an issue and its candidates instead. */
function takeAnswer(
  kind: EntityKind,
  value: string,
  answer: EntityResolution,
  into: { issues: FieldIssue[]; candidates: NameCandidate[] },
): ResolvedFilter {
  const filter = FILTER_OF[kind];
  if (answer.match === 'unknown') return { value, match: 'unknown', names: [value], hint: hintFor(kind, value) };
  if (answer.match !== 'ambiguous') return { value, match: answer.match, names: answer.names };
  const listed = answer.candidates.map((c) => `${c.name} (${c.articles})`).join(', ');
  const more = answer.more > 0 ? ` and ${answer.more} more` : '';
  into.issues.push({ path: filter, message: `"${value}" may be any of ${listed}${more}: give the full name` });
  into.candidates.push(...answer.candidates.map((c) => ({ filter, given: value, name: c.name, articles: c.articles })));
  return { value, match: 'unknown', names: [] };
}
