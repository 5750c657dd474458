import { EngineUnavailableError } from '../core/errors.js';
import { significantValues } from '../core/trends/significance.js';
import type { SignificantValue } from '../core/trends/significance.js';
import type { HitArticle, SearchEngine, SearchRequest, SearchResult } from '../engines/search-engine.js';
import type { EntityReader } from '../entities/entity-port.js';
import type { SimilarityReader } from '../similarity/similarity-port.js';

/** What `significant=` may ask: the words of the articles (their TF-IDF term vectors) or their entities. */
export const SIGNIFICANT_KINDS = ['terms', 'people', 'orgs', 'places'] as const;
export type SignificantKind = (typeof SIGNIFICANT_KINDS)[number];

/**
 * How many matches are sampled, the best-ranked first (Elasticsearch's `sampler` aggregation, whose default
 * `shard_size` is also 100): the work of a request grows with this number, never with the corpus or the matches.
 */
export const SIGNIFICANT_SAMPLE = 100;

/** Most values returned per kind. */
export const SIGNIFICANT_LIMIT = 10;

/**
 * What stands out in the matches: `sampled` best matches compared with the `corpus` articles; each kind asked
 * lists its most significant values (JLH, core/trends/significance.ts), best first.
 */
export interface SignificantSets {
  readonly sampled: number;
  readonly corpus: number;
  readonly terms?: readonly SignificantValue[];
  readonly people?: readonly SignificantValue[];
  readonly orgs?: readonly SignificantValue[];
  readonly places?: readonly SignificantValue[];
}

/** The sample for a search: its own hits when its page is the first and holds enough, else one more search. */
export async function sampleOf(engine: SearchEngine, request: SearchRequest, result: SearchResult): Promise<readonly HitArticle[]> {
  if (request.page === 1 && (request.perPage >= SIGNIFICANT_SAMPLE || result.totalHits <= request.perPage)) {
    return result.hits.slice(0, SIGNIFICANT_SAMPLE).map((h) => h.article);
  }
  const { histogram: _histogram, ...rest } = request;
  const sample = await engine.search({ ...rest, page: 1, perPage: SIGNIFICANT_SAMPLE, facets: [] });
  return sample.hits.map((h) => h.article);
}

/**
 * The significant values of `kinds` in `sample` against the corpus: words from the similarity index's term
 * vectors and document frequencies, entities from the articles' entity fields and the entity statistics' article
 * counts. An empty sample has nothing significant.
 */
export async function significantIn(
  deps: { similarity: SimilarityReader; entities?: EntityReader },
  sample: readonly HitArticle[],
  kinds: readonly SignificantKind[],
): Promise<SignificantSets> {
  const wantsTerms = kinds.includes('terms');
  const words = await deps.similarity.significantTerms(sample.map((a) => a.id), wantsTerms ? SIGNIFICANT_LIMIT : 0);
  const out: { -readonly [K in keyof SignificantSets]: SignificantSets[K] } = { sampled: sample.length, corpus: words.corpus };
  if (wantsTerms) out.terms = words.terms;
  for (const kind of kinds) {
    if (kind === 'terms') continue;
    out[kind] = await significantEntities(deps.entities, sample, kind, words.corpus);
  }
  return out;
}

async function significantEntities(
  entities: EntityReader | undefined,
  sample: readonly HitArticle[],
  kind: 'people' | 'orgs' | 'places',
  corpus: number,
): Promise<SignificantValue[]> {
  if (!entities) throw new EngineUnavailableError('significant entities need the entity statistics, which this service does not keep');
  const counts = new Map<string, number>();
  for (const article of sample) for (const name of new Set(article[kind] ?? [])) counts.set(name, (counts.get(name) ?? 0) + 1);
  const names = [...counts.keys()];
  const articles = await entities.articlesOf(names.map((name) => ({ kind, name })));
  const background = new Map(names.map((name, i) => [name, articles[i] ?? 0]));
  return significantValues({ counts, background: (name) => background.get(name) ?? 0, sampled: sample.length, corpus, limit: SIGNIFICANT_LIMIT });
}
