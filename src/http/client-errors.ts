import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError } from '../core/errors.js';
import { toProblem } from './problem.js';

/**
 * Answers a request the HTTP parser refused before any route saw it (the server's 'clientError') as a problem, then
 * closes the connection: a request line and headers over Node.js's limit (16 KiB: a URL that long) is a 431
 * `headers_too_large`, headers that did not arrive within `headersTimeout` a 408 `request_timeout`, chunk
 * extensions over Node's limit a 413 `payload_too_large`, anything else that is not HTTP a 400 `invalid_request`.
 * Node's own answers were a bare status line with no body, the only errors of the API that were not problem+json.
 * A connection already gone, or one whose previous response is already under way (a client pipelining garbage
 * behind a streaming export), is only closed, as Node does: nothing may be written into that response's body.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // the response being sent on this connection, if any (node's own handler reads the same field)
  const underWay = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || underWay?.headersSent === true) {
    socket.destroy();
    return;
  }
  const problem = toProblem(refusal(error.code));
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The problem a parser refusal stands for (Node's error codes). */
function refusal(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('headers_too_large', 'the request line and headers exceed 16 KiB: send long parameters in a body, or fewer of them');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('request_timeout', 'the request\'s headers did not arrive in time');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new AppError('payload_too_large', 'the request body\'s chunk extensions are too large');
    default:
      return new AppError('invalid_request', 'the request is not valid HTTP');
  }
}
