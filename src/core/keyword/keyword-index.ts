import { tokenize } from '../normalize.js';
import { TypoIndex } from '../typo-index.js';
import { ensureCapacity } from './growable.js';
import { BODY_OFFSET, PostingList } from './posting-list.js';

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
  readonly values: (Int32Array | undefined)[];
  readonly weights: (Float32Array | undefined)[];
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
 * An in-memory inverted index over titles and bodies, with positions, held in typed arrays. Documents are numbered
 * in the order they are added; replacing a document removes the old number and adds a new one. Removed numbers
 * are skipped at query time and dropped from the postings when more than a quarter of the postings are dead.
 * Analysis is the keyword analyzer of normalize.ts (the same words SQLite's FTS5 index holds).
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
  readonly keys: number[] = [];
  readonly ids: string[] = [];
  private readonly docTerms: Int32Array[] = [];
  private readonly byKey = new Map<number, number>();
  /** Number of document slots ever used (live and dead). */
  slots = 0;
  liveDocs = 0;
  titleTotal = 0;
  bodyTotal = 0;
  private deadPostings = 0;
  private livePostings = 0;
  private sorted: string[] | undefined;
  /** Increases whenever a term is added to the vocabulary (callers cache typo expansions against it). */
  vocabularyVersion = 0;
  private staging: Staging | undefined;

  /** Adds a document, replacing any document with the same key. */
  add(doc: IndexedDoc): void {
    this.remove(doc.key);
    const n = this.slots++;
    this.grow(n + 1);
    const perTerm = new Map<number, { title: number; body: number; positions: number[] }>();
    const titleTokens = tokenize(doc.title.normalize('NFKC'));
    const bodyTokens = tokenize(doc.body.normalize('NFKC'));
    const collect = (tokens: string[], base: number, field: 'title' | 'body') =>
      tokens.forEach((token, i) => {
        const id = this.termId(token);
        let entry = perTerm.get(id);
        if (!entry) perTerm.set(id, (entry = { title: 0, body: 0, positions: [] }));
        entry[field]++;
        entry.positions.push(base + i);
      });
    collect(titleTokens, 0, 'title');
    collect(bodyTokens, BODY_OFFSET, 'body');
    for (const [id, entry] of perTerm) {
      if (this.staging) this.staging.push(id, n, entry.title, entry.body, entry.positions);
      else this.lists[id]!.add(n, entry.title, entry.body, entry.positions);
      this.df[id]!++;
    }
    this.docTerms[n] = Int32Array.from(perTerm.keys());
    this.livePostings += perTerm.size;
    this.alive[n] = 1;
    this.titleLen[n] = titleTokens.length;
    this.bodyLen[n] = bodyTokens.length;
    this.titleTotal += titleTokens.length;
    this.bodyTotal += bodyTokens.length;
    this.date[n] = doc.publishedAt ?? Number.NaN;
    this.category[n] = doc.category === undefined ? -1 : this.categories.intern(doc.category);
    this.source[n] = doc.source === undefined ? -1 : this.sources.intern(doc.source);
    for (const field of MULTI_FIELDS) {
      const values = doc[field];
      const { names } = this.multi[field];
      const some = values !== undefined && values.length > 0;
      this.multi[field].values[n] = some ? Int32Array.from(values, (v) => names.intern(v)) : undefined;
      // salience is kept for entity fields only (tags have none)
      const salience = field === 'tags' ? undefined : doc.salience;
      this.multi[field].weights[n] = some && salience ? Float32Array.from(values, (v) => salience[`${field}:${v}`] ?? 0) : undefined;
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
    this.byKey.delete(key);
    this.alive[n] = 0;
    this.liveDocs--;
    this.titleTotal -= this.titleLen[n]!;
    this.bodyTotal -= this.bodyLen[n]!;
    const terms = this.docTerms[n]!;
    for (const id of terms) this.df[id]!--;
    this.deadPostings += terms.length;
    this.livePostings -= terms.length;
    this.docTerms[n] = new Int32Array(0);
    if (this.deadPostings > 1_000 && this.deadPostings > this.livePostings / 3) this.compact();
  }

  /** Whether a document with this key is indexed. */
  has(key: number): boolean {
    return this.byKey.has(key);
  }

  /** Every vocabulary term starting with `prefix`, in lexical order. */
  termsWithPrefix(prefix: string): string[] {
    this.sorted ??= [...this.terms].sort();
    const sorted = this.sorted;
    const out: string[] = [];
    for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
    return out;
  }

  /** Builds what prefix queries read (the sorted vocabulary), so that no query pays for it (the index host calls it). */
  prepareQueries(): void {
    this.sorted ??= [...this.terms].sort();
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      this.lists.push(new PostingList());
      this.df = ensureCapacity(this.df, id + 1, Int32Array);
      this.typos.add(term, 1);
      // kept sorted by insertion once built: a catch-up adding words never leaves a whole re-sort to the next query
      if (this.sorted) this.sorted.splice(lowerBound(this.sorted, term), 0, term);
      this.vocabularyVersion++;
    }
    return id;
  }

  private grow(slots: number): void {
    this.alive = ensureCapacity(this.alive, slots, Uint8Array);
    this.titleLen = ensureCapacity(this.titleLen, slots, Uint32Array);
    this.bodyLen = ensureCapacity(this.bodyLen, slots, Uint32Array);
    this.date = ensureCapacity(this.date, slots, Float64Array);
    this.category = ensureCapacity(this.category, slots, Int32Array);
    this.source = ensureCapacity(this.source, slots, Int32Array);
  }

  private compact(): void {
    const alive = (doc: number) => this.alive[doc] === 1;
    for (let id = 0; id < this.lists.length; id++) this.lists[id] = this.lists[id]!.compacted(alive);
    this.deadPostings = 0;
  }
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

/** Postings of a bulk build, in arrival order (one list for all terms, and each entry's term), before layout. */
class Staging {
  private terms = new Int32Array(1024);
  private readonly entries = new PostingList();

  push(term: number, doc: number, titleTf: number, bodyTf: number, positions: readonly number[]): void {
    this.terms = ensureCapacity(this.terms, this.entries.length + 1, Int32Array);
    this.terms[this.entries.length] = term;
    this.entries.add(doc, titleTf, bodyTf, positions);
  }

  /** Counting sort by term (stable: documents stay in increasing order), into shared buffers. */
  layOut(lists: PostingList[]): void {
    const staged = this.entries;
    const n = staged.length;
    const starts = new Int32Array(lists.length + 1);
    for (let i = 0; i < n; i++) starts[this.terms[i]! + 1]!++;
    for (let t = 0; t < lists.length; t++) starts[t + 1]! += starts[t]!;
    const order = new Int32Array(n);
    const fill = starts.slice(0, lists.length);
    for (let i = 0; i < n; i++) order[fill[this.terms[i]!]!++] = i;
    const flat = {
      docs: new Int32Array(n),
      titleTf: new Uint16Array(n),
      bodyTf: new Uint16Array(n),
      posStart: new Int32Array(n),
      positions: new Int32Array(staged.positionCount),
    };
    const posBase = new Int32Array(lists.length);
    const posEnd = new Int32Array(lists.length);
    let at = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const t = this.terms[i]!;
      if (k === starts[t]) posBase[t] = at;
      const positions = staged.positionsOf(i);
      flat.docs[k] = staged.docs[i]!;
      flat.titleTf[k] = staged.titleTf[i]!;
      flat.bodyTf[k] = staged.bodyTf[i]!;
      flat.posStart[k] = at - posBase[t]!;
      flat.positions.set(positions, at);
      at += positions.length;
      posEnd[t] = at;
    }
    for (let t = 0; t < lists.length; t++) {
      const from = starts[t]!;
      const to = starts[t + 1]!;
      if (from === to) continue;
      const l = lists[t]!;
      l.docs = flat.docs.subarray(from, to);
      l.titleTf = flat.titleTf.subarray(from, to);
      l.bodyTf = flat.bodyTf.subarray(from, to);
      l.posStart = flat.posStart.subarray(from, to);
      l.positions = flat.positions.subarray(posBase[t]!, posEnd[t]!);
      l.length = to - from;
      l.positionCount = posEnd[t]! - posBase[t]!;
    }
  }
}
