/**
 * Meilisearch's filter language for the stub (test/helpers/meili-stub.ts), written from its grammar
 * (meilisearch/crates/filter-parser/src/lib.rs, v1.50.0) and replayed against that crate's own unit tests
 * (test/engines/meilisearch-recorded.test.ts):
 *
 * ```text
 * filter     = expression EOF
 * expression = or
 * or         = and ("OR" and)*
 * and        = not ("AND" not)*
 * not        = ("NOT" WS+ not) | primary            -- NOT NOT x is x
 * primary    = "(" expression ")" | in | not_in | condition | is_null | is_not_null | is_empty | is_not_empty
 *            | exists | not_exists | to | contains | not_contains | starts_with | not_starts_with
 * value      = WS* ( "'" …escaped… "'" | '"' …escaped… '"' | word ) WS*   -- word: letters, digits, _ - . ; no keyword
 * ```
 *
 * Geo, `_vectors` and `_foreign` filters are not modelled: they throw {@link FilterError} naming them.
 */

/** A parsed filter, as the crate's `FilterCondition`. */
export type FilterNode =
  | { readonly kind: 'compare'; readonly fid: string; readonly op: '=' | '!=' | '>' | '>=' | '<' | '<='; readonly value: string }
  | { readonly kind: 'in'; readonly fid: string; readonly values: readonly string[] }
  | { readonly kind: 'between'; readonly fid: string; readonly from: string; readonly to: string }
  | { readonly kind: 'null' | 'empty' | 'exists'; readonly fid: string }
  | { readonly kind: 'contains' | 'startsWith'; readonly fid: string; readonly value: string }
  | { readonly kind: 'not'; readonly inner: FilterNode }
  | { readonly kind: 'and' | 'or'; readonly items: readonly FilterNode[] };

/** A filter the grammar refuses (Meilisearch answers `invalid_search_filter` / `invalid_document_filter`). */
export class FilterError extends Error {}

/** Nesting deeper than this is refused (the crate's MAX_FILTER_DEPTH). */
const MAX_DEPTH = 150;

const KEYWORDS = new Set(['AND', 'OR', 'IN', 'NOT', 'TO', 'EXISTS', 'IS', 'NULL', 'EMPTY', 'CONTAINS', 'STARTS', 'WITH', '_geoRadius', '_geoBoundingBox']);
const RESERVED = /^\s*(_geoRadius|_geoBoundingBox|_geoPolygon|_geoPoint|_geoDistance|_geo|_vectors|_foreign)\b/;
const isValueChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_.-]/u.test(c);
const OPERATION = 'Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, `_geoBoundingBox` or `_geoPolygon`';

/** Rust-style escapes (`\n`, `\t`, `\xHH`, `\u{…}`, `\\`, `\"`, `\'`) in a value, as the `unescaper` crate reads them. */
function unescape(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)/gs, (all, esc: string) => {
    if (esc.length > 1 && esc.startsWith('x')) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc.length > 1 && esc.startsWith('u{')) return String.fromCodePoint(parseInt(esc.slice(2, -1), 16));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" };
    const out = simple[esc];
    if (out === undefined) throw new FilterError(`Invalid escape \`${all}\``);
    return out;
  });
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly input: string) {}

  parse(): FilterNode {
    const node = this.or();
    this.spaces();
    if (this.pos < this.input.length) {
      const rest = this.input.slice(this.pos).replace(/['"]/g, '\\$&'); // Rust's escape_debug
      throw new FilterError(`Found unexpected characters at the end of the filter: \`${rest}\`. You probably forgot an \`OR\` or an \`AND\` rule.`);
    }
    return node;
  }

  private spaces(): void {
    while (this.pos < this.input.length && /\s/.test(this.input[this.pos]!)) this.pos++;
  }

  /** A bare word at the position (no space skipped before it), without consuming it. */
  private peekWord(): string {
    let end = this.pos;
    while (isValueChar(this.input[end])) end++;
    return this.input.slice(this.pos, end);
  }

  /** Consumes `word` (after optional spaces) when it is the next whole word. */
  private keyword(word: string): boolean {
    const start = this.pos;
    this.spaces();
    if (this.peekWord() === word) {
      this.pos += word.length;
      return true;
    }
    this.pos = start;
    return false;
  }

  private or(): FilterNode {
    const items = [this.and()];
    while (this.keyword('OR')) items.push(this.and());
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): FilterNode {
    const items = [this.not()];
    while (this.keyword('AND')) items.push(this.not());
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private not(): FilterNode {
    const start = this.pos;
    if (this.keyword('NOT') && /\s/.test(this.input[this.pos] ?? '')) {
      const inner = this.not();
      return inner.kind === 'not' ? inner.inner : { kind: 'not', inner };
    }
    this.pos = start;
    return this.primary();
  }

  private primary(): FilterNode {
    this.spaces();
    if (this.input[this.pos] === '(') {
      this.pos++;
      // each parenthesis goes through or → and → not → primary, four levels of the crate's depth count
      if (++this.depth * 4 > MAX_DEPTH) throw new FilterError('The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.');
      const inner = this.or();
      this.depth--;
      this.spaces();
      if (this.input[this.pos] !== ')') throw new FilterError('Expression `(` is missing the closing delimiter `)`.');
      this.pos++;
      return inner;
    }
    const reserved = RESERVED.exec(this.input.slice(this.pos));
    if (reserved) throw new FilterError(`\`${reserved[1]}\` filters are not modelled by the stub`);
    if (this.pos >= this.input.length) throw new FilterError(`${OPERATION} but instead got nothing.`);
    const fid = this.value();
    return this.afterField(fid);
  }

  /** What follows a field name: an operator and its operands. */
  private afterField(fid: string): FilterNode {
    const c = this.input.slice(this.pos, this.pos + 2);
    const op = (['<=', '>=', '!='] as const).find((o) => c === o) ?? (['<', '>', '='] as const).find((o) => c[0] === o);
    if (op !== undefined) {
      this.pos += op.length;
      return { kind: 'compare', fid, op, value: this.value() };
    }
    if (this.keyword('IN')) return { kind: 'in', fid, values: this.list() };
    if (this.keyword('EXISTS')) return { kind: 'exists', fid };
    if (this.keyword('CONTAINS')) return { kind: 'contains', fid, value: this.value() };
    if (this.keyword('STARTS')) return this.startsWith(fid);
    if (this.keyword('IS')) {
      const negated = this.keyword('NOT');
      const which = this.keyword('NULL') ? 'null' : this.keyword('EMPTY') ? 'empty' : undefined;
      if (which === undefined) throw new FilterError(`${OPERATION} at \`${this.input}\`.`);
      const node: FilterNode = { kind: which, fid };
      return negated ? { kind: 'not', inner: node } : node;
    }
    if (this.keyword('NOT')) {
      if (this.keyword('IN')) return { kind: 'not', inner: { kind: 'in', fid, values: this.list() } };
      if (this.keyword('EXISTS')) return { kind: 'not', inner: { kind: 'exists', fid } };
      if (this.keyword('CONTAINS')) return { kind: 'not', inner: { kind: 'contains', fid, value: this.value() } };
      if (this.keyword('STARTS')) return { kind: 'not', inner: this.startsWith(fid) };
      throw new FilterError(`${OPERATION} at \`${this.input}\`.`);
    }
    if (this.pos < this.input.length && !this.atKeyword()) {
      const from = this.value();
      if (this.keyword('TO')) return { kind: 'between', fid, from, to: this.value() };
    }
    throw new FilterError(`${OPERATION} at \`${this.input.slice(0, this.pos).trim() || this.input}\`.`);
  }

  private atKeyword(): boolean {
    return ['AND', 'OR'].includes(this.peekWord());
  }

  private startsWith(fid: string): FilterNode {
    if (!this.keyword('WITH')) throw new FilterError(`${OPERATION} at \`${this.input}\`.`);
    return { kind: 'startsWith', fid, value: this.value() };
  }

  /** `[a, b, …]` with an optional trailing comma. */
  private list(): string[] {
    this.spaces();
    if (this.input[this.pos] !== '[') throw new FilterError('Expected `[` after `IN` keyword.');
    this.pos++;
    const values: string[] = [];
    this.spaces();
    while (this.input[this.pos] !== ']') {
      if (this.pos >= this.input.length) throw new FilterError('Expected matching `]` after the list of field names given to `IN[`');
      values.push(this.value());
      this.spaces();
      if (this.input[this.pos] === ',') {
        this.pos++;
        this.spaces();
      } else if (this.input[this.pos] !== ']') {
        throw new FilterError('Expected only comma-separated field names inside `IN[..]` but instead found `' + this.input.slice(this.pos) + '`');
      }
    }
    this.pos++;
    return values;
  }

  /** A quoted or bare value, with the spaces around it. */
  private value(): string {
    this.spaces();
    const quote = this.input[this.pos];
    let raw: string;
    if (quote === '"' || quote === "'") {
      let end = this.pos + 1;
      while (end < this.input.length && this.input[end] !== quote) end += this.input[end] === '\\' ? 2 : 1;
      if (end >= this.input.length) throw new FilterError(`Expression \`${this.input.slice(this.pos)}\` is missing the following closing delimiter: \`${quote}\`.`);
      raw = this.input.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      raw = this.peekWord();
      if (raw === '') {
        const got = this.input.slice(this.pos).split(/[\s()=<>!]/)[0] ?? '';
        throw new FilterError(got === '' ? 'Was expecting a value but instead got nothing.' : `Was expecting a value but instead got \`${got}\`.`);
      }
      if (KEYWORDS.has(raw)) {
        throw new FilterError(`Was expecting a value but instead got \`${raw}\`, which is a reserved keyword. To use \`${raw}\` as a field name or a value, surround it by quotes.`);
      }
      this.pos += raw.length;
    }
    this.spaces();
    return unescape(raw);
  }
}

/** Parses one filter string (throws {@link FilterError}). */
export function parseFilter(text: string): FilterNode {
  return new Parser(text).parse();
}

/**
 * A `filter` parameter as Meilisearch reads it: a string, or an array whose elements are AND-ed and whose nested
 * arrays are OR-ed; undefined/null/empty filters nothing.
 */
export function parseFilterParam(filter: unknown): FilterNode | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter === 'string') return filter.trim() === '' ? undefined : parseFilter(filter);
  if (!Array.isArray(filter)) throw new FilterError(`Invalid syntax for the filter parameter: \`expected String, Array, found: ${JSON.stringify(filter)}\`.`);
  const and: FilterNode[] = [];
  for (const element of filter) {
    if (Array.isArray(element)) {
      const or = element.map((e) => {
        if (typeof e !== 'string') throw new FilterError(`Invalid syntax for the filter parameter: \`expected String, found: ${JSON.stringify(e)}\`.`);
        return parseFilter(e);
      });
      if (or.length > 0) and.push(or.length === 1 ? or[0]! : { kind: 'or', items: or });
    } else if (typeof element === 'string') {
      if (element.trim() !== '') and.push(parseFilter(element));
    } else throw new FilterError(`Invalid syntax for the filter parameter: \`expected String, Array, found: ${JSON.stringify(element)}\`.`);
  }
  if (and.length === 0) return undefined;
  return and.length === 1 ? and[0]! : { kind: 'and', items: and };
}

/** The crate's `Display` of a filter, e.g. `AND[{colour} IN[{green}, ], {x} = {1}, ]` (what its tests snapshot). */
export function displayFilter(node: FilterNode): string {
  const tok = (s: string) => `{${s}}`;
  switch (node.kind) {
    case 'compare':
      return `${tok(node.fid)} ${node.op} ${tok(node.value)}`;
    case 'in':
      return `${tok(node.fid)} IN[${node.values.map((v) => `${tok(v)}, `).join('')}]`;
    case 'between':
      return `${tok(node.fid)} ${tok(node.from)} TO ${tok(node.to)}`;
    case 'null':
      return `${tok(node.fid)} IS NULL`;
    case 'empty':
      return `${tok(node.fid)} IS EMPTY`;
    case 'exists':
      return `${tok(node.fid)} EXISTS`;
    case 'contains':
      return `${tok(node.fid)} CONTAINS ${tok(node.value)}`;
    case 'startsWith':
      return `${tok(node.fid)} STARTS WITH ${tok(node.value)}`;
    case 'not':
      return `NOT (${displayFilter(node.inner)})`;
    default:
      return `${node.kind.toUpperCase()}[${node.items.map((i) => `${displayFilter(i)}, `).join('')}]`;
  }
}

/** The fields a filter names, in order. */
export function filterFields(node: FilterNode): string[] {
  if (node.kind === 'not') return filterFields(node.inner);
  if (node.kind === 'and' || node.kind === 'or') return node.items.flatMap(filterFields);
  return 'fid' in node ? [node.fid] : [];
}

/**
 * The values at a dotted path of a document: `raw` as stored at the leaf, `values` with arrays flattened; `exists`
 * when some document node holds the key (even with `null`).
 */
export function valuesAt(doc: Record<string, unknown>, path: string): { exists: boolean; raw: unknown[]; values: unknown[] } {
  let level: unknown[] = [doc];
  let exists = false;
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    exists = false;
    for (const node of level.flatMap((n) => (Array.isArray(n) ? (n as unknown[]) : [n]))) {
      if (node === null || typeof node !== 'object' || !(part in node)) continue;
      exists = true;
      next.push((node as Record<string, unknown>)[part]);
    }
    level = next;
  }
  return { exists, raw: level, values: level.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v])) };
}

/** Meilisearch compares strings normalised (lower-cased, trimmed) and numbers as numbers. */
const norm = (v: unknown): string => String(v).trim().toLowerCase();

function equals(value: unknown, wanted: string): boolean {
  if (typeof value === 'number') return Number(wanted) === value && wanted.trim() !== '';
  if (typeof value === 'string') return norm(value) === norm(wanted);
  if (typeof value === 'boolean') return norm(wanted) === String(value);
  return false;
}

function compare(value: unknown, op: string, wanted: string): boolean {
  const n = Number(wanted);
  if (typeof value !== 'number' || wanted.trim() === '' || Number.isNaN(n)) {
    if (typeof value !== 'string') return false;
    const [a, b] = [norm(value), norm(wanted)]; // a string against a non-number: compared as text (not checked against the server)
    return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
  }
  return op === '>' ? value > n : op === '>=' ? value >= n : op === '<' ? value < n : value <= n;
}

/** True when `doc` passes `node` (NOT is the complement: documents without the field pass `!=` and `NOT IN`). */
export function matchesFilter(doc: Record<string, unknown>, node: FilterNode): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((i) => matchesFilter(doc, i));
    case 'or':
      return node.items.some((i) => matchesFilter(doc, i));
    case 'not':
      return !matchesFilter(doc, node.inner);
    default:
      break;
  }
  const { exists, raw, values } = valuesAt(doc, node.fid);
  switch (node.kind) {
    case 'exists':
      return exists;
    case 'null':
      return exists && values.some((v) => v === null);
    case 'empty': {
      const empty = (v: unknown) => v === '' || (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && Object.keys(v).length === 0);
      return raw.some(empty);
    }
    case 'compare':
      if (node.op === '=') return values.some((v) => equals(v, node.value));
      if (node.op === '!=') return !values.some((v) => equals(v, node.value));
      return values.some((v) => compare(v, node.op, node.value));
    case 'in':
      return values.some((v) => node.values.some((w) => equals(v, w)));
    case 'between':
      return values.some((v) => compare(v, '>=', node.from) && compare(v, '<=', node.to));
    default:
      throw new FilterError(`Using \`${node.kind === 'contains' ? 'CONTAINS' : 'STARTS WITH'}\` in a filter requires enabling the \`contains filter\` experimental feature.`);
  }
}
