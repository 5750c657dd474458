import {
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
} from 'meilisearch';
import { AppError, EngineError, EngineUnavailableError } from '../../core/errors.js';

/** Seconds a client is told to wait when Meilisearch gives no Retry-After of its own. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** HTTP statuses that say "not now" rather than "never": the caller may retry. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/** Meilisearch's `Retry-After` header in whole seconds (1 at least), or the default. */
function retryAfterOf(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : DEFAULT_RETRY_AFTER_SECONDS;
}

/** The error code Meilisearch put in its error body (`index_not_found`, `invalid_api_key`…), if any. */
export function meiliErrorCode(error: unknown): string | undefined {
  return error instanceof MeilisearchApiError ? error.cause?.code : undefined;
}

/**
 * Any failure of the client as one of our errors: no answer (connection refused, reset, DNS, request timeout)
 * or 502/503/504 → EngineUnavailableError (HTTP 503 with Retry-After, and the indexer retries); a task not
 * finished in time → EngineUnavailableError; refused keys and every other answer → EngineError naming
 * Meilisearch's error code. Messages carry what Meilisearch said, never a key (the client redacts them too).
 */
export function toAppError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof MeilisearchRequestTimeOutError || error instanceof MeilisearchRequestError) {
    return new EngineUnavailableError(`Meilisearch did not answer (${what}): ${error.message}`, {
      cause: error,
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
    });
  }
  if (error instanceof MeilisearchTaskTimeOutError) {
    return new EngineUnavailableError(`Meilisearch did not finish task ${error.cause.taskUid} in ${error.cause.timeout} ms (${what})`, {
      cause: error,
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
    });
  }
  if (error instanceof MeilisearchApiError) {
    const status = error.response.status;
    const code = error.cause?.code ?? `http_${status}`;
    if (UNAVAILABLE_STATUSES.has(status)) {
      return new EngineUnavailableError(`Meilisearch is unavailable (${what}: ${status} ${code})`, {
        cause: error,
        retryAfterSeconds: retryAfterOf(error.response),
      });
    }
    if (status === 401 || status === 403) {
      return new EngineError(`Meilisearch refused the API key (${what}: ${code}); check the MEILI_* keys`, { cause: error });
    }
    return new EngineError(`Meilisearch failed (${what}: ${code}): ${error.message}`, { cause: error });
  }
  if (error instanceof SyntaxError) {
    // Something between us and Meilisearch (a proxy, a starting container) answered with a non-JSON page.
    return new EngineUnavailableError(`Meilisearch answered with something that is not JSON (${what})`, {
      cause: error,
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
    });
  }
  return new EngineError(`Meilisearch failed (${what}): ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}
