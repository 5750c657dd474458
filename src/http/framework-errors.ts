import { AppError } from '../core/errors.js';
import { NOT_JSON } from '../core/json-bytes.js';

/** What body-parser (through http-errors) and Express's router attach to the errors they raise. */
interface FrameworkError extends Error {
  readonly status?: unknown;
  readonly expose?: unknown;
  readonly type?: unknown;
}

/** Our words for body-parser's failures, by its `type`: fixed texts, so nothing the client sent is echoed. */
export const DETAIL_BY_TYPE: Record<string, string> = {
  'entity.too.large': 'the request body is too large',
  'entity.parse.failed': NOT_JSON,
  'charset.unsupported': 'the request body must be JSON in UTF-8 (no other charset)',
  'encoding.unsupported': 'the request body must be sent as is or with Content-Encoding gzip, deflate or br',
  'request.aborted': 'the request body did not arrive in full',
  'request.size.invalid': 'the request body does not match its Content-Length',
};

/**
 * The failure, in our catalogue, when Express or body-parser says the client is at fault: a 4xx `status` on an
 * http-errors error meant to be shown (`expose`), or the router's URIError for a path parameter that is not valid
 * percent-encoded UTF-8 (`/api/articles/%FF`). 413 is `payload_too_large`, 415 `unsupported_media_type`, any
 * other 4xx `invalid_request`. An {@link AppError} (ours, raised inside body-parser) and anything else are returned
 * as is (an unexpected error stays a logged 500).
 */
export function fromFrameworkError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  // ours already (a body-parser `verify` that refused the body): body-parser gave it a status 403 that means nothing
  if (error instanceof AppError) return error;
  const { status, expose, type } = error as FrameworkError;
  if (typeof status !== 'number' || status < 400 || status > 499) return error;
  if (error instanceof URIError) {
    return new AppError('invalid_request', 'the path is not valid percent-encoded UTF-8', { cause: error });
  }
  if (expose !== true) return error;
  const detail = (typeof type === 'string' ? DETAIL_BY_TYPE[type] : undefined) ?? 'the request cannot be read';
  const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_request';
  return new AppError(code, detail, { cause: error });
}
