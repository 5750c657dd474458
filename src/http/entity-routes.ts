import { Router } from 'express';
import { z } from 'zod';
import type { EntityKind } from '../core/entities/gazetteer.js';
import type { NewCompanion } from '../entities/entity-bursts.js';
import type { EntityReader, EntitySuggestion } from '../entities/entity-port.js';
import { describeEntity, suggestEntities } from '../services/entities.js';
import { parseInput } from './validate.js';

/** Entity types as the API names them, and the article fields that hold them. */
export const ENTITY_TYPES = { person: 'people', org: 'orgs', place: 'places' } as const satisfies Record<string, EntityKind>;
export type EntityType = keyof typeof ENTITY_TYPES;
/** The API's name of each entity kind. */
export const TYPE_OF: Record<EntityKind, EntityType> = { people: 'person', orgs: 'org', places: 'place' };
const typeSchema = z.enum(['person', 'org', 'place'], { error: 'type must be person, org or place' });

export const entityQuerySchema = z.strictObject({
  q: z.string({ error: 'q must be given once' }).max(200, 'q must be at most 200 characters').default(''),
  type: typeSchema.optional(),
  limit: z
    .string({ error: 'limit must be given once' })
    .regex(/^\d+$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'limit must be at least 1').max(50, 'limit must be at most 50'))
    .default(10),
});

const companion = (c: NewCompanion) => ({ type: TYPE_OF[c.kind], name: c.name, articles: c.articles, firstSeen: c.firstSeen });
const present = (e: EntitySuggestion) => ({ type: TYPE_OF[e.kind], name: e.name, articles: e.articles });

/** `GET /api/entities` (autocomplete) and `GET /api/entities/:type/:name` (profile). */
export function entityRoutes(deps: { entities: EntityReader }): Router {
  const router = Router();
  router.get('/api/entities', async (req, res) => {
    const params = parseInput(entityQuerySchema, req.query, 'entity parameters');
    const kind = params.type === undefined ? undefined : ENTITY_TYPES[params.type];
    res.json({ entities: (await suggestEntities(deps, params.q, kind, params.limit)).map(present) });
  });
  router.get('/api/entities/:type/:name', async (req, res) => {
    const { type } = parseInput(z.strictObject({ type: typeSchema, name: z.string().min(1) }), req.params, 'entity path');
    const { kind, related, bursts, newCompanions, ...profile } = await describeEntity(deps, ENTITY_TYPES[type], req.params.name);
    res.json({
      type: TYPE_OF[kind],
      ...profile,
      related: related.map(present),
      bursts: bursts.map((b) => ({ ...b, newCompanions: b.newCompanions.map(companion) })),
      newCompanions: newCompanions.map(companion),
    });
  });
  return router;
}
