import { AppError } from './errors.js';

/** What a body that is not JSON is told (body-parser's `entity.parse.failed`, in our words). */
export const NOT_JSON = 'the request body is not valid JSON';

/** UTF-8 with a byte-order mark dropped and invalid sequences replaced, as body-parser's iconv-lite decodes. */
const UTF8 = new TextDecoder('utf-8');
/** JSON's whitespace: space, tab, line feed, carriage return (body-parser's strict check skips these). */
const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** The first character of `text` that is not JSON whitespace, if any. */
function firstNonBlank(text: string): string | undefined {
  for (const char of text) if (!JSON_WHITESPACE.has(char)) return char;
  return undefined;
}

/**
 * A JSON request body read as Express's `json()` reads one (strict): UTF-8, an empty body is `{}`, anything else
 * must be an object or an array; otherwise `invalid_request` with {@link NOT_JSON}. For a process that takes a body
 * as bytes and parses it elsewhere than the HTTP worker (the write thread, storage/write-thread.ts).
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  const text = UTF8.decode(bytes);
  if (text.length === 0) return {};
  const first = firstNonBlank(text);
  if (first !== '{' && first !== '[') throw new AppError('invalid_request', NOT_JSON);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('invalid_request', NOT_JSON, { cause: error });
  }
}
