import { MAX_FIELD_WORDS } from '../core/keyword/keyword-index.js';
import { tokenize } from '../core/normalize.js';
import { pairBudget, TypoIndex, typoCost } from '../core/typo-index.js';
import type { CompiledQuery, ValueField } from './saved-query.js';
import { VALUE_FIELDS } from './saved-query.js';

/** An article as alerts read it: its text and the fields the filters test (`publishedAt` in ms since the epoch). */
export interface AlertArticle {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly publishedAt?: number | undefined;
  readonly category?: string | undefined;
  readonly source?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly people?: readonly string[] | undefined;
  readonly orgs?: readonly string[] | undefined;
  readonly places?: readonly string[] | undefined;
}

/** Most article tokens whose typo neighbours among the query words are remembered between articles. */
const NEIGHBOUR_CACHE = 200_000;

/**
 * The saved queries, indexed so that an article is matched against all of them without running each: a
 * percolator. Each query is filed under one anchor (saved-query.ts): a word, or the values of one filter. An
 * article's tokens, their typo neighbours among the query words and its filter values find the candidate queries;
 * only those are verified, by the rules the keyword search applies (core/keyword, core/typo-index.ts):
 *
 * - text is tokenized and folded like the index (normalize.ts; title and body, NFKC first);
 * - a word matches the same word or a word within its typo budget ({@link pairBudget}: none below 5 letters, 1
 *   from 5, 2 from 9, none with a digit; the first letter counts twice, {@link typoCost}); every word is required
 *   (the search's `match=all`) and the last one is a whole word, not a prefix. Unlike the search, which reads up to
 *   8 variants per word, the most frequent in the corpus, an alert accepts any variant within the budget;
 * - a phrase matches its words in order, exactly, in the title or in the body;
 * - an exclusion (`-word`, `-"a phrase"`) matches exactly; an article holding one never matches;
 * - filters: one value of each given field (exact strings), and the publication date within the bounds
 *   (an article without a date never passes a date filter).
 *
 * Cost per article: tokenizing it, one typo lookup per distinct token (cached across articles), and the
 * verification of the candidates — independent of the number of saved queries that are not candidates.
 */
export class QueryIndex {
  private readonly queries = new Map<string, CompiledQuery>();
  /** Anchor key (`w:word`, `x:word`, `field:value`) → ids of the queries filed under it. */
  private readonly byAnchor = new Map<string, Set<string>>();
  /** Every typo-tolerant query word (anchors and others) → number of queries using it. */
  private readonly typoWords = new Map<string, number>();
  private typoVocabulary = new TypoIndex();
  /** Words of the typo vocabulary no query uses any more (the vocabulary is rebuilt when they are many). */
  private stale = 0;
  private readonly neighbours = new Map<string, readonly string[]>();

  /** Number of queries held. */
  get size(): number {
    return this.queries.size;
  }

  /** Adds a query, or replaces the one with the same id. */
  add(query: CompiledQuery): void {
    this.remove(query.id);
    this.queries.set(query.id, query);
    for (const key of anchorKeys(query)) {
      let ids = this.byAnchor.get(key);
      if (!ids) this.byAnchor.set(key, (ids = new Set()));
      ids.add(query.id);
    }
    for (const word of new Set(query.words)) {
      const uses = this.typoWords.get(word) ?? 0;
      this.typoWords.set(word, uses + 1);
      if (uses === 0 && !this.typoVocabulary.has(word)) {
        this.typoVocabulary.add(word, 1);
        this.neighbours.clear();
      } else if (uses === 0) this.stale--;
    }
  }

  /** Removes a query; unknown ids are ignored. */
  remove(id: string): void {
    const query = this.queries.get(id);
    if (!query) return;
    this.queries.delete(id);
    for (const key of anchorKeys(query)) {
      const ids = this.byAnchor.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.byAnchor.delete(key);
    }
    for (const word of new Set(query.words)) {
      const uses = (this.typoWords.get(word) ?? 1) - 1;
      if (uses > 0) this.typoWords.set(word, uses);
      else {
        this.typoWords.delete(word);
        this.stale++;
      }
    }
    if (this.stale > 1_000 && this.stale > this.typoWords.size) this.rebuildVocabulary();
  }

  /** The ids of the queries `article` matches, sorted. */
  match(article: AlertArticle): string[] {
    const text = new ArticleText(article);
    const present = this.typoPresent(text);
    const candidates = new Set<string>();
    const collect = (key: string) => {
      for (const id of this.byAnchor.get(key) ?? []) candidates.add(id);
    };
    for (const token of text.distinct) collect(`x:${token}`);
    for (const word of present) collect(`w:${word}`);
    for (const field of VALUE_FIELDS) for (const value of fieldValues(article, field)) collect(`${field}:${value}`);
    const matched: string[] = [];
    for (const id of candidates) {
      const query = this.queries.get(id);
      if (query && verify(query, article, text, present)) matched.push(id);
    }
    return matched.sort();
  }

  /** The typo-tolerant query words the article holds, exactly or within their typo budget. */
  private typoPresent(text: ArticleText): Set<string> {
    const present = new Set<string>();
    if (this.typoWords.size === 0) return present;
    for (const token of text.distinct) {
      if (this.typoWords.has(token)) present.add(token);
      for (const word of this.neighboursOf(token)) if (this.typoWords.has(word)) present.add(word);
    }
    return present;
  }

  /** Query words other than `token` that accept it as a typo (each word's own budget), cached. */
  private neighboursOf(token: string): readonly string[] {
    const known = this.neighbours.get(token);
    if (known) return known;
    let found: string[] = [];
    // a word of 9+ letters (budget 2) is reached only from 7+ letters; tokens with digits are never typo variants
    const reach = token.length >= 7 ? 2 : 1;
    if (token.length >= 4 && !/\d/.test(token)) {
      found = this.typoVocabulary
        .lookup(token, { maxTypos: reach })
        .map((m) => m.term)
        .filter((word) => {
          const budget = pairBudget(word, token);
          return budget > 0 && typoCost(word, token, budget) <= budget;
        });
    }
    if (this.neighbours.size >= NEIGHBOUR_CACHE) this.neighbours.clear();
    this.neighbours.set(token, found);
    return found;
  }

  private rebuildVocabulary(): void {
    this.typoVocabulary = new TypoIndex();
    for (const word of this.typoWords.keys()) this.typoVocabulary.add(word, 1);
    this.stale = 0;
    this.neighbours.clear();
  }
}

/** The article's tokens, per field, with their positions (for phrases) built on first use. */
class ArticleText {
  readonly title: string[];
  readonly body: string[];
  readonly distinct: Set<string>;
  private positions: [Map<string, number[]>, Map<string, number[]>] | undefined;

  constructor(article: AlertArticle) {
    // the words search indexes: the first MAX_FIELD_WORDS of each field
    this.title = tokenize(article.title.normalize('NFKC'), MAX_FIELD_WORDS);
    this.body = tokenize(article.body.normalize('NFKC'), MAX_FIELD_WORDS);
    this.distinct = new Set([...this.title, ...this.body]);
  }

  /** Whether the words occur one after another in the title or in the body. */
  hasPhrase(words: readonly string[]): boolean {
    if (words.length === 1) return this.distinct.has(words[0]!);
    if (!words.every((w) => this.distinct.has(w))) return false;
    this.positions ??= [positionsOf(this.title), positionsOf(this.body)];
    return this.positions.some((field) => (field.get(words[0]!) ?? []).some((p) => words.every((w, k) => field.get(w)?.includes(p + k))));
  }
}

function positionsOf(tokens: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  tokens.forEach((t, i) => {
    const list = out.get(t);
    if (list) list.push(i);
    else out.set(t, [i]);
  });
  return out;
}

function fieldValues(article: AlertArticle, field: ValueField): readonly string[] {
  const value = article[field];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function anchorKeys(query: CompiledQuery): string[] {
  const { anchor } = query;
  if (anchor.kind === 'value') return anchor.values.map((v) => `${anchor.field}:${v}`);
  return anchor.words.map((w) => `${anchor.kind === 'word' ? 'w' : 'x'}:${w}`);
}

/** Whether the article matches the query (the rules in {@link QueryIndex}). */
function verify(query: CompiledQuery, article: AlertArticle, text: ArticleText, present: ReadonlySet<string>): boolean {
  for (const field of VALUE_FIELDS) {
    const wanted = query.values[field];
    if (wanted && !fieldValues(article, field).some((v) => wanted.has(v))) return false;
  }
  if (query.from !== undefined || query.to !== undefined) {
    const at = article.publishedAt;
    if (at === undefined || (query.from !== undefined && !(at >= query.from)) || (query.to !== undefined && !(at <= query.to))) return false;
  }
  if (!query.words.every((w) => present.has(w))) return false;
  if (!query.exact.every((w) => text.distinct.has(w))) return false;
  if (!query.phrases.every((p) => text.hasPhrase(p))) return false;
  return !query.without.some((p) => text.hasPhrase(p));
}
