import fc from 'fast-check';
import { MARK_CLOSE, MARK_OPEN, escapeHtml, renderMarked } from '../../src/core/highlight.js';

const marked = (text: string): string => `${MARK_OPEN}${text}${MARK_CLOSE}`;
const withoutMarks = (html: string): string => html.replaceAll('<mark>', '').replaceAll('</mark>', '');

describe('escapeHtml', () => {
  it('when text holds the five HTML-significant characters, then each is escaped', () => {
    expect(escapeHtml(`<b>"Tom" & 'Jerry'</b>`)).toBe('&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;');
  });

  it('when text is already escaped, then the ampersand is escaped again', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('when text holds nothing to escape, then it is unchanged', () => {
    expect(escapeHtml('Erdoğan visits Ankara')).toBe('Erdoğan visits Ankara');
  });
});

describe('renderMarked', () => {
  it('when a match is marked, then it is wrapped in <mark> and the rest is escaped', () => {
    expect(renderMarked(`${marked('Oil')} & <gas>`)).toBe('<mark>Oil</mark> &amp; &lt;gas&gt;');
  });

  it('when a marked match holds HTML, then the HTML inside the mark is escaped too', () => {
    expect(renderMarked(marked('<script>'))).toBe('<mark>&lt;script&gt;</mark>');
  });

  it('when the text holds literal <mark> tags, then they are escaped, not kept', () => {
    expect(renderMarked('<mark>fake</mark>')).toBe('&lt;mark&gt;fake&lt;/mark&gt;');
  });

  it('when the text holds stray control characters, then they are removed', () => {
    expect(renderMarked('a\u0000b\u0001c\u0004d\u0008e')).toBe('abcde');
  });

  it('when there is no mark, then the output is only the escaped text', () => {
    expect(renderMarked('plain "text"')).toBe('plain &quot;text&quot;');
  });

  describe('properties', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 10 }),
      fc.constantFrom(MARK_OPEN, MARK_CLOSE, '<', '>', '&', '"', "'", '<mark>', '</mark>', '<script>', '\u0000'),
    );
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

    it('when any text is rendered, then the output holds no "<" or ">" outside <mark> and </mark>', () => {
      fc.assert(
        fc.property(text, (raw) => {
          const rest = withoutMarks(renderMarked(raw));
          expect(rest).not.toContain('<');
          expect(rest).not.toContain('>');
        }),
      );
    });

    it('when any text is rendered, then there is one <mark> per MARK_OPEN and one </mark> per MARK_CLOSE', () => {
      fc.assert(
        fc.property(text, (raw) => {
          const html = renderMarked(raw);
          expect(html.split('<mark>').length).toBe(raw.split(MARK_OPEN).length);
          expect(html.split('</mark>').length).toBe(raw.split(MARK_CLOSE).length);
        }),
      );
    });

    it('when text without control characters is rendered, then unescaping it gives the text back', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (raw) => {
          fc.pre(![...raw].some((c) => c.charCodeAt(0) <= 8));
          const back = renderMarked(raw)
            .replaceAll('&lt;', '<')
            .replaceAll('&gt;', '>')
            .replaceAll('&quot;', '"')
            .replaceAll('&#39;', "'")
            .replaceAll('&amp;', '&');
          expect(back).toBe(raw);
        }),
      );
    });
  });
});
