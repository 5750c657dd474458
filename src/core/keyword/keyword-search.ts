import type { Freshness } from '../freshness.js';
import { idCheck } from '../key-order.js';
import type { KeyOrder } from '../key-order.js';
import type { MatchTerms } from '../highlighter.js';
import type { DateHistogram, HistogramInterval } from '../trends/date-histogram.js';
import type { ParsedQuery } from '../query-parser.js';
import type { KeywordIndex, MultiField } from './keyword-index.js';
import { MULTI_FIELDS } from './keyword-index.js';
import type { FacetName, RankFilter, RankRequest } from './rank.js';
import { Ranker } from './rank.js';
import type { ResolvedQuery, ResolvedTerm } from './resolve.js';
import { spellingSuggestion } from '../spelling-suggestion.js';
import { inflectionsOf } from './inflections.js';
import { MAX_VARIANTS, resolveQuery, synonymPostings } from './resolve.js';
import type { PostingList } from './posting-list.js';
import type { Synonyms } from './synonyms.js';
import { NO_SYNONYMS } from './synonyms.js';
import { VariantCache } from './variant-cache.js';
import type { Variants } from './variant-cache.js';

/** Filters by value names and dates (ms, inclusive). */
export interface KeywordFilter {
  readonly category?: readonly string[];
  readonly source?: readonly string[];
  readonly tags?: readonly string[];
  readonly people?: readonly string[];
  readonly orgs?: readonly string[];
  readonly places?: readonly string[];
  readonly from?: number;
  readonly to?: number;
}

/** A ranked keyword search over the in-memory index. */
export interface KeywordSearchRequest {
  readonly query: ParsedQuery;
  readonly match: 'last' | 'all';
  readonly sort: 'relevance' | 'newest' | 'oldest';
  readonly filter: KeywordFilter;
  readonly offset: number;
  readonly limit: number;
  readonly facets: readonly FacetName[];
  /** Entities the query names, by field and value name (see RankRequest.about). */
  readonly about?: readonly { readonly field: MultiField; readonly name: string }[];
  /** Recency for the relevance sort (see RankRequest.freshness). */
  readonly freshness?: Freshness;
  readonly histogram?: HistogramInterval;
  /** One hit per copy group (see RankRequest.collapse). */
  readonly collapse?: boolean;
}

/** The page as document keys, the exact total, facet counts by value name, and what to highlight. */
export interface KeywordSearchResult {
  readonly keys: number[];
  /** Each page document's id check (core/key-order.ts, parallel to `keys`): a reader drops a key reused since. */
  readonly checks: number[];
  readonly total: number;
  readonly facets: Partial<Record<FacetName, [string, number][]>>;
  readonly highlight: MatchTerms;
  readonly histogram?: DateHistogram;
  /**
   * The query as the page's first hit spells the words it matched through typos (see core/spelling-suggestion.ts);
   * absent when every word matched as typed, or the page is empty.
   */
  readonly suggestion?: string;
  /** With collapse: each page document's live copy-group members, itself included (parallel to `keys`). */
  readonly groupSizes?: number[];
}

/** At most this many values per facet, the most frequent first (Meilisearch's maxValuesPerFacet default). */
export const MAX_FACET_VALUES = 100;

/**
 * The count of the {@link MAX_FACET_VALUES}-th most frequent value (0 when there are fewer): only values counted at
 * least this often can be shown, so only they are named and sorted by name (a broad word meets thousands of people).
 */
function leastShownCount(counts: ReadonlyMap<number, number>): number {
  if (counts.size <= MAX_FACET_VALUES) return 0;
  const sorted = Int32Array.from(counts.values()).sort();
  return sorted[sorted.length - MAX_FACET_VALUES]!;
}
/** Query words whose variants are cached (variant-cache.ts). */
const CACHE_LIMIT = 20_000;
/** What a singular or plural form of a query word costs in the typo rule. */
const INFLECTION_TYPOS = 1;
/** Synonym postings kept (each a list of the documents holding one alternative). */
const SYNONYM_CACHE_LIMIT = 1_000;
/** Keys whose id checks a whole-order walk computes between two yields (a few ms at most). */
const CHECKS_PER_PART = 16_384;

/**
 * Search over a {@link KeywordIndex}: resolves words to terms and typo variants (cached while the terms they depend
 * on stay present: variant-cache.ts), leaves out — with `last` — words that match nothing at all, ranks with {@link Ranker}. A query of
 * exclusions only lists every other article passing the filters (see {@link aboutOf} for its order).
 */
export class KeywordSearch {
  private readonly ranker: Ranker;
  /** A ranker for whole orders ({@link orderInSteps}) that no walk is using now. */
  private idleWalker: Ranker | undefined;
  private readonly variantCache: VariantCache;
  private readonly synonymCache = new Map<string, PostingList>();
  private synonymChanges = -1;

  constructor(
    private readonly index: KeywordIndex,
    private readonly synonyms: Synonyms = NO_SYNONYMS,
  ) {
    this.ranker = new Ranker(index);
    this.variantCache = new VariantCache(index, CACHE_LIMIT);
  }

  search(request: KeywordSearchRequest): KeywordSearchResult {
    const { resolved, query } = this.resolved(request);
    const ranked = this.ranker.rank(this.rankRequest(request, query));
    const top = ranked.docs[0];
    const suggestion = top === undefined ? undefined : spellingSuggestion(request.query, resolved.terms.map((t) => correctionIn(t, top)));
    return {
      keys: ranked.docs.map((d) => this.index.keys[d]!),
      checks: ranked.docs.map((d) => idCheck(this.index.ids[d]!)),
      total: ranked.total,
      facets: this.facetNames(ranked.facets),
      highlight: highlightTerms(query),
      ...(ranked.histogram ? { histogram: ranked.histogram } : {}),
      ...(suggestion === undefined ? {} : { suggestion }),
      ...(request.collapse ? { groupSizes: ranked.docs.map((d) => this.index.groupSize[this.index.group[d]!]!) } : {}),
    };
  }

  /**
   * Every match of a search, in result order (the order of {@link search}'s pages laid end to end), as store keys
   * with their articles' id checks (core/key-order.ts), a part at a time (Ranker.orderInSteps: the generator yields
   * between parts, and every {@link CHECKS_PER_PART} keys while the checks are computed; its value is the order):
   * one ranking for a whole export, where reading it page by page ranked the query again for each page. Facets and
   * the histogram are not counted; `offset` and `limit` are ignored. The walk ranks with a ranker of its own
   * (searches may run between its parts), reused by the next walk once this one has ended.
   */
  *orderInSteps(request: KeywordSearchRequest): Generator<void, KeyOrder> {
    const { query } = this.resolved(request);
    const { histogram: _histogram, ...asked } = request;
    const walker = this.idleWalker ?? new Ranker(this.index);
    this.idleWalker = undefined;
    try {
      const docs = yield* walker.orderInSteps(this.rankRequest({ ...asked, offset: 0, limit: Number.MAX_SAFE_INTEGER, facets: [] }, query));
      const keys = new Int32Array(docs.length);
      const checks = new Int32Array(docs.length);
      for (let i = 0; i < docs.length; i++) {
        // the documents' slots stay valid between parts: this walk's ranker holds them, and the index reuses no slot
        if (i > 0 && i % CHECKS_PER_PART === 0) yield;
        keys[i] = this.index.keys[docs[i]!]!;
        checks[i] = idCheck(this.index.ids[docs[i]!]!);
      }
      return { keys, checks };
    } finally {
      this.idleWalker = walker;
    }
  }

  /** The query's words resolved to terms and variants; with `last`, words matching nothing at all left out. */
  private resolved(request: KeywordSearchRequest): { resolved: ResolvedQuery; query: ResolvedQuery } {
    const resolved = resolveQuery(this.index, request.query, (w) => this.variants(w), this.synonyms, (words, shift) => this.synonymList(words, shift));
    const query: ResolvedQuery =
      request.match === 'last' && resolved.terms.some((t) => t.sources.length > 0)
        ? { ...resolved, terms: resolved.terms.filter((t) => t.sources.length > 0) }
        : resolved;
    return { resolved, query };
  }

  private rankRequest(request: KeywordSearchRequest, query: ResolvedQuery): RankRequest {
    return {
      query,
      match: request.match,
      sort: request.sort,
      filter: this.filterIds(request.filter),
      offset: request.offset,
      limit: request.limit,
      facets: request.facets,
      ...(request.histogram ? { histogram: request.histogram } : {}),
      ...(request.collapse ? { collapse: true } : {}),
      about: aboutOf(request).flatMap(({ field, name }) => {
        const id = this.index.multi[field].names.idOf(name);
        return id === undefined ? [] : [{ field, id }];
      }),
      ...(request.freshness ? { freshness: request.freshness } : {}),
    };
  }

  /**
   * A phrase's or a synonym's postings (resolve.ts), kept until a document is added or removed: a phrase's documents
   * are found by walking a word's whole list, which a search must not pay for each time. At most
   * {@link SYNONYM_CACHE_LIMIT}.
   */
  private synonymList(words: readonly string[], shift: number): PostingList {
    if (this.synonymChanges !== this.index.changes) {
      this.synonymCache.clear();
      this.synonymChanges = this.index.changes;
    }
    const key = `${shift} ${words.join(' ')}`;
    let list = this.synonymCache.get(key);
    if (!list) {
      list = synonymPostings(this.index, words, shift);
      if (this.synonymCache.size >= SYNONYM_CACHE_LIMIT) this.synonymCache.clear();
      this.synonymCache.set(key, list);
    }
    return list;
  }

  /**
   * The word's variants from the cache, ordered by the document counts of the moment (as computeVariants orders
   * them): an entry kept across changes keeps its variants, not their order by counts that moved since.
   */
  private variants(word: string): Variants {
    const { termIds, df } = this.index;
    const docs = (term: string) => df[termIds.get(term)!] ?? 0;
    return [...this.variantCache.get(word, (w) => this.computeVariants(w))].sort(
      (a, b) => a.typos - b.typos || Number(a.form ?? false) - Number(b.form ?? false) || (a.form ? 0 : docs(b.term) - docs(a.term) || (a.term < b.term ? -1 : 1)),
    );
  }

  private computeVariants(word: string): Variants {
    const { termIds, df } = this.index;
    const docs = (term: string) => df[termIds.get(term)!] ?? 0;
    const typos = this.index.typos.lookup(word, { limit: MAX_VARIANTS, docs }).map((m) => ({ term: m.term, typos: m.typos }));
    // singular and plural ("tax" finds "taxes") rank as one typo: below the word as typed, never above
    const seen = new Set(typos.map((v) => v.term));
    const forms = inflectionsOf(word).filter((form) => !seen.has(form) && docs(form) > 0).map((term) => ({ term, typos: INFLECTION_TYPOS, form: true }));
    return [...typos, ...forms].sort((a, b) => a.typos - b.typos); // fewest typos first (stable), as resolve.ts expects
  }

  private filterIds(filter: KeywordFilter): RankFilter {
    const ids = (names: readonly string[] | undefined, idOf: (n: string) => number | undefined) =>
      names === undefined || names.length === 0 ? undefined : names.map(idOf).filter((id): id is number => id !== undefined);
    const category = ids(filter.category, (n) => this.index.categories.idOf(n));
    const source = ids(filter.source, (n) => this.index.sources.idOf(n));
    const multi: Partial<Record<MultiField, number[]>> = {};
    for (const field of MULTI_FIELDS) {
      const found = ids(filter[field], (n) => this.index.multi[field].names.idOf(n));
      if (found) multi[field] = found;
    }
    return {
      ...(category ? { category } : {}),
      ...(source ? { source } : {}),
      ...multi,
      ...(filter.from === undefined ? {} : { from: filter.from }),
      ...(filter.to === undefined ? {} : { to: filter.to }),
    };
  }

  private facetNames(facets: Partial<Record<FacetName, Map<number, number>>>): KeywordSearchResult['facets'] {
    const { multi } = this.index;
    const names: Record<FacetName, readonly string[]> = {
      category: this.index.categories.names,
      source: this.index.sources.names,
      tags: multi.tags.names.names,
      people: multi.people.names.names,
      orgs: multi.orgs.names.names,
      places: multi.places.names.names,
    };
    const out: KeywordSearchResult['facets'] = {};
    for (const [field, counts] of Object.entries(facets) as [FacetName, Map<number, number>][]) {
      const least = leastShownCount(counts);
      const shown: [string, number][] = [];
      for (const [id, n] of counts) if (n >= least) shown.push([names[field][id]!, n]);
      out[field] = shown.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, MAX_FACET_VALUES);
    }
    return out;
  }
}

/**
 * The entities to rank by: those the query names; for a query without words (exclusions only), the entities the
 * filters name, so that, as the store's placeholder search does, the articles most about them come first.
 */
function aboutOf(request: KeywordSearchRequest): readonly { readonly field: MultiField; readonly name: string }[] {
  if (request.query.terms.length > 0) return request.about ?? [];
  return (['people', 'orgs', 'places'] as const).flatMap((field) => (request.filter[field] ?? []).map((name) => ({ field, name })));
}

/**
 * The term a document matched a query word through, when only a typo variant matched it: undefined when the word
 * (or, for the word being typed, a term it starts) is in the document, or none of its variants is. Sources come
 * fewest typos first, then the most frequent (resolve.ts), so the first variant the document holds is the one
 * ranking counted.
 */
function correctionIn(term: ResolvedTerm, doc: number): string | undefined {
  if (term.query.kind !== 'word') return undefined;
  const held = term.sources.find((s) => s.list.find(doc) >= 0);
  // a singular or plural ranks as one typo, but it is no misspelling to correct
  if (held === undefined || held.typos === 0 || inflectionsOf(term.query.text).includes(held.term)) return undefined;
  return held.term;
}

/** Words, variants, phrase words and prefixes a hit may hold. */
function highlightTerms(query: ResolvedQuery): MatchTerms {
  const words = new Set<string>();
  const prefixes: string[] = [];
  for (const { query: term, sources } of query.terms) {
    if (term.kind === 'phrase') term.words.forEach((w) => words.add(w));
    else if (term.prefix) prefixes.push(term.text);
    // a synonym that is a phrase ("united states" for "us") is highlighted word by word, but not its single letters
    // ("u s" for "u.s."), which would mark every lone letter of the text
    const ownPhrase = term.kind === 'phrase' ? term.words.join(' ') : undefined;
    for (const s of sources) {
      const synonymOfPhrase = ownPhrase !== undefined && s.term !== ownPhrase;
      if (!(s.typos > 0 || (term.kind === 'word' && !term.prefix) || synonymOfPhrase)) continue;
      if (!s.term.includes(' ')) words.add(s.term);
      else for (const w of s.term.split(' ')) if (w.length > 1) words.add(w);
    }
  }
  return { words, prefixes };
}
