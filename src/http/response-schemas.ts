import { z } from 'zod';
import { FACET_FIELDS } from '../engines/search-engine.js';

/**
 * What every route answers, as zod schemas: the OpenAPI document is generated from them (openapi.ts), and tests
 * parse real responses with them, so the document cannot drift from the API. Objects are strict: a field the
 * schema does not describe is drift too.
 */
const articleFields = {
  id: z.string(),
  title: z.string(),
  url: z.string().optional(),
  summary: z.string().optional(),
  publishedAt: z.string().optional(),
  updatedAt: z.string().optional(),
  source: z.string().optional(),
  category: z.string().optional(),
  tags: z.array(z.string()).optional(),
  author: z.string().optional(),
  language: z.string().optional(),
  people: z.array(z.string()).optional().describe('people the article mentions (canonical names), most salient first'),
  orgs: z.array(z.string()).optional().describe('organisations the article mentions, most salient first'),
  places: z.array(z.string()).optional().describe('places the article mentions, most salient first'),
  salience: z
    .record(z.string(), z.number())
    .optional()
    .describe(
      'per entity ("people:Qin Gang"): ln(1 + mentions) + 2 if in the headline + 0.5 if in the first 60 words − 0.3 × ln(1 + words / 500), at least 0.01',
    ),
  copyGroup: z
    .string()
    .optional()
    .describe('its copy group: syndicated copies and near-duplicates of one text share it (the id of the first one written); its own id when it has no copy'),
};

export const articleSchema = z.strictObject({ ...articleFields, body: z.string() }).meta({ id: 'Article' });

const significantList = z.array(
  z.strictObject({
    value: z.string().describe('a word (as first seen in the corpus) or a canonical entity name'),
    score: z.number().min(0).describe('JLH: (p − q) · p / q, p = count / sampled, q = background / corpus'),
    count: z.number().int().min(1).describe('sampled matches holding it'),
    background: z.number().int().min(1).describe('corpus articles holding it'),
  }),
);

export const searchResponseSchema = z
  .strictObject({
    query: z.string(),
    hits: z.array(
      z.strictObject({
        ...articleFields,
        highlight: z.strictObject({
          title: z.string().describe('the title, HTML-escaped, matches in <mark>'),
          snippet: z.string().describe('a cropped body snippet, HTML-escaped, matches in <mark>'),
        }),
        copies: z.number().int().min(1).optional().describe('with collapse: how many other articles of its copy group this hit stands for'),
        copyIds: z.array(z.string()).max(20).optional().describe('with collapse: the first 20 of those articles\' ids, in id order'),
      }),
    ),
    collapsed: z.boolean().describe('true: one hit per copy group, and totalHits, facets and histogram count copy groups; false: articles'),
    totalHits: z.number().int().min(0),
    page: z.number().int().min(1),
    perPage: z.number().int().min(1),
    totalPages: z.number().int().min(0),
    facets: z.partialRecord(z.enum(FACET_FIELDS), z.record(z.string(), z.number().int())),
    histogram: z
      .array(z.strictObject({ start: z.string().describe('first day of the period, YYYY-MM-DD (UTC)'), count: z.number().int().min(1) }))
      .optional()
      .describe('with histogram=…: every match per period holding any, oldest first; these counts plus undated add up to totalHits'),
    undated: z.number().int().min(0).optional().describe('with histogram=…: matches without publishedAt'),
    significant: z
      .strictObject({
        sampled: z.number().int().min(0).describe('best matches compared (at most 100)'),
        corpus: z.number().int().min(0).describe('articles they are compared with'),
        terms: significantList.optional(),
        people: significantList.optional(),
        orgs: significantList.optional(),
        places: significantList.optional(),
      })
      .optional()
      .describe('with significant=…: values unusually frequent in the sampled matches against the corpus, best first'),
    suggestion: z
      .string()
      .optional()
      .describe('present when a query word matched only through typos in the first hit: the query as the matched words spell it ("Showing results for")'),
    processingTimeMs: z.number().min(0).describe('time the search took in the service, in milliseconds to the microsecond'),
    resolvedFilters: z
      .partialRecord(
        z.enum(['person', 'org', 'place']),
        z.array(
          z.strictObject({
            value: z.string().describe('the value as given'),
            match: z
              .enum(['name', 'alias', 'unknown'])
              .describe('name: a full name (case and accents folded); alias: a surname or alias of one entity; unknown: no such entity'),
            names: z.array(z.string()).describe('the canonical names filtered on (unknown: the value as given)'),
            hint: z.string().optional().describe('with unknown: what to try instead'),
          }),
        ),
      )
      .optional()
      .describe('present when person, org or place filters are given: what each value was taken to mean'),
  })
  .meta({ id: 'SearchResponse' });

/** What a list of articles shows of each (related list, story thread). */
const listedArticle = {
  id: z.string(),
  title: z.string(),
  url: z.string().optional(),
  publishedAt: z.string().optional(),
  category: z.string().optional(),
  source: z.string().optional(),
};

const similarHit = z.strictObject({
  ...listedArticle,
  score: z.number().min(0).max(1).describe('the cosine, times the freshness decay when asked'),
  cosine: z.number().min(0).max(1),
  duplicate: z.boolean().describe('cosine ≥ 0.95: a copy of the same story'),
  terms: z.array(z.strictObject({ term: z.string(), weight: z.number() })).optional(),
});

export const similarResponseSchema = z
  .strictObject({ id: z.string(), title: z.string(), hits: z.array(similarHit) })
  .meta({ id: 'SimilarResponse' });

const storyArticle = z.strictObject({
  ...listedArticle,
  role: z.enum(['first', 'follow-up', 'copy']).describe('first report of the story, a later article on it, or a copy of an earlier one (an earlier article of the story has its copyGroup, the group search collapses; never without a copy group)'),
});

export const storyResponseSchema = z
  .strictObject({
    id: z.string().describe("the story's id: the id of its first article"),
    size: z.number().int().min(1).describe('articles in the story'),
    offset: z.number().int().min(0).describe('position of the first article listed, in time order'),
    complete: z.boolean().describe('false while the service is still building the stories after a start, or grouping articles just applied'),
    articles: z.array(storyArticle).describe('in time order (undated articles last), around the article asked'),
  })
  .meta({ id: 'Story' });

export const storyListSchema = z
  .strictObject({
    from: z.string().describe('first day of the period (UTC)'),
    to: z.string().describe('last day of the period (UTC)'),
    complete: z.boolean(),
    stories: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string().describe("the first article's title"),
        url: z.string().optional(),
        size: z.number().int().min(2),
        articlesInPeriod: z.number().int().min(1),
        firstPublishedAt: z.string().optional(),
        lastPublishedAt: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'StoryList' });

export const similarTextResponseSchema = z.strictObject({ hits: z.array(similarHit) }).meta({ id: 'SimilarTextResponse' });

export const healthSchema = z
  .strictObject({ status: z.literal('ok'), engine: z.string(), articles: z.number().int().min(0) })
  .meta({ id: 'Health' });

export const readySchema = z
  .strictObject({
    status: z.literal('ready'),
    outbox: z
      .strictObject({
        pending: z.number().int().min(0).describe('engine operations committed locally, not yet acknowledged by Meilisearch'),
        dead: z.number().int().min(0).describe('operations Meilisearch refused for good (dead letters)'),
        oldestPendingSeconds: z.number().min(0).describe('age of the oldest pending operation (s); 0 when none'),
      })
      .optional()
      .describe('Meilisearch mode only: how far the engine lags the local store (never a reason to be unready)'),
    mirror: z
      .strictObject({
        cursorMs: z.number().int().min(0).describe("the stamp (indexedAt) up to which Meilisearch's documents are read, ms since the epoch; 0 before any"),
        lagSeconds: z.number().min(0).nullable().describe("seconds since the mirror last reached the end of Meilisearch's changes; null before it first did"),
        documents: z.number().int().min(0).describe("documents mirrored into the replica's store"),
      })
      .optional()
      .describe("MEILI_MIRROR=on only: how far the replica's private store follows Meilisearch (never a reason to be unready)"),
  })
  .meta({ id: 'Ready' });

export const problemSchema = z
  .strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('stable, snake_case: what went wrong'),
    instance: z.string().optional(),
    errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    candidates: z
      .array(
        z.strictObject({
          filter: z.string().describe('the parameter the name was given in: person, org or place'),
          given: z.string().describe('the name as given'),
          name: z.string().describe('the canonical name of an entity it may stand for'),
          articles: z.number().int().min(0),
        }),
      )
      .optional()
      .describe('an entity name that stands for several entities: each of them, most articles first'),
  })
  .meta({ id: 'Problem' });

/** The counts and rejections of an article write: the whole of a 200 answer, and the extension members of a 422 problem. */
const ingestShape = {
  read: z.number().int(),
  indexed: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  rejections: z.array(
    z.strictObject({
      location: z.string().describe('body[i] for an array, body for one article'),
      issues: z.array(z.strictObject({ path: z.string(), message: z.string() })),
    }),
  ),
};

export const ingestResponseSchema = z.strictObject(ingestShape).meta({ id: 'IngestResponse' });

/** The 422 of `POST /api/articles` when every article was rejected: an `invalid_article` problem with the write's counts and rejections. */
export const articlesRejectedProblemSchema = problemSchema
  .extend({ code: z.literal('invalid_article'), ...ingestShape })
  .meta({ id: 'ArticlesRejectedProblem' });

const entityRef = z.strictObject({
  type: z.enum(['person', 'org', 'place']),
  name: z.string().describe('canonical name'),
  articles: z.number().int().min(1).describe('articles that mention it (for related entities: articles shared)'),
});

const newCompanion = z.strictObject({
  type: z.enum(['person', 'org', 'place']),
  name: z.string().describe('canonical name'),
  articles: z.number().int().min(1).describe('dated articles naming both (all of them, as related counts)'),
  firstSeen: z.string().describe('publication date of the first article naming both (ISO 8601)'),
});

export const entitiesResponseSchema = z.strictObject({ entities: z.array(entityRef) }).meta({ id: 'EntityList' });

export const suggestResponseSchema = z
  .strictObject({
    query: z.string(),
    suggestions: z.array(
      z.strictObject({
        text: z.string().describe('what to put in the search box'),
        type: z.enum(['person', 'org', 'place', 'phrase', 'title']).describe('an entity (by type), a phrase frequent in titles, or a title'),
        articles: z.number().int().min(1).describe('articles naming the entity, holding the phrase in their title, or bearing the title'),
      }),
    ),
  })
  .meta({ id: 'SuggestList' });

export const entityProfileSchema = z
  .strictObject({
    type: z.enum(['person', 'org', 'place']),
    name: z.string(),
    articles: z.number().int().min(1),
    firstSeen: z.string().optional().describe('publication date of the oldest article that mentions it'),
    lastSeen: z.string().optional(),
    timeline: z.array(z.strictObject({ month: z.string().describe('YYYY-MM, UTC'), articles: z.number().int().min(1) })),
    related: z.array(entityRef).describe('the entities most often mentioned in the same articles'),
    latest: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        publishedAt: z.string().optional(),
        source: z.string().optional(),
        url: z.string().optional(),
      }),
    ),
    bursts: z
      .array(
        z.strictObject({
          start: z.string().describe('first day (YYYY-MM-DD, UTC)'),
          end: z.string().describe('last day, inclusive (YYYY-MM-DD, UTC)'),
          peak: z.string().describe('the day (or the week starting that day) with the most articles naming it'),
          count: z.number().int().min(1).describe('articles naming it in the burst'),
          baseline: z.number().min(0).describe('articles its own rate expects in the burst: its share of the corpus × the corpus articles of those days'),
          weight: z.number().min(0).describe("Kleinberg's burst weight (nats): how much better the bursty rate (2 × its own) explains the burst"),
          newCompanions: z.array(newCompanion).describe('entities first named with it during the burst, most shared articles first (at most 5)'),
        }),
      )
      .describe("periods where its mentions rise well above its own rate (Kleinberg's two-state automaton, s = 2, γ = 1, over days; weeks past a 3-year span); the 20 heaviest, in time order"),
    newCompanions: z.array(newCompanion).describe('entities first named with it in its last 30 days (up to its newest dated article), most shared articles first (at most 10); none when it was first named in those days'),
  })
  .meta({ id: 'EntityProfile' });
