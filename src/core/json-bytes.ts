import { AppError } from './errors.js';

/** What a body that is not JSON is told (body-parser's `entity.parse.failed`, in our words). */
export const NOT_JSON = 'the request body is not valid JSON';

/**
 * What a body that is not UTF-8 is told: its bytes are refused, never patched with U+FFFD (which would store
 * "caf\uFFFD" for a Latin-1 "café"), as the indexer refuses such a line.
 */
export const NOT_UTF8 = 'the request body is not valid UTF-8';

/** Strict UTF-8 with a byte-order mark dropped: a byte sequence that is not UTF-8 throws. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** JSON's whitespace: space, tab, line feed, carriage return (body-parser's strict check skips these). */
const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** The first character of `text` that is not JSON whitespace, if any. */
function firstNonBlank(text: string): string | undefined {
  for (const char of text) if (!JSON_WHITESPACE.has(char)) return char;
  return undefined;
}

/** `bytes` as strict UTF-8 text (a leading byte-order mark dropped); `invalid_request` with {@link NOT_UTF8} otherwise. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch (error) {
    throw new AppError('invalid_request', NOT_UTF8, { cause: error });
  }
}

/**
 * A JSON request body read as the API's `json()` reads one (http/json-body.ts: body-parser, strict, and UTF-8 checked):
 * strict UTF-8 (`invalid_request` with {@link NOT_UTF8} otherwise), an empty body is `{}`, anything else must be an
 * object or an array; otherwise `invalid_request` with {@link NOT_JSON}. For a process that takes a body as bytes
 * and parses it elsewhere than the HTTP worker (the write thread, storage/write-thread.ts).
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes);
  if (text.length === 0) return {};
  const first = firstNonBlank(text);
  if (first !== '{' && first !== '[') throw new AppError('invalid_request', NOT_JSON);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('invalid_request', NOT_JSON, { cause: error });
  }
}
