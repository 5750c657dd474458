import type Database from 'better-sqlite3';
import type { QueryTerm } from '../../core/query-parser.js';
import { MAX_VARIANTS } from '../../core/keyword/resolve.js';
import { TypoIndex } from '../../core/typo-index.js';
import type { ExpandedTerm } from './match-expression.js';

const CACHE_LIMIT = 20_000;

/**
 * The keyword index's vocabulary (from `articles_vocab`) in a {@link TypoIndex}, kept in step with the database:
 * writes through this connection mark it stale, and `PRAGMA data_version` reveals writes by other processes (the
 * indexer). A stale vocabulary is rebuilt on the next search, at most once per `refreshMs`, so a bulk load is not
 * slowed down by rebuilds. Until then a brand-new word has no typo variants, and in a multi-word query it is read
 * as matching nothing and left out (see SqliteSearch.matchable); once the vocabulary is rebuilt, it counts.
 */
export class Vocabulary {
  private index = new TypoIndex();
  private builtAt = Number.NEGATIVE_INFINITY;
  private seenVersion = -1;
  private stale = true;
  private readonly expansions = new Map<string, readonly string[]>();
  private readonly dataVersion: Database.Statement;
  private readonly terms: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly clock: () => number,
    private readonly refreshMs = 2_000,
  ) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.terms = db.prepare('SELECT term, doc FROM articles_vocab').raw();
  }

  /** Notes a write made through this connection. */
  markStale(): void {
    this.stale = true;
  }

  /** Each query term with its typo variants (phrases and prefixes of fewer than 5 letters get none). */
  expand(terms: readonly QueryTerm[]): ExpandedTerm[] {
    this.refreshIfDue();
    return terms.map((term) => ({ term, variants: term.kind === 'word' ? this.variants(term.text) : [] }));
  }

  /**
   * Whether a term can match any document: a phrase or prefix is assumed to; a whole word must be in the
   * vocabulary or have a typo variant there.
   */
  canMatch(expanded: ExpandedTerm): boolean {
    const { term } = expanded;
    return term.kind === 'phrase' || term.prefix || expanded.variants.length > 0 || this.index.has(term.text);
  }

  private variants(word: string): readonly string[] {
    const cached = this.expansions.get(word);
    if (cached) return cached;
    const found = this.index.lookup(word, { limit: MAX_VARIANTS }).map((m) => m.term);
    if (this.expansions.size >= CACHE_LIMIT) this.expansions.clear();
    this.expansions.set(word, found);
    return found;
  }

  private refreshIfDue(): void {
    const version = this.dataVersion.get() as number;
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.stale = true;
    }
    if (!this.stale || this.clock() - this.builtAt < this.refreshMs) return;
    const index = new TypoIndex();
    for (const [term, docs] of this.terms.iterate() as Iterable<[string, number]>) index.add(term, docs);
    this.index = index;
    this.expansions.clear();
    this.stale = false;
    this.builtAt = this.clock();
  }
}
