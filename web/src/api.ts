import type { Problem } from './types.js';

/** A failed API call: the problem's status and code, or status 0 and `network` when nothing answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/** Whether an error is the abort of a request that a newer one replaced (not worth showing). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * GETs a JSON document from the API (the only module of the pages that touches the network). `path` is
 * absolute (`/api/...`), resolved against the page's origin. Throws ApiError for any non-2xx answer, with the
 * problem's code when the body is a problem, and rethrows aborts as they are.
 */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'network', 'the service did not answer', { cause: error });
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => undefined)) as Partial<Problem> | undefined;
    throw new ApiError(response.status, problem?.code ?? 'http_error', problem?.detail ?? `HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}
