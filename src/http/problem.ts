import type { ErrorCode, FieldIssue, NameCandidate, RejectedArticle } from '../core/errors.js';
import { AmbiguousNameError, AppError, ArticlesRejectedError, EngineUnavailableError, ValidationError } from '../core/errors.js';

/** The one table from error code to HTTP status. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_article: 422,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  timeout: 503,
  not_found: 404,
  route_not_found: 404,
  payload_too_large: 413,
  headers_too_large: 431,
  request_timeout: 408,
  unsupported_media_type: 415,
  engine_unavailable: 503,
  engine_error: 502,
  metrics_unavailable: 503,
  config_invalid: 500,
  internal: 500,
};

const TITLES: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid',
  invalid_article: 'No article could be indexed',
  unauthorized: 'An API key is required',
  forbidden: 'The API key is not accepted here',
  rate_limited: 'Too many requests',
  timeout: 'The request took too long',
  not_found: 'Not found',
  route_not_found: 'No such route',
  payload_too_large: 'The request body is too large',
  headers_too_large: 'The request line and headers are too large',
  request_timeout: 'The request did not arrive in time',
  unsupported_media_type: 'The request body is in an unsupported format',
  engine_unavailable: 'The search engine is unavailable',
  engine_error: 'The search engine failed',
  metrics_unavailable: 'The service metrics could not be gathered in time',
  config_invalid: 'The service is misconfigured',
  internal: 'Internal error',
};

/** An RFC 9457 problem details object, with our stable `code` and, for validation errors, every field issue. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly instance?: string;
  readonly errors?: readonly FieldIssue[];
  /** An entity filter that names several entities: each entity it may stand for (ask again with its full name). */
  readonly candidates?: readonly NameCandidate[];
  /** `invalid_article`: the write's counts (as a 200 answer has them) and every rejected article with its reasons. */
  readonly read?: number;
  readonly indexed?: number;
  readonly unchanged?: number;
  readonly rejected?: number;
  readonly rejections?: readonly RejectedArticle[];
}

/** The problem for any thrown value; unexpected errors become `internal` with no detail leaked. */
export function toProblem(error: unknown, instance?: string): Problem {
  const known = error instanceof AppError ? error : undefined;
  const code: ErrorCode = known?.code ?? 'internal';
  return {
    type: `urn:newsfind:problem:${code}`,
    title: TITLES[code],
    status: STATUS_BY_CODE[code],
    detail: known?.message ?? 'An unexpected error occurred; it has been logged.',
    code,
    ...(instance === undefined ? {} : { instance }),
    ...(error instanceof ValidationError ? { errors: error.issues } : {}),
    ...(error instanceof AmbiguousNameError ? { candidates: error.candidates } : {}),
    ...(error instanceof ArticlesRejectedError ? { ...error.counts, rejections: error.rejections } : {}),
  };
}

/** Seconds a client should wait before retrying, when the error says so. */
export function retryAfter(error: unknown): number | undefined {
  if (error instanceof EngineUnavailableError) return error.retryAfterSeconds;
  return error instanceof AppError && error.code === 'timeout' ? 1 : undefined;
}
