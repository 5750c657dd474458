import { z } from 'zod';
import { beaconEventSchema, MAX_BEACON_EVENTS } from '../analytics/events.js';
import { articleInputSchema } from '../core/article.js';
import { beaconResponseSchema, queryReportSchema, relatedReportSchema, reportQuerySchema } from './analytics-routes.js';
import {
  articleSchema,
  articlesRejectedProblemSchema,
  ingestResponseSchema,
  healthSchema,
  problemSchema,
  readySchema,
  searchResponseSchema,
  similarResponseSchema,
  similarTextResponseSchema,
  storyListSchema,
  storyResponseSchema,
  entitiesResponseSchema,
  suggestResponseSchema,
  entityProfileSchema,
} from './response-schemas.js';
import { entityQuerySchema } from './entity-routes.js';
import { suggestQuerySchema } from './suggest-routes.js';
import { storiesQuerySchema, storyQuerySchema } from './story-routes.js';
import { listSchema as savedSearchListQuerySchema, savedSearchListSchema, savedSearchResponseSchema, savedSearchSchema } from './saved-search-routes.js';
import { searchQuerySchema } from './search-query.js';
import { similarBodySchema, similarQuerySchema } from './similar-query.js';

type Json = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ 'application/json': { schema: ref(id) } });
const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { description: 'RFC 9457 problem', content: { 'application/problem+json': { schema: ref('Problem') } } }]),
  );

/** Every key of a (possibly refined) object schema as an OpenAPI query parameter. */
function queryParameters(schema: z.ZodObject): Json[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: jsonSchema(field as z.ZodType, 'input'),
  }));
}

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' } };

/**
 * Who may call an /api read (any /api operation that names no security of its own; writes name the admin key):
 * anyone when SEARCH_API_KEY is unset (`{}`), else a key, as a bearer token or in X-Api-Key (read-access.ts).
 */
const READ_SECURITY = [{}, { apiKey: [] }, { apiKeyHeader: [] }];

/** `paths` with {@link READ_SECURITY} and its 401 and 403 problems on every /api read. */
function withReadSecurity(paths: Record<string, Record<string, Json>>): Record<string, Record<string, Json>> {
  const secured = (op: Json): Json => {
    if (op['security'] !== undefined) return op;
    const responses = Object.entries({ ...problems(401, 403), ...(op['responses'] as Json) }).sort(([a], [b]) => a.localeCompare(b));
    return { ...op, security: READ_SECURITY, responses: Object.fromEntries(responses) };
  };
  return Object.fromEntries(
    Object.entries(paths).map(([path, ops]) => [
      path,
      path.startsWith('/api/') ? Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, secured(op)])) : ops,
    ]),
  );
}

/** `/api/saved-searches…` (alerts; embedded engine only): CRUD with the admin key, and the Atom feed, read like a search. */
function savedSearchPaths(): Record<string, Record<string, Json>> {
  const admin = [{ apiKey: [] }, { apiKeyHeader: [] }];
  const savedId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  return {
    '/api/saved-searches': {
      post: {
        summary:
          'Save a search (query as /api/search takes its parameters: q, match, category, source, tag, person, org, place, from, to) with an ' +
          'optional webhook; every article committed later that matches it is delivered (POST, X-Newsfind-Signature: sha256=HMAC) and ' +
          'listed in its Atom feed; needs ADMIN_API_KEY',
        security: admin,
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(savedSearchSchema, 'input') } } },
        responses: { '201': { description: 'saved (Location: its URL)', content: json('SavedSearch') }, ...problems(400, 401, 403, 413, 415, 429) },
      },
      get: {
        summary: 'Saved searches in id order, a page at a time; needs ADMIN_API_KEY',
        security: admin,
        parameters: queryParameters(savedSearchListQuerySchema),
        responses: { '200': { description: 'a page', content: json('SavedSearchList') }, ...problems(400, 401, 403, 429) },
      },
    },
    '/api/saved-searches/{id}': {
      get: {
        summary: 'One saved search (never its webhook secret); needs ADMIN_API_KEY',
        security: admin,
        parameters: [savedId],
        responses: { '200': { description: 'the saved search', content: json('SavedSearch') }, ...problems(401, 403, 404, 429) },
      },
      delete: {
        summary: 'Remove a saved search with its matches and its queued deliveries; needs ADMIN_API_KEY',
        security: admin,
        parameters: [savedId],
        responses: { '204': { description: 'removed' }, ...problems(401, 403, 404, 429) },
      },
    },
    '/api/saved-searches/{id}/feed': {
      get: {
        summary: "The saved search's newest 50 matches as an Atom 1.0 feed (RFC 4287), newest first",
        parameters: [savedId],
        responses: { '200': { description: 'the feed', content: { 'application/atom+xml': {} } }, ...problems(404, 429) },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas that validate requests and describe
 * responses.
 */
export function openApiDocument(): Json {
  const schemas = Object.fromEntries(
    [articleSchema, ingestResponseSchema, articlesRejectedProblemSchema, searchResponseSchema, entitiesResponseSchema, suggestResponseSchema, entityProfileSchema, similarResponseSchema, similarTextResponseSchema, storyResponseSchema, storyListSchema, healthSchema, readySchema, problemSchema, queryReportSchema, relatedReportSchema, beaconResponseSchema, beaconEventSchema, savedSearchResponseSchema, savedSearchListSchema].map(
      (s) => [String((s.meta() as { id: string }).id), jsonSchema(s, 'output')],
    ),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'newsfind',
      version: '0.1.0',
      description: 'Keyword search and "more like this" (TF-IDF cosine) for news articles. Errors are RFC 9457 problems.',
    },
    paths: withReadSecurity({
      '/api/search': {
        get: {
          summary: 'Typo-tolerant keyword search with filters, facets and highlights',
          parameters: queryParameters(searchQuerySchema),
          responses: {
            '200': {
              description: 'a page of results; with format=csv or jsonl, every result (not paged) as a download (not with the public key)',
              content: { ...json('SearchResponse'), 'text/csv': {}, 'application/x-ndjson': {} },
            },
            ...problems(400, 401, 403, 429, 503),
          },
        },
      },
      '/api/entities': {
        get: {
          summary: 'Autocomplete over people, organisations and places, most mentioned first',
          parameters: queryParameters(entityQuerySchema),
          responses: { '200': { description: 'matching entities', content: json('EntityList') }, ...problems(400, 401, 403, 429) },
        },
      },
      '/api/suggest': {
        get: {
          summary: 'Completions for the search box: entity names, phrases frequent in titles and titles; those starting with q first, then the most articles',
          parameters: queryParameters(suggestQuerySchema),
          responses: { '200': { description: 'completions, best first', content: json('SuggestList') }, ...problems(400, 401, 403, 429, 503) },
        },
      },
      '/api/entities/{type}/{name}': {
        get: {
          summary: 'An entity: article count, first and last seen, monthly timeline, co-mentioned entities, latest articles, bursts (Kleinberg) and the entities first named with it',
          parameters: [
            { name: 'type', in: 'path', required: true, schema: { type: 'string', enum: ['person', 'org', 'place'] } },
            {
              name: 'name',
              in: 'path',
              required: true,
              schema: { type: 'string' },
              description: 'the name, URL-encoded; case and accents are folded, and a surname or alias of one entity stands for it (several: 400 with candidates)',
            },
          ],
          responses: { '200': { description: 'the profile', content: json('EntityProfile') }, ...problems(400, 401, 403, 404, 429) },
        },
      },
      '/api/articles': {
        post: {
          summary: 'Add or replace articles (one, or an array of up to 1,000); needs ADMIN_API_KEY',
          security: [{ apiKey: [] }, { apiKeyHeader: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [jsonSchema(articleInputSchema, 'input'), { type: 'array', items: jsonSchema(articleInputSchema, 'input'), maxItems: 1000 }] },
              },
            },
          },
          responses: {
            '200': { description: 'what was indexed; bad articles are listed and the others still indexed', content: json('IngestResponse') },
            '422': {
              description: 'every article was rejected: an invalid_article problem with the counts and rejections a 200 answer has',
              content: { 'application/problem+json': { schema: ref('ArticlesRejectedProblem') } },
            },
            ...problems(400, 401, 403, 413, 415, 429, 503),
          },
        },
      },
      '/api/articles/{id}': {
        get: {
          summary: 'One article',
          parameters: [idParameter],
          responses: { '200': { description: 'the article', content: json('Article') }, ...problems(400, 404, 429, 503) },
        },
        delete: {
          summary: 'Remove an article from search and similarity; needs ADMIN_API_KEY',
          security: [{ apiKey: [] }, { apiKeyHeader: [] }],
          parameters: [idParameter],
          responses: { '204': { description: 'removed' }, ...problems(400, 401, 403, 404, 429, 503) },
        },
      },
      '/api/articles/{id}/similar': {
        get: {
          summary: 'Related articles by TF-IDF cosine similarity (ETag; Cache-Control public, or private when reads need a key)',
          parameters: [idParameter, ...queryParameters(similarQuerySchema)],
          responses: {
            '200': { description: 'related articles', content: json('SimilarResponse') },
            '304': { description: 'unchanged since the ETag given in If-None-Match' },
            ...problems(400, 404, 429, 503),
          },
        },
      },
      '/api/articles/{id}/story': {
        get: {
          summary: "The article's story in time order, each article marked first report, follow-up or copy (ETag, cached like similar)",
          parameters: [idParameter, ...queryParameters(storyQuerySchema)],
          responses: {
            '200': { description: 'the story', content: json('Story') },
            '304': { description: 'unchanged since the ETag given in If-None-Match' },
            ...problems(400, 404, 429, 503),
          },
        },
      },
      '/api/stories': {
        get: {
          summary: 'The stories with the most articles published in a period (at most 92 days; default the 7 days up to the newest article)',
          parameters: queryParameters(storiesQuerySchema),
          responses: {
            '200': { description: 'stories of 2+ articles, most articles in the period first', content: json('StoryList') },
            '304': { description: 'unchanged since the ETag given in If-None-Match' },
            ...problems(400, 429, 503),
          },
        },
      },
      '/api/similar': {
        post: {
          summary: 'Related articles for a text that is not indexed (not with the public key)',
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(similarBodySchema, 'input') } } },
          responses: { '200': { description: 'related articles', content: json('SimilarTextResponse') }, ...problems(400, 413, 415, 429, 503) },
        },
      },
      '/api/events': {
        post: {
          summary: 'Analytics beacon of the pages and the widget: clicks and impressions (no key; its own per-client limit; nothing about the reader is kept)',
          security: [{}],
          requestBody: {
            required: true,
            description: 'one event or an array of them, as JSON; Content-Type text/plain (navigator.sendBeacon with a string) or application/json',
            content: Object.fromEntries(
              ['text/plain', 'application/json'].map((type) => [
                type,
                { schema: { oneOf: [ref('AnalyticsEvent'), { type: 'array', items: ref('AnalyticsEvent'), minItems: 1, maxItems: MAX_BEACON_EVENTS }] } },
              ]),
            ),
          },
          responses: {
            '202': { description: 'the valid events are recorded (none with ANALYTICS=off); each invalid one is listed', content: json('BeaconResponse') },
            ...problems(400, 413, 415, 429),
          },
        },
      },
      '/api/analytics/queries': {
        get: {
          summary: 'Top queries, queries that found nothing, queries whose results nobody clicked, and searches per day; needs ADMIN_API_KEY',
          security: [{ apiKey: [] }, { apiKeyHeader: [] }],
          parameters: queryParameters(reportQuerySchema),
          responses: { '200': { description: 'the report', content: json('AnalyticsQueryReport') }, ...problems(400, 401, 403, 429, 503) },
        },
      },
      '/api/analytics/related': {
        get: {
          summary: 'Related-articles widget: impressions, clicks and click-through by position, by article and per day; needs ADMIN_API_KEY',
          security: [{ apiKey: [] }, { apiKeyHeader: [] }],
          parameters: queryParameters(reportQuerySchema),
          responses: { '200': { description: 'the report', content: json('AnalyticsRelatedReport') }, ...problems(400, 401, 403, 429, 503) },
        },
      },
      ...savedSearchPaths(),
      '/health': { get: { summary: 'The process answers', responses: { '200': { description: 'up', content: json('Health') } } } },
      '/ready': {
        get: {
          summary: 'The engine and the similarity index answer',
          responses: { '200': { description: 'ready', content: json('Ready') }, ...problems(503) },
        },
      },
      '/metrics': {
        get: {
          summary: "Prometheus metrics: the whole service's (every worker's) figures",
          responses: { '200': { description: 'text exposition format', content: { 'text/plain': {} } }, ...problems(503) },
        },
      },
    }),
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'ADMIN_API_KEY for writes. Reads, when SEARCH_API_KEY is set: SEARCH_API_KEY (every read), or PUBLIC_API_KEY, the key the ' +
            'pages and the widget send (GET reads in JSON only: no exports, no POST /api/similar; its own per-client rate limit)',
        },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'the same keys in a header (the pages and the widget send this)' },
      },
    },
  };
}
