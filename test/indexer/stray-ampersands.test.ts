import fc from 'fast-check';
import { StrayAmpersands } from '../../indexer/sources/stray-ampersands.js';

const whole = (s: string): string => new StrayAmpersands().push(s, true);

describe('StrayAmpersands (raw "&" in feeds)', () => {
  it('when text holds stray and proper ampersands, then only the stray ones are escaped, never in comments or CDATA', () => {
    expect(whole('<a href="x?a=1&b=2">t &amp; u &eacute; &#38; &#x26; v & w &&</a><!-- a & b --><![CDATA[ c & d ]]>')).toBe(
      '<a href="x?a=1&amp;b=2">t &amp; u &eacute; &#38; &#x26; v &amp; w &amp;&amp;</a><!-- a & b --><![CDATA[ c & d ]]>',
    );
  });

  it('when the same text arrives in chunks split anywhere, then the output is the same as in one piece', () => {
    const alphabet = fc.constantFrom('&', 'amp;', '#38;', 'x', ' ', '<', '!', '[CDATA[', ']]>', '<!--', '-->', 'eacute;', '<b>');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }), (parts, sizes) => {
        const text = parts.join('');
        const f = new StrayAmpersands();
        let out = '';
        for (let i = 0, k = 0; i < text.length; i += sizes[k++ % sizes.length]!) out += f.push(text.slice(i, i + sizes[k % sizes.length]!));
        out += f.push('', true);
        return out === whole(text);
      }),
    );
  });
});
