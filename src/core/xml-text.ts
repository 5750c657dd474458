import { encodeXML } from 'entities';

/**
 * Every character XML 1.0 cannot carry, written out or as a character reference (its `Char` production: tab, LF,
 * CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF): the C0 controls but those three, lone surrogates (a
 * well-formed pair is one code point above U+FFFF, kept), U+FFFE and U+FFFF.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * `s` as the text of an XML 1.0 element or attribute value: the characters XML cannot carry dropped (a parser
 * refuses the whole document for one of them, even as `&#x1;`), then `&`, `<`, `>`, `"`, `'` and every character
 * beyond ASCII written as references (entities' `encodeXML`). Text with none of them is only escaped.
 */
export function xmlText(s: string): string {
  return encodeXML(s.replace(NOT_XML_CHAR, ''));
}
