/**
 * Escapes the stray `&` of XML text as `&amp;`: feeds written by hand or by string templates put raw ampersands in
 * links (`?a=1&b=2`), and a strict parser then reads the rest of the file as one unterminated entity name, so every
 * later item vanishes. An `&` that starts a character or entity reference (`&#38;`, `&#x26;`, `&amp;`, `&eacute;`)
 * is left alone, and so is everything inside CDATA sections and comments. Works on a stream of chunks: a chunk
 * end that might split a reference or a `<![CDATA[` / `<!--` opener is held back until the next chunk.
 */

/** Longest entity reference waited for across a chunk end (HTML's longest names are about 32 characters). */
const MAX_REFERENCE = 64;
const REFERENCE = /^&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);/;
const MAYBE_REFERENCE = /^&[#\w.-]*$/;
const MARKERS = /&|<!\[CDATA\[|<!--/g;
const ENDS: Readonly<Record<'cdata' | 'comment', string>> = { cdata: ']]>', comment: '-->' };

/** A streaming stray-ampersand escaper (see the module comment). */
export class StrayAmpersands {
  private carry = '';
  private mode: 'text' | 'cdata' | 'comment' = 'text';

  /** The next chunk with its stray ampersands escaped; `final` flushes what was held back. */
  push(chunk: string, final = false): string {
    const s = this.carry + chunk;
    this.carry = '';
    let out = '';
    let i = 0;
    while (i < s.length) {
      if (this.mode !== 'text') {
        const end = ENDS[this.mode];
        const j = s.indexOf(end, i);
        if (j === -1) return out + this.hold(s, i, Math.max(i, s.length - end.length + 1), final);
        out += s.slice(i, j + end.length);
        i = j + end.length;
        this.mode = 'text';
        continue;
      }
      MARKERS.lastIndex = i;
      const m = MARKERS.exec(s);
      if (m === null) {
        const lastOpen = s.lastIndexOf('<');
        return out + this.hold(s, i, lastOpen >= i && s.length - lastOpen < 9 ? lastOpen : s.length, final);
      }
      out += s.slice(i, m.index);
      i = m.index;
      if (m[0] !== '&') {
        out += m[0];
        i += m[0].length;
        this.mode = m[0] === '<!--' ? 'comment' : 'cdata';
        continue;
      }
      const rest = s.slice(i, i + MAX_REFERENCE);
      const reference = REFERENCE.exec(rest);
      if (reference) {
        out += reference[0];
        i += reference[0].length;
      } else if (!final && rest.length < MAX_REFERENCE && MAYBE_REFERENCE.test(rest)) {
        return out + this.hold(s, i, i, final); // the chunk may end inside a reference
      } else {
        out += '&amp;';
        i += 1;
      }
    }
    return out;
  }

  /** `s[from, keepFrom)` now, and `s[keepFrom…]` held for the next chunk (all of it now when `final`). */
  private hold(s: string, from: number, keepFrom: number, final: boolean): string {
    if (final) return s.slice(from);
    this.carry = s.slice(keepFrom);
    return s.slice(from, keepFrom);
  }
}
