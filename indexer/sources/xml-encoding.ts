/**
 * The character encoding of an XML file, found as XML 1.0 (Appendix F) says: by its byte order mark, else by how
 * `<?xml` is spelled in its first four bytes (UTF-16/32 without a BOM), else by the `encoding` of its XML
 * declaration; UTF-8 when nothing says otherwise. Decoding is strict: bytes that are not valid in the encoding
 * found are an error, never silently replaced.
 */

/** An encoding found for a file: a WHATWG encoding label (or `utf-32le`/`utf-32be`) and the BOM's length in bytes. */
export interface XmlEncoding {
  readonly encoding: string;
  readonly bomLength: number;
  /** Set when the declaration names an encoding this reader cannot decode (UTF-8 is used instead). */
  readonly unknownDeclared?: string;
}

const startsWith = (b: Uint8Array, ...bytes: number[]): boolean => bytes.every((x, i) => b[i] === x);

/** The encoding named by an ASCII-compatible file's XML declaration, if any. */
function declared(head: Uint8Array): string | undefined {
  const text = new TextDecoder('latin1').decode(head.subarray(0, 1024));
  return /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(text)?.[1]?.toLowerCase();
}

/** Whether TextDecoder knows an encoding label. */
function known(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** The encoding of an XML file from its first bytes (at least the first 4, ideally the first 1 KiB). */
export function sniffXmlEncoding(head: Uint8Array): XmlEncoding {
  if (startsWith(head, 0xef, 0xbb, 0xbf)) return { encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, 0x00, 0x00, 0xfe, 0xff)) return { encoding: 'utf-32be', bomLength: 4 };
  if (startsWith(head, 0xff, 0xfe, 0x00, 0x00)) return { encoding: 'utf-32le', bomLength: 4 };
  if (startsWith(head, 0xfe, 0xff)) return { encoding: 'utf-16be', bomLength: 2 };
  if (startsWith(head, 0xff, 0xfe)) return { encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, 0x00, 0x00, 0x00)) return { encoding: 'utf-32be', bomLength: 0 };
  if (head[0] !== 0x00 && startsWith(head.subarray(1), 0x00, 0x00, 0x00)) return { encoding: 'utf-32le', bomLength: 0 };
  if (head[0] === 0x00 && head[1] !== 0x00) return { encoding: 'utf-16be', bomLength: 0 };
  if (head[0] !== 0x00 && head[1] === 0x00) return { encoding: 'utf-16le', bomLength: 0 };
  const label = declared(head);
  // a declaration saying UTF-16/32 in a file spelled in single bytes is wrong about itself: the bytes win
  if (label === undefined || /^(?:utf-?16|utf-?32|ucs-?[24]|iso-10646)/.test(label)) return { encoding: 'utf-8', bomLength: 0 };
  return known(label) ? { encoding: label, bomLength: 0 } : { encoding: 'utf-8', bomLength: 0, unknownDeclared: label };
}

/** Decodes UTF-32 (which TextDecoder lacks) in a stream of chunks, strictly. */
class Utf32Decoder {
  private rest = new Uint8Array(0);

  constructor(private readonly littleEndian: boolean) {}

  decode(chunk: Uint8Array = new Uint8Array(0), options: { stream?: boolean } = {}): string {
    const bytes = new Uint8Array(this.rest.length + chunk.length);
    bytes.set(this.rest);
    bytes.set(chunk, this.rest.length);
    const whole = bytes.length - (bytes.length % 4);
    if (!options.stream && whole !== bytes.length) throw new TypeError('The encoded data was not valid for encoding utf-32');
    this.rest = bytes.slice(whole);
    const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
    let out = '';
    for (let i = 0; i < whole; i += 4) {
      const code = view.getUint32(i, this.littleEndian);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new TypeError('The encoded data was not valid for encoding utf-32');
      out += String.fromCodePoint(code);
    }
    return out;
  }
}

/**
 * A streaming decoder for an encoding found by {@link sniffXmlEncoding}: strict by default (decode errors are
 * TypeErrors), or replacing invalid bytes with U+FFFD when `fatal` is false (UTF-32 is always strict).
 */
export function xmlDecoder(found: XmlEncoding, fatal = true): { decode(chunk?: Uint8Array, options?: { stream?: boolean }): string } {
  if (found.encoding === 'utf-32le' || found.encoding === 'utf-32be') return new Utf32Decoder(found.encoding === 'utf-32le');
  return new TextDecoder(found.encoding, { fatal, ignoreBOM: true });
}

/** A whole XML file decoded (BOM left out), with the encoding used. Throws a TypeError on bytes invalid in it. */
export function decodeXml(bytes: Uint8Array): { text: string; encoding: XmlEncoding } {
  const encoding = sniffXmlEncoding(bytes);
  return { text: xmlDecoder(encoding).decode(bytes.subarray(encoding.bomLength)), encoding };
}

/** Windows-1252's characters at 0x80–0x9F (undefined bytes stay as they are). */
const WINDOWS_1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * C1 control characters (U+0080–U+009F) as the Windows-1252 characters they stand for: feeds written on Windows
 * say `&#146;` or `&#150;` meaning ’ and –, or declare ISO-8859-1 for Windows-1252 bytes (and Node 20's decoder
 * reads `windows-1252` as ISO-8859-1); no text means the control characters themselves.
 */
export const fromC1Controls = (s: string): string => s.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]!);
