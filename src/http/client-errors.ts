import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError } from '../core/errors.js';
import { toProblem } from './problem.js';

/**
 * Answers a request the HTTP parser refused before any route saw it (the server's 'clientError'): a request line and
 * headers over Node.js's limit (16 KiB: a URL that long) as a 431 `headers_too_large` problem, anything else that is
 * not HTTP as a 400 `invalid_request` problem, then closes the connection. Node's own answer was a bare status line
 * with no body, the one error of the API that was not problem+json. A connection already gone is only let go.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const problem = toProblem(
    tooLarge
      ? new AppError('headers_too_large', 'the request line and headers exceed 16 KiB: send long parameters in a body, or fewer of them')
      : new AppError('invalid_request', 'the request is not valid HTTP'),
  );
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
