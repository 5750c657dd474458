import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Meilisearch's own artifacts in ../shared/meilisearch (its README says where each comes from): read at test time,
 * never copied into the repository. Tests that need them skip with a message when the folder is absent.
 */

export const MEILI_SHARED = path.resolve(fileURLToPath(new URL('../../../shared/meilisearch', import.meta.url)));
export const MEILI_CRATES = path.join(MEILI_SHARED, 'meilisearch-v1.50.0-crates');
export const MEILI_TESTS = path.join(MEILI_CRATES, 'meilisearch', 'tests');

/** True when the artifacts are here; otherwise says so once on stderr, naming `what` needs them. */
export function haveMeiliArtifacts(what: string): boolean {
  const present = fs.existsSync(path.join(MEILI_SHARED, 'openapi-v1.49.0.json')) && fs.existsSync(MEILI_TESTS);
  if (!present) console.warn(`skipping ${what}: Meilisearch's artifacts are not in ${MEILI_SHARED}`);
  return present;
}

/** A file of the artifacts, as text. */
export const readArtifact = (...parts: string[]): string => fs.readFileSync(path.join(MEILI_SHARED, ...parts), 'utf8');

/** The body of the Rust test function `name` in `file` (under the server's tests), or undefined when absent. */
export function rustTestBody(file: string, name: string): string | undefined {
  const text = fs.readFileSync(path.join(MEILI_TESTS, file), 'utf8');
  const start = text.search(new RegExp(`async fn ${name}\\s*\\(`));
  if (start === -1) return undefined;
  const next = text.slice(start + 1).search(/\n(?:#\[|async fn |fn |pub )/);
  return next === -1 ? text.slice(start) : text.slice(start, start + 1 + next);
}

/**
 * The value of a Rust string literal at the start of `source` (`"…"` with escapes, `r"…"`, `r#"…"#`…), and the
 * length it takes; undefined when `source` does not start with one.
 */
export function rustString(source: string): { value: string; length: number } | undefined {
  const raw = /^r(#*)"/.exec(source);
  if (raw) {
    const close = `"${raw[1]}`;
    const end = source.indexOf(close, raw[0].length);
    if (end === -1) return undefined;
    return { value: source.slice(raw[0].length, end), length: end + close.length };
  }
  if (!source.startsWith('"')) return undefined;
  let value = '';
  for (let i = 1; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"') return { value, length: i + 1 };
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = source[++i]!;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" };
    if (e in simple) value += simple[e];
    else if (e === 'x') {
      value += String.fromCharCode(parseInt(source.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u') {
      const close = source.indexOf('}', i);
      value += String.fromCodePoint(parseInt(source.slice(i + 2, close), 16));
      i = close;
    } else if (e === '\n') {
      while (/\s/.test(source[i + 1] ?? '')) i++; // a line continuation
    } else throw new Error(`unknown Rust escape \\${e}`);
  }
  return undefined;
}

/** An insta inline snapshot's text as insta compares it: common indentation and the outer blank lines removed. */
export function snapshotText(literal: string): string {
  if (!literal.includes('\n')) return literal;
  const lines = literal.split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** One `insta::assert_snapshot!(p(INPUT), @EXPECTED)` of the filter parser's unit tests. */
export interface FilterGrammarCase {
  readonly line: number;
  readonly input: string;
  readonly expected: string;
  /** Cases in the crate's `fn error()` test expect a parse error (its message, then `from:to input`). */
  readonly error: boolean;
}

/** Every `p(…)` snapshot of filter-parser/src/lib.rs, in file order. */
export function filterGrammarCases(): FilterGrammarCase[] {
  const text = fs.readFileSync(path.join(MEILI_CRATES, 'filter-parser', 'src', 'lib.rs'), 'utf8');
  const errorsFrom = text.indexOf('fn error()');
  const cases: FilterGrammarCase[] = [];
  const marker = 'insta::assert_snapshot!(p(';
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
    const input = rustString(text.slice(at + marker.length));
    if (!input) continue;
    const rest = text.slice(at + marker.length + input.length);
    const snap = /^\),\s*@/.exec(rest);
    if (!snap) continue;
    const expected = rustString(rest.slice(snap[0].length));
    if (!expected) continue;
    const line = text.slice(0, at).split('\n').length;
    cases.push({ line, input: input.value, expected: snapshotText(expected.value), error: errorsFrom !== -1 && at > errorsFrom });
  }
  return cases;
}
