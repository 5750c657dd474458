import { tokenize } from '../normalize.js';
import { TypoIndex } from '../typo-index.js';
import { ensureCapacity } from './growable.js';
import { BODY_OFFSET, PostingList } from './posting-list.js';
import { COMPACT_STEP_ENTRIES, SteppedCompaction } from './stepped-compaction.js';

/** What the keyword index keeps of an article: the text it searches and the fields it filters, sorts and counts. */
export interface IndexedDoc {
  /** The store's key for the article (the SQLite row id). */
  readonly key: number;
  readonly id: string;
  readonly title: string;
  readonly body: string;
  /** Milliseconds since the epoch, or undefined. */
  readonly publishedAt?: number | undefined;
  readonly category?: string | undefined;
  readonly source?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly people?: readonly string[] | undefined;
  readonly orgs?: readonly string[] | undefined;
  readonly places?: readonly string[] | undefined;
  /** Entity salience keyed `kind:name` (see core/entities), for ranking articles about a named entity first. */
  readonly salience?: Readonly<Record<string, number>> | undefined;
  /** The document's copy group (core Article.copyGroup); absent: a group of its own. */
  readonly copyGroup?: string | undefined;
}

/** Fields that hold several values per document. */
export const MULTI_FIELDS = ['tags', 'people', 'orgs', 'places'] as const;
export type MultiField = (typeof MULTI_FIELDS)[number];

/**
 * A multi-valued field: its interned value names, and per document slot the value ids (or undefined) and, for
 * entity fields, each value's salience in the document.
 */
export interface MultiValues {
  readonly names: Interner;
  // plain arrays, not typed arrays: a document holds a few values per field, and a typed array costs ~250 bytes
  // before its first element (the Reuters corpus held about six per article, megabytes in the index host)
  readonly values: (readonly number[] | undefined)[];
  readonly weights: (readonly number[] | undefined)[];
}

/** Values of a facetable field, interned to small integers. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  idOf(name: string): number | undefined {
    return this.ids.get(name);
  }
}

/**
 * Words indexed per field, the first ones: Meilisearch's limit ("a maximum of 65535 positions per attribute; any words
 * exceeding the 65535 position limit will be silently ignored"), so that both engines find the same words of a very
 * long article, and so that adding one (a 1,000,000-character body has ~170,000 words) is bounded work on the index
 * host's one thread.
 */
export const MAX_FIELD_WORDS = 65_535;

/**
 * An in-memory inverted index over titles and bodies, with positions, held in typed arrays. Documents are numbered
 * in the order they are added; replacing a document removes the old number and adds a new one. Removed numbers
 * are skipped at query time and dropped from the postings when more than a quarter of the postings are dead.
 * Analysis is the keyword analyzer of normalize.ts.
 */
export class KeywordIndex {
  readonly lists: PostingList[] = [];
  readonly termIds = new Map<string, number>();
  readonly terms: string[] = [];
  /** Live documents holding each term. */
  df = new Int32Array(16);
  readonly typos = new TypoIndex();
  readonly categories = new Interner();
  readonly sources = new Interner();
  readonly multi: Readonly<Record<MultiField, MultiValues>> = {
    tags: { names: new Interner(), values: [], weights: [] },
    people: { names: new Interner(), values: [], weights: [] },
    orgs: { names: new Interner(), values: [], weights: [] },
    places: { names: new Interner(), values: [], weights: [] },
  };

  alive = new Uint8Array(16);
  titleLen = new Uint32Array(16);
  bodyLen = new Uint32Array(16);
  date = new Float64Array(16);
  category = new Int32Array(16);
  source = new Int32Array(16);
  /** Each slot's copy group, interned in {@link groups} (a document without one is interned by its id). */
  group = new Int32Array(16);
  readonly groups = new Interner();
  /** Live documents per copy group (by interned group): a collapsed page tells how many copies each hit stands for. */
  groupSize = new Int32Array(16);
  readonly keys: number[] = [];
  readonly ids: string[] = [];
  private readonly docTerms: Int32Array[] = [];
  private readonly byKey = new Map<number, number>();
  /** Number of document slots ever used (live and dead). */
  slots = 0;
  liveDocs = 0;
  titleTotal = 0;
  bodyTotal = 0;
  /** Documents added or removed so far: what was computed from the postings holds while this is unchanged. */
  changes = 0;
  private deadPostings = 0;
  private readonly compaction = new SteppedCompaction();
  private livePostings = 0;
  private sorted: string[] | undefined;
  /** Terms added since `sorted` was last built or merged, in order (at most MAX_RECENT_TERMS). */
  private recent: string[] = [];
  /**
   * Terms whose presence changed, in order: each id appended when its live document count leaves 0 (a new term, or
   * one whose documents had all been removed) or returns to 0. Callers that cache what depends on which terms are
   * present (typo variants: variant-cache.ts) read it from where they last stopped. It is emptied once it holds
   * {@link MAX_PRESENCE_LOG} ids, and {@link presenceEpoch} then increases: a reader of an older epoch starts over.
   */
  readonly presenceLog: number[] = [];
  presenceEpoch = 0;
  private staging: Staging | undefined;
  private readonly scratch = new TermScratch();

  /** Adds a document, replacing any document with the same key. */
  add(doc: IndexedDoc): void {
    this.remove(doc.key);
    this.changes++;
    const n = this.slots++;
    this.grow(n + 1);
    const titleTokens = tokenize(doc.title.normalize('NFKC'), MAX_FIELD_WORDS);
    const bodyTokens = tokenize(doc.body.normalize('NFKC'), MAX_FIELD_WORDS);
    const inTitle = titleTokens.length;
    const total = inTitle + bodyTokens.length;
    // counted in scratch arrays indexed by term id (no object per term and document): a catch-up applies
    // hundreds of articles between two queries
    const stamp = n + 1;
    const ids = new Int32Array(total);
    const distinct: number[] = [];
    for (let i = 0; i < total; i++) {
      const id = this.termId(i < inTitle ? titleTokens[i]! : bodyTokens[i - inTitle]!);
      ids[i] = id;
      if (this.scratch.stamp[id] !== stamp) {
        this.scratch.stamp[id] = stamp;
        this.scratch.title[id] = 0;
        this.scratch.body[id] = 0;
        distinct.push(id);
      }
      if (i < inTitle) this.scratch.title[id]!++;
      else this.scratch.body[id]!++;
    }
    // positions grouped by term, terms in order of first appearance, each term's positions increasing
    const positions = new Int32Array(total);
    const { cursor } = this.scratch;
    let at = 0;
    for (const id of distinct) {
      cursor[id] = at;
      at += this.scratch.title[id]! + this.scratch.body[id]!;
    }
    for (let i = 0; i < total; i++) positions[cursor[ids[i]!]!++] = i < inTitle ? i : BODY_OFFSET + i - inTitle;
    at = 0;
    for (const id of distinct) {
      const titleTf = this.scratch.title[id]!;
      const bodyTf = this.scratch.body[id]!;
      const end = at + titleTf + bodyTf;
      if (this.staging) this.staging.push(id, n, titleTf, bodyTf, positions.subarray(at, end));
      else this.lists[id]!.add(n, titleTf, bodyTf, positions, at, end);
      at = end;
      if (this.df[id]!++ === 0) this.presenceChanged(id);
    }
    this.docTerms[n] = Int32Array.from(distinct);
    this.livePostings += distinct.length;
    this.alive[n] = 1;
    this.titleLen[n] = titleTokens.length;
    this.bodyLen[n] = bodyTokens.length;
    this.titleTotal += titleTokens.length;
    this.bodyTotal += bodyTokens.length;
    this.date[n] = doc.publishedAt ?? Number.NaN;
    this.category[n] = doc.category === undefined ? -1 : this.categories.intern(doc.category);
    this.source[n] = doc.source === undefined ? -1 : this.sources.intern(doc.source);
    const g = this.groups.intern(doc.copyGroup ?? doc.id);
    this.group[n] = g;
    this.groupSize = ensureCapacity(this.groupSize, g + 1, Int32Array);
    this.groupSize[g]!++;
    for (const field of MULTI_FIELDS) {
      const values = doc[field];
      const { names } = this.multi[field];
      const some = values !== undefined && values.length > 0;
      this.multi[field].values[n] = some ? values.map((v) => names.intern(v)) : undefined;
      // salience is kept for entity fields only (tags have none)
      const salience = field === 'tags' ? undefined : doc.salience;
      this.multi[field].weights[n] = some && salience ? values.map((v) => Math.fround(salience[`${field}:${v}`] ?? 0)) : undefined;
    }
    this.keys[n] = doc.key;
    this.ids[n] = doc.id;
    this.byKey.set(doc.key, n);
    this.liveDocs++;
  }

  /**
   * Builds a fresh index from many documents at once: postings are staged in a few large arrays, then laid out
   * term by term in shared buffers (each list a view), so a bulk load leaves no trail of small arrays behind.
   */
  addAll(docs: Iterable<IndexedDoc>): void {
    if (this.slots > 0) throw new Error('addAll builds a fresh index');
    this.staging = new Staging();
    try {
      for (const doc of docs) this.add(doc);
      this.staging.layOut(this.lists);
    } finally {
      this.staging = undefined;
    }
  }

  /** Removes the document with this key, if any. */
  remove(key: number): void {
    const n = this.byKey.get(key);
    if (n === undefined) return;
    this.changes++;
    this.byKey.delete(key);
    this.alive[n] = 0;
    this.liveDocs--;
    this.groupSize[this.group[n]!]!--;
    this.titleTotal -= this.titleLen[n]!;
    this.bodyTotal -= this.bodyLen[n]!;
    const terms = this.docTerms[n]!;
    for (const id of terms) if (--this.df[id]! === 0) this.presenceChanged(id);
    this.deadPostings += terms.length;
    this.livePostings -= terms.length;
    this.docTerms[n] = new Int32Array(0);
    if (this.deadPostings > 1_000 && this.deadPostings > this.livePostings / 3) this.compaction.begin();
    this.compactSome(COMPACT_STEP_ENTRIES);
  }

  /** Whether a compaction is under way ({@link compactSome} has lists left to compact). */
  get compacting(): boolean {
    return this.compaction.underWay;
  }

  /**
   * Carries a compaction on (begun once more than a quarter of the postings' entries are dead): see
   * SteppedCompaction. True when none is under way any more.
   */
  compactSome(budget: number): boolean {
    if (!this.compaction.underWay) return true;
    if (!this.compaction.step(this.lists, (list) => list.compacted(this.alive), budget)) return false;
    // the entries that died during the pass in lists it had already walked are still there: counted as gone
    this.deadPostings = 0;
    return true;
  }

  /** Whether a document with this key is indexed. */
  has(key: number): boolean {
    return this.byKey.has(key);
  }

  /** Every vocabulary term starting with `prefix`, in lexical order. */
  termsWithPrefix(prefix: string): string[] {
    this.sorted ??= [...this.terms].sort();
    const out = withPrefix(this.sorted, prefix);
    if (this.recent.length === 0) return out;
    const recent = withPrefix(this.recent, prefix);
    return recent.length === 0 ? out : mergeSorted(out, recent);
  }

  /**
   * Builds what prefix queries read (the sorted vocabulary, with the terms added since merged in), so that no query
   * pays for it: the index host calls it after each catch-up step.
   */
  prepareQueries(): void {
    if (!this.sorted) this.sorted = [...this.terms].sort();
    else if (this.recent.length > 0) this.sorted = mergeSorted(this.sorted, this.recent);
    this.recent = [];
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      this.lists.push(new PostingList());
      this.df = ensureCapacity(this.df, id + 1, Int32Array);
      this.scratch.fit(id + 1);
      this.typos.add(term, 1);
      // once the sorted vocabulary is built, a new term waits in a short sorted list of its own (a splice into the
      // whole vocabulary per new word made a catch-up of 1,000 new articles spend 0.7 s there), merged in by
      // prepareQueries or once the list is long: neither a catch-up nor a query pays for a whole re-sort
      if (this.sorted) {
        this.recent.splice(lowerBound(this.recent, term), 0, term);
        if (this.recent.length >= MAX_RECENT_TERMS) this.prepareQueries();
      }
    }
    return id;
  }

  private presenceChanged(term: number): void {
    if (this.presenceLog.length >= MAX_PRESENCE_LOG) {
      this.presenceLog.length = 0;
      this.presenceEpoch++;
    }
    this.presenceLog.push(term);
  }

  private grow(slots: number): void {
    this.alive = ensureCapacity(this.alive, slots, Uint8Array);
    this.titleLen = ensureCapacity(this.titleLen, slots, Uint32Array);
    this.bodyLen = ensureCapacity(this.bodyLen, slots, Uint32Array);
    this.date = ensureCapacity(this.date, slots, Float64Array);
    this.category = ensureCapacity(this.category, slots, Int32Array);
    this.source = ensureCapacity(this.source, slots, Int32Array);
    this.group = ensureCapacity(this.group, slots, Int32Array);
  }

}

/** Ids the presence log holds before it is emptied (see KeywordIndex.presenceLog). */
const MAX_PRESENCE_LOG = 65_536;

/** New terms held apart from the sorted vocabulary before they are merged in (see termId). */
const MAX_RECENT_TERMS = 2_048;

/** The strings of `sorted` (code-unit order) that start with `prefix`, in order. */
function withPrefix(sorted: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
  return out;
}

/** The strings of two sorted lists (code-unit order, no string in both) as one sorted list. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** The first position in `sorted` (code-unit order) whose string is not below `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Per term id, what {@link KeywordIndex.add} counts of the document it is adding (reused from one to the next). */
class TermScratch {
  /** 1 + the slot of the document a term was last counted for. */
  stamp = new Int32Array(16);
  title = new Int32Array(16);
  body = new Int32Array(16);
  /** Where a term's next position goes while positions are grouped. */
  cursor = new Int32Array(16);

  fit(terms: number): void {
    this.stamp = ensureCapacity(this.stamp, terms, Int32Array);
    this.title = ensureCapacity(this.title, terms, Int32Array);
    this.body = ensureCapacity(this.body, terms, Int32Array);
    this.cursor = ensureCapacity(this.cursor, terms, Int32Array);
  }
}

/** Postings of a bulk build, in arrival order (one list for all terms, and each entry's term), before layout. */
class Staging {
  private terms = new Int32Array(1024);
  private readonly entries = new PostingList();

  push(term: number, doc: number, titleTf: number, bodyTf: number, positions: ArrayLike<number>): void {
    this.terms = ensureCapacity(this.terms, this.entries.length + 1, Int32Array);
    this.terms[this.entries.length] = term;
    this.entries.add(doc, titleTf, bodyTf, positions);
  }

  /**
   * Counting sort by term (stable: documents stay in increasing order), into shared buffers. Each list's view has
   * an eighth more room than it holds (entries and positions), so that documents added later go in place instead
   * of copying the list out of the shared buffers, which stay alive as long as any list views them.
   */
  layOut(lists: PostingList[]): void {
    const staged = this.entries;
    const n = staged.length;
    const count = new Int32Array(lists.length);
    const positionCount = new Int32Array(lists.length);
    for (let i = 0; i < n; i++) {
      const t = this.terms[i]!;
      count[t]!++;
      positionCount[t]! += staged.positionsOf(i).length;
    }
    const room = (used: number) => used + (used >> 3) + 1;
    const starts = new Int32Array(lists.length + 1);
    const posStarts = new Int32Array(lists.length + 1);
    for (let t = 0; t < lists.length; t++) {
      starts[t + 1] = starts[t]! + (count[t] === 0 ? 0 : room(count[t]!));
      posStarts[t + 1] = posStarts[t]! + (count[t] === 0 ? 0 : room(positionCount[t]!));
    }
    const flat = {
      docs: new Int32Array(starts[lists.length]!),
      info: new Uint32Array(2 * starts[lists.length]!),
      positions: new Int32Array(posStarts[lists.length]!),
    };
    const filled = new Int32Array(lists.length);
    const posFilled = new Int32Array(lists.length);
    for (let i = 0; i < n; i++) {
      const t = this.terms[i]!;
      const k = starts[t]! + filled[t]!++;
      const positions = staged.positionsOf(i);
      flat.docs[k] = staged.docs[i]!;
      flat.info[2 * k] = staged.info[2 * i]!;
      flat.info[2 * k + 1] = posFilled[t]!;
      flat.positions.set(positions, posStarts[t]! + posFilled[t]!);
      posFilled[t]! += positions.length;
    }
    for (let t = 0; t < lists.length; t++) {
      if (count[t] === 0) continue;
      const l = lists[t]!;
      l.docs = flat.docs.subarray(starts[t]!, starts[t + 1]!);
      l.info = flat.info.subarray(2 * starts[t]!, 2 * starts[t + 1]!);
      l.positions = flat.positions.subarray(posStarts[t]!, posStarts[t + 1]!);
      l.length = count[t]!;
      l.positionCount = positionCount[t]!;
    }
  }
}
