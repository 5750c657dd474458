import type { Request, RequestHandler } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { atomFeed } from '../alerts/atom-feed.js';
import { inProcessSavedSearchWriter } from '../alerts/saved-searches.js';
import type { SavedSearches, SavedSearchQuery, SavedSearchWriter } from '../alerts/saved-searches.js';
import { AppError, ValidationError } from '../core/errors.js';
import { parseQuery } from '../core/query-parser.js';
import { requireApiKey } from './api-key.js';
import { collectionWrite } from './collection-write.js';
import { jsonBody } from './json-body.js';
import { searchQuerySchema, toSearchRequest } from './search-query.js';
import { requestDeadline } from './request-context.js';
import { parseInput } from './validate.js';
import type { EntityReader } from '../entities/entity-port.js';
import { canonicalName } from '../services/entities.js';
import { ENTITY_TYPES } from './entity-routes.js';

/** The `/api/search` parameters a saved search's query may hold (paging, order, facets and format do not apply). */
export const SAVED_QUERY_PARAMS = ['q', 'match', 'category', 'source', 'tag', 'person', 'org', 'place', 'from', 'to'] as const;
/** Largest body of `POST /api/saved-searches`, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** The body of `POST /api/saved-searches`: a name, a `query` or an `entityBursts` (one of the two), a webhook. */
export const savedSearchSchema = z.strictObject({
  name: z.string({ error: 'name must be a string' }).trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
  query: z
    .record(z.string(), z.union([z.string(), z.array(z.string())], { error: 'each query parameter is a string or an array of strings' }), {
      error: 'query must be an object of /api/search parameters',
    })
    .superRefine((query, ctx) => {
      for (const key of Object.keys(query)) {
        if ((SAVED_QUERY_PARAMS as readonly string[]).includes(key)) continue;
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is not a saved-search query parameter (allowed: ${SAVED_QUERY_PARAMS.join(', ')})` });
      }
    })
    .optional()
    .describe('the /api/search parameters to match new articles against (or entityBursts)'),
  entityBursts: z
    .strictObject(
      {
        type: z.enum(['person', 'org', 'place'], { error: 'entityBursts.type must be person, org or place' }),
        name: z.string({ error: 'entityBursts.name must be a string' }).trim().min(1, 'entityBursts.name must not be empty').max(200, 'entityBursts.name must be at most 200 characters'),
      },
      { error: 'entityBursts must be an object with type and name' },
    )
    .optional()
    .describe("the entity whose bursts to be told of (or query): its name is resolved as the entity page's is"),
  webhook: z
    .strictObject({
      url: z.url({ protocol: /^https?$/, error: 'webhook.url must be an http or https URL' }),
      secret: z.string({ error: 'webhook.secret must be a string' }).min(16, 'webhook.secret must be at least 16 characters').max(256),
    })
    .optional(),
}).refine((body) => (body.query === undefined) !== (body.entityBursts === undefined), {
  message: 'give either query or entityBursts',
  path: ['query'],
});

/** A saved search as answered (never its webhook secret). */
export const savedSearchResponseSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional().describe("a query's saved search: its /api/search parameters"),
    entityBursts: z
      .strictObject({ type: z.enum(['person', 'org', 'place']), name: z.string().describe('canonical name') })
      .optional()
      .describe("a saved search following an entity's bursts: the entity"),
    webhook: z.strictObject({ url: z.string() }).optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'SavedSearch' });

/** A page of saved searches; `next` (the last id) is present when more may follow (pass it as `after`). */
export const savedSearchListSchema = z
  .strictObject({ savedSearches: z.array(savedSearchResponseSchema), next: z.string().optional() })
  .meta({ id: 'SavedSearchList' });

/** `GET /api/saved-searches` parameters. */
export const listSchema = z.strictObject({
  limit: z
    .string({ error: 'limit must be given once' })
    .regex(/^\d+$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'limit must be at least 1').max(1_000, 'limit must be at most 1000'))
    .default(100),
  after: z.string({ error: 'after must be given once' }).max(100).optional(),
});

/**
 * Whether a request is a saved-search write (POST /api/saved-searches, DELETE /api/saved-searches/:id): it may queue,
 * see HttpOptions.writeTimeoutMs. Matched as the router matches these routes (Express: any letter case, one
 * trailing slash).
 */
export const isSavedSearchWrite: (req: Request) => boolean = collectionWrite('/api/saved-searches');

/** Saved-search CRUD needs ADMIN_API_KEY; with none configured, it is refused (403). */
function adminOnly(key: string | undefined): RequestHandler {
  if (key) return requireApiKey(key, 'saved searches');
  return (_req, _res, next) => next(new AppError('forbidden', 'saved searches are disabled: the service has no ADMIN_API_KEY'));
}

/** Re-reads a validation error of the query with its fields under `query.` (as the client sent them). */
function underQuery<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`the saved search's query is not valid: ${error.message}`, error.issues.map((i) => ({ ...i, path: `query.${i.path}` })));
  }
}

/**
 * `POST /api/saved-searches` (201 with its id; a query, or an entity whose bursts it follows, its name resolved by
 * `entities` when given: an ambiguous one is refused with its candidates), `GET /api/saved-searches` (paged by id: `limit`, `after`),
 * `GET` and `DELETE /api/saved-searches/:id`; all need the admin key. The query is validated exactly as
 * `/api/search` validates its parameters. Mounted before the read-access rules (the admin key opens them). Reads
 * are made on `store`; writes by `options.writer` (the API's write thread in a serving process: a write that waits
 * for an indexer's lock holds no other request), default on `store` in this thread, each bounded by its request's
 * deadline (a save answered 503 is not made: see WriteBound).
 */
export function savedSearchAdminRoutes(
  store: SavedSearches,
  options: { adminKey: string | undefined; entities?: EntityReader | undefined; writer?: SavedSearchWriter | undefined },
): Router {
  const router = Router();
  const guard = adminOnly(options.adminKey);
  const writer = options.writer ?? inProcessSavedSearchWriter(store);
  router.post('/api/saved-searches', guard, jsonBody(MAX_BODY_BYTES), async (req, res) => {
    const body = parseInput(savedSearchSchema, req.body, 'saved search');
    const webhook = body.webhook ? { webhook: body.webhook } : {};
    if (body.entityBursts) {
      const { type } = body.entityBursts;
      const kind = ENTITY_TYPES[type];
      const name = options.entities ? await canonicalName({ entities: options.entities }, kind, body.entityBursts.name, 'entityBursts.name') : body.entityBursts.name;
      const saved = await writer.create({ name: body.name, entityBursts: { type, kind, name }, ...webhook }, { deadline: requestDeadline(res) });
      res.status(201).location(`/api/saved-searches/${encodeURIComponent(saved.id)}`).json(saved);
      return;
    }
    const params = underQuery(() => parseInput(searchQuerySchema, body.query, 'query parameters'));
    underQuery(() => parseQuery(params.q));
    const { q, filters } = toSearchRequest(params, Date.now()); // only its words and filters are kept
    const saved = await writer.create({ name: body.name, query: body.query as SavedSearchQuery, search: { q, filters }, ...webhook }, { deadline: requestDeadline(res) });
    res.status(201).location(`/api/saved-searches/${encodeURIComponent(saved.id)}`).json(saved);
  });
  router.get('/api/saved-searches', guard, (req, res) => {
    const { limit, after } = parseInput(listSchema, req.query, 'list parameters');
    const page = store.list(limit, after);
    const last = page.at(-1);
    res.json({ savedSearches: page, ...(page.length === limit && last ? { next: last.id } : {}) });
  });
  router.get('/api/saved-searches/:id', guard, (req, res) => {
    res.json(store.get(String(req.params['id'])));
  });
  router.delete('/api/saved-searches/:id', guard, async (req, res) => {
    await writer.delete(String(req.params['id']), { deadline: requestDeadline(res) });
    res.status(204).end();
  });
  return router;
}

/**
 * `GET /api/saved-searches/:id/feed`: the saved search's newest matches as an Atom feed, for feed readers. Read
 * like a search (the read-access rules apply); the id is the capability: it reveals the search's name and the
 * titles of the articles it matched, never its query nor its webhook.
 */
export function savedSearchFeedRoutes(store: SavedSearches): Router {
  const router = Router();
  router.get('/api/saved-searches/:id/feed', (req, res) => {
    const search = store.get(String(req.params['id']));
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.type('application/atom+xml; charset=utf-8').send(atomFeed(search, store.feedEntries(search.id), { origin }));
  });
  return router;
}
