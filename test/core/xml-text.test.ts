import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { xmlText } from '../../src/core/xml-text.js';

/** The text and the `v` attribute of `<t v="…">…</t>` as a conforming XML 1.0 parser reads them (saxes throws if ill-formed). */
function parsed(xml: string): { text: string; attribute: string } {
  const parser = new SaxesParser();
  let text = '';
  let attribute = '';
  let inside = false;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    attribute = String(tag.attributes['v']);
    inside = true;
  });
  parser.on('closetag', () => {
    inside = false;
  });
  parser.on('text', (t) => {
    if (inside) text += t;
  });
  parser.write(xml).close();
  return { text, attribute };
}

const inDocument = (s: string) => parsed(`<?xml version="1.0" encoding="utf-8"?>\n<t v="${xmlText(s)}">${xmlText(s)}</t>`);

describe('xmlText, text an XML 1.0 document can carry', () => {
  it('when the text holds control characters, lone surrogates, U+FFFE or U+FFFF, then they are left out and the document is well-formed', () => {
    const given = 'Ferry\u0000\u0001 & <co> "q" \'a\'\t\n\u0002\u001f\u007f\u0085 \ud800x\udfff \ufffe\uffff\ufffd caf\u00e9 \u{1f600}';
    const kept = 'Ferry & <co> "q" \'a\'\t\n\u007f\u0085 x \ufffd caf\u00e9 \u{1f600}';
    expect(() => parsed(`<t>${'\u0001'}</t>`)).toThrow();
    const { text, attribute } = inDocument(given);
    expect(text).toBe(kept);
    // an attribute value's tab and line feed are normalised to spaces by every XML parser (XML 1.0 §3.3.3)
    expect(attribute).toBe(kept.replace(/[\t\n]/g, ' '));
  });

  it('when the text is any string of code units, then the document is well-formed and keeps every character XML allows', () => {
    const allowed = /[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), (a, b) => {
        const s = a + b;
        const expected = [...s].filter((c) => allowed.test(c)).join('').replace(/\r\n?/g, '\n'); // XML reads CRLF and CR as LF
        expect(inDocument(s).text).toBe(expected);
      }),
    );
  });
});
