import fc from 'fast-check';
import { jsonErrorOffset, positionAt } from '../../indexer/sources/json-error-position.js';

/** V8's position of a JSON.parse error, when its message names one (the end of the text for a cut-off text). */
function v8Offset(text: string): number | undefined | 'none' {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const at = / at position (\d+)/.exec(message);
    if (at) return Number(at[1]);
    return /Unexpected end of JSON input/.test(message) ? text.length : 'none';
  }
}

/** A JSON text with one character deleted, replaced or inserted: mostly not JSON any more. */
const damagedJson = fc
  .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom('delete', 'replace', 'insert'), fc.constantFrom(...',:[]{}"\\ \n0-.etx'.split('')))
  .map(([text, at, how, c]) => {
    const k = text.length === 0 ? 0 : at % text.length;
    if (how === 'delete') return text.slice(0, k) + text.slice(k + 1);
    return text.slice(0, k) + c + text.slice(how === 'replace' ? k + 1 : k);
  });

describe('jsonErrorOffset (where a JSON text stops being JSON)', () => {
  it('when a text is JSON, then there is no error; when not, there is one (as JSON.parse decides)', () => {
    fc.assert(
      fc.property(damagedJson, (text) => {
        expect(jsonErrorOffset(text) === undefined).toBe(v8Offset(text) === undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('when V8 names a position, then the offset is that position', () => {
    fc.assert(
      fc.property(damagedJson, (text) => {
        const v8 = v8Offset(text);
        if (typeof v8 === 'number') expect(jsonErrorOffset(text)).toBe(v8);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['[\n  {"a": tru}\n]', 13], // V8: "Unexpected token '}', …" (no position)
    ['[[],]', 4],
    ['[,]', 1],
    ['[{"a":1},\n{"a":', 15], // cut off: the end
    ['[1.]', 3],
  ])('when V8 names no position (%j), then the offset is the first character that cannot follow', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('when nesting is deep, then the scan takes no stack', () => {
    expect(jsonErrorOffset(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).toBeUndefined();
    expect(jsonErrorOffset(`${'['.repeat(200_000)}}`)).toBe(200_000);
  });

  it('then positions count lines at LF, CRLF and CR and columns from 1', () => {
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\r\ncd\rx', 7)).toEqual({ line: 3, column: 1 });
    expect(positionAt('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});
