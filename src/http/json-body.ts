import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import type { RequestHandler } from 'express';
import express from 'express';
import { AppError } from '../core/errors.js';
import { NOT_UTF8, parseJsonBytes } from '../core/json-bytes.js';
import { DETAIL_BY_TYPE } from './framework-errors.js';

/** The one-shot decoders of the encodings body-parser accepts, each bounded in output. */
const DECODERS: Record<string, (input: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions, done: zlib.CompressCallback) => void> = {
  gzip: zlib.gunzip,
  deflate: zlib.inflate,
  br: zlib.brotliDecompress,
};

/**
 * Output produced per call on libuv's thread pool. Node's one-shot decoders run as a stream underneath, one
 * event-loop turn per chunk: at zlib's default 16 KiB a body decoded to a 10 MB limit takes ~640 turns, and each
 * waits behind whatever else its worker does (bench:attack: a gzip bomb refused after 5.5–7 s). 1 MiB makes it ≤ 11.
 */
const DECODE_CHUNK_BYTES = 1024 * 1024;

/**
 * A compressed body decoded with its output bounded by `limitBytes` (`payload_too_large` past it, `invalid_request`
 * for data that is not of its encoding), in at most `limitBytes / 1 MiB + 1` turns of the event loop.
 * `encoding` is the request's `Content-Encoding` (gzip, deflate or br; anything else is a programming error).
 */
export function decodeBounded(raw: Buffer, encoding: string, limitBytes: number): Promise<Buffer> {
  const decode = DECODERS[encoding];
  if (decode === undefined) throw new TypeError(`no decoder for ${encoding}`);
  return new Promise<Buffer>((resolve, reject) =>
    decode(raw, { maxOutputLength: limitBytes, chunkSize: DECODE_CHUNK_BYTES }, (error, out) => {
      if (!error) resolve(out);
      else if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') reject(new AppError('payload_too_large', DETAIL_BY_TYPE['entity.too.large']!));
      else reject(new AppError('invalid_request', `the request body is not valid ${encoding} data`));
    }),
  );
}

/**
 * Reads a request's raw bytes: 413 past `limitBytes` (at once when its Content-Length says so, as raw-body does),
 * 400 when the client goes away before the end.
 */
async function readRaw(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (Number.parseInt(req.headers['content-length'] ?? '', 10) > limitBytes) throw new AppError('payload_too_large', DETAIL_BY_TYPE['entity.too.large']!);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) throw new AppError('payload_too_large', DETAIL_BY_TYPE['entity.too.large']!);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('invalid_request', DETAIL_BY_TYPE['request.aborted']!, { cause: error });
  }
  return Buffer.concat(chunks);
}

/** A JSON media type, as body-parser's json() accepts by default (`application/json`, `application/*+json`). */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** Whether a request carries a body, as body-parser decides it (type-is's hasBody). */
const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number.parseInt(req.headers['content-length'] ?? '', 10));

/**
 * The body's bytes when it is JSON (undefined for another media type or no body), read with at most `limitBytes`
 * and, for a gzip, deflate or br body, decoded on libuv's thread pool with its output bounded by `limitBytes` (a
 * gzip bomb stops there; see {@link decodeBounded}). body-parser's own streaming inflate needs one event-loop turn
 * per 16 KB of output: a large bomb took seconds to refuse while heavy requests shared the worker (bench:attack,
 * docs/BENCHMARKS.md). `encoding` is the request's `Content-Encoding`, lower-cased ('' or identity: as sent).
 */
async function jsonBytes(req: IncomingMessage, limitBytes: number, encoding: string): Promise<Buffer | undefined> {
  const type = String(req.headers['content-type'] ?? '');
  if (!JSON_TYPE.test(type) || !hasBody(req)) return undefined;
  const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError('unsupported_media_type', DETAIL_BY_TYPE['charset.unsupported']!);
  }
  const raw = await readRaw(req, limitBytes);
  return DECODERS[encoding] === undefined ? raw : decodeBounded(raw, encoding, limitBytes);
}

/** The request's `Content-Encoding`, trimmed and lower-cased ('' when none). */
const contentEncoding = (req: IncomingMessage): string => String(req.headers['content-encoding'] ?? '').trim().toLowerCase();

/** A middleware that sets `req.body` with what `read` makes of the request, passing on its failure. */
function bodyMiddleware(read: (req: IncomingMessage, encoding: string) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    const done = (error?: unknown) => {
      if (!res.headersSent) next(error);
    };
    const encoding = contentEncoding(req);
    read(req, encoding).then((body) => {
      req.body = body;
      done();
    }, done);
  };
}

/**
 * body-parser's `verify`: a body that is not UTF-8 is refused (`invalid_request`, {@link NOT_UTF8}) rather than read
 * with U+FFFD in place of its bad bytes (iconv-lite's decoding), as core/json-bytes.ts refuses it. A check of the raw
 * bytes (node:buffer's isUtf8), no second decoding.
 */
function utf8Only(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw new AppError('invalid_request', NOT_UTF8);
}

/**
 * Parses a JSON body of at most `limitBytes` into `req.body` (413 beyond; 400 for bad JSON or bytes that are not
 * UTF-8; 415 for another charset or an unknown `Content-Encoding`: src/http/framework-errors.ts maps them). Mounted by the routes that read a body,
 * after their key check, so that a request refused for its key is answered without its body being read. A gzip,
 * deflate or br body is decoded in one bounded call first (see {@link jsonBytes}) and read as body-parser reads
 * (core/json-bytes.ts).
 *
 * A request already answered while its body was still arriving (REQUEST_TIMEOUT_MS ran out on a slow client) goes
 * no further, whether its body then arrives or fails to ("request aborted"): the client has its 503, and neither is
 * a failure of the service.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, verify: utf8Only });
  const decoded = bodyMiddleware(async (req, encoding) => {
    const bytes = await jsonBytes(req, limitBytes, encoding);
    return bytes === undefined ? undefined : parseJsonBytes(bytes);
  });
  return (req, res, next) => {
    const encoding = contentEncoding(req);
    if (DECODERS[encoding] !== undefined) {
      decoded(req, res, next);
      return;
    }
    parse(req, res, (error?: unknown) => {
      if (!res.headersSent) next(error);
    });
  };
}

/**
 * The same checks and limits as {@link jsonBody}, but `req.body` is left as the body's bytes (a Buffer; undefined
 * when the body is not JSON): for a route that has the JSON parsed where its work runs (`POST /api/articles`, on the
 * write thread), so that a 10 MB body never holds the worker's event loop for its decoding and parsing.
 */
export function jsonBytesBody(limitBytes: number): RequestHandler {
  return bodyMiddleware(async (req, encoding) => {
    if (encoding !== '' && encoding !== 'identity' && DECODERS[encoding] === undefined) {
      throw new AppError('unsupported_media_type', DETAIL_BY_TYPE['encoding.unsupported']!);
    }
    return jsonBytes(req, limitBytes, encoding);
  });
}
