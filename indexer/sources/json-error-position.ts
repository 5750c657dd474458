/**
 * Where a JSON text stops being JSON. V8's `JSON.parse` names a character position for some errors and none for
 * others (`Unexpected token '}', "…" is not valid JSON`, `Unexpected end of JSON input`), so a reader that must say
 * `file:line:column` finds the place itself, once parsing has failed.
 */

// RFC 8259 forbids raw control characters in strings: the pattern must name them
// eslint-disable-next-line no-control-regex
const STRING_PREFIX = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;
/** A number, its fraction and exponent allowed to lack digits so that the error can point where one is missing. */
const NUMBER = /(-?(?:0|[1-9]\d*))(\.\d*)?([eE][+-]?\d*)?/y;
const HEX_DIGITS = /[0-9a-fA-F]{0,3}/y;
const WHITESPACE = /[ \t\n\r]*/y;
const LITERALS = ['true', 'false', 'null'] as const;

/** A line (from 1) and column (from 1, in UTF-16 code units) in a text. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * The offset (UTF-16 code units, from 0) of the first character at which `text` is no longer JSON (RFC 8259), or
 * `text.length` when it ends too early; undefined when it is JSON. Iterative, so nesting depth costs no stack.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const open: string[] = []; // the brackets and braces still open
  let i = skip(text, 0, WHITESPACE);
  for (;;) {
    // a value is expected at i (in an object: a key, then ':', then the value)
    if (open.at(-1) === '{') {
      if (text[i] !== '"') return i;
      const key = stringEnd(text, i);
      if (key.error !== undefined) return key.error;
      i = skip(text, key.end, WHITESPACE);
      if (text[i] !== ':') return i;
      i = skip(text, i + 1, WHITESPACE);
    }
    const after = valueEnd(text, i, open);
    if (after.error !== undefined) return after.error;
    i = skip(text, after.end, WHITESPACE);
    if (after.opened) {
      const close = open.at(-1) === '[' ? ']' : '}';
      if (text[i] !== close) continue;
      open.pop();
      i = skip(text, i + 1, WHITESPACE);
    }
    // after a value: ',' goes on, a closing bracket ends its container (perhaps several)
    for (;;) {
      const top = open.at(-1);
      if (top === undefined) return i === text.length ? undefined : i;
      if (text[i] === ',') break;
      if (text[i] !== (top === '[' ? ']' : '}')) return i;
      open.pop();
      i = skip(text, i + 1, WHITESPACE);
    }
    i = skip(text, i + 1, WHITESPACE);
  }
}

/** The end of the value at `i`, or of its opening bracket (`opened`), or the offset of its first bad character. */
function valueEnd(text: string, i: number, open: string[]): { end: number; opened?: boolean; error?: number } {
  const c = text[i];
  if (c === '[' || c === '{') {
    open.push(c);
    return { end: i + 1, opened: true };
  }
  if (c === '"') return stringEnd(text, i);
  const literal = LITERALS.find((word) => word[0] === c);
  if (literal !== undefined) {
    for (let k = 1; k < literal.length; k++) if (text[i + k] !== literal[k]) return { end: i + k, error: i + k };
    return { end: i + literal.length };
  }
  NUMBER.lastIndex = i;
  const number = NUMBER.exec(text);
  if (number === null) return { end: i, error: c === '-' ? i + 1 : i };
  const [all, whole = '', fraction = '', exponent = ''] = number;
  // a fraction or exponent without digits: the error is where the first digit is missing
  if (fraction === '.') return { end: i, error: i + whole.length + 1 };
  if (exponent !== '' && !/\d/.test(exponent)) return { end: i, error: i + all.length };
  return { end: i + all.length };
}

/** From a string's opening quote at i: the offset just past its closing quote, or of the first character that cannot be in it. */
function stringEnd(text: string, i: number): { end: number; error?: number } {
  const end = skip(text, i, STRING_PREFIX);
  if (text[end] === '"') return { end: end + 1 };
  if (text[end] !== '\\') return { end, error: end }; // a control character, or the text's end
  if (text[end + 1] !== 'u') return { end, error: end + 1 }; // the character that cannot be escaped
  return { end, error: skip(text, end + 2, HEX_DIGITS) }; // the first of the four that is not a hex digit
}

function skip(text: string, i: number, pattern: RegExp): number {
  pattern.lastIndex = i;
  const match = pattern.exec(text);
  return match === null ? i : i + match[0].length;
}

/** The line and column of an offset in a text: lines end at LF, CRLF or CR. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(k + 1) !== 0x0a)) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
