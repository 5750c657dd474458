import fc from 'fast-check';
import { MARK_CLOSE, MARK_OPEN } from '../../src/core/highlight.js';
import { cropSnippet, highlightText } from '../../src/core/highlighter.js';
import type { MatchTerms } from '../../src/core/highlighter.js';
import { foldText } from '../../src/core/normalize.js';

/**
 * The plain statement of the rules (every token found by a regular expression, every one kept), against which the
 * fast tokenizer of src/core/highlighter.ts is checked: same marks, same snippet window, on any text.
 */
const oracle = (() => {
  const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;
  // eslint-disable-next-line no-control-regex -- ASCII test
  const ASCII = /^[\u0000-\u007f]*$/;
  const tokens = (text: string, { words, prefixes }: MatchTerms) => {
    const ascii = ASCII.test(text);
    const pattern = ascii ? /[a-z0-9]+/g : TOKEN;
    const source = ascii ? text.toLowerCase() : text;
    pattern.lastIndex = 0;
    const list: { start: number; end: number; match: string | undefined }[] = [];
    for (let m = pattern.exec(source); m !== null; m = pattern.exec(source)) {
      const folded = ascii ? m[0] : foldText(m[0]);
      const hit = words.has(folded) || prefixes.some((p) => folded.startsWith(p));
      list.push({ start: m.index, end: m.index + m[0].length, match: hit ? folded : undefined });
    }
    return list;
  };
  const mark = (text: string, list: ReturnType<typeof tokens>, from: number, to: number) => {
    let out = '';
    let at = from;
    for (const t of list) {
      if (t.match === undefined || t.start < from || t.end > to) continue;
      out += text.slice(at, t.start) + MARK_OPEN + text.slice(t.start, t.end) + MARK_CLOSE;
      at = t.end;
    }
    return out + text.slice(at, to);
  };
  return {
    highlight: (text: string, terms: MatchTerms) => mark(text, tokens(text, terms), 0, text.length),
    snippet: (text: string, terms: MatchTerms, words = 30) => {
      const list = tokens(text, terms);
      if (list.length === 0) return '';
      let best = 0;
      let bestScore = 0;
      for (let end = 0; end < list.length; end++) {
        const start = Math.max(0, end - words + 1);
        const score = new Set(list.slice(start, end + 1).flatMap((t) => (t.match === undefined ? [] : [t.match]))).size;
        if (score > bestScore) {
          bestScore = score;
          best = start;
        }
      }
      const last = Math.min(list.length, best + words) - 1;
      const cutEnd = last < list.length - 1;
      const to = cutEnd ? list[last]!.end : text.length;
      return `${best > 0 ? '…' : ''}${mark(text, list, best === 0 ? 0 : list[best]!.start, to).trim()}${cutEnd ? '…' : ''}`;
    },
  };
})();

const WORDS = ['oil', 'prices', 'price', 'opec', 'crude', 'Zoë', 'Halvorsen', 'naïve', '2026', 'a', 'Straße', '東京', 'café', 'X'];
const text = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(' ', ', ', '. ', '\n', '-', '—', "'s ", '  ')), { maxLength: 200 }).map((parts) => parts.join(''));
const terms = fc.record({
  words: fc.array(fc.constantFrom(...WORDS.map((w) => foldText(w.toLowerCase())), 'pric', 'xyz'), { maxLength: 4 }).map((ws) => new Set(ws)),
  prefixes: fc.array(fc.constantFrom('pri', 'cr', 'o', 'hal', '20', 'caf'), { maxLength: 2 }),
});

describe('highlighting and snippets', () => {
  it('when any text and any match terms are highlighted, then the marks are those of the plain rules', () => {
    fc.assert(fc.property(text, terms, (t, m) => expect(highlightText(t, m)).toBe(oracle.highlight(t, m))), { numRuns: 500 });
  });

  it('when a snippet of any text is cropped, then it is the window the plain rules choose, marked alike', () => {
    fc.assert(
      fc.property(text, terms, fc.integer({ min: 1, max: 40 }), (t, m, words) => expect(cropSnippet(t, m, words)).toBe(oracle.snippet(t, m, words))),
      { numRuns: 500 },
    );
  });

  it('when the best window is late in the text, then the snippet is the earliest window holding every matched word, cut with ellipses', () => {
    const body = `${'filler '.repeat(50)}OPEC agreed to cut crude output as oil prices fell. ${'more '.repeat(50)}`;
    const snippet = cropSnippet(body, { words: new Set(['opec', 'crude', 'prices']), prefixes: [] }, 10);
    expect(snippet).toBe(`…filler ${MARK_OPEN}OPEC${MARK_CLOSE} agreed to cut ${MARK_OPEN}crude${MARK_CLOSE} output as oil ${MARK_OPEN}prices${MARK_CLOSE}…`);
  });
});
