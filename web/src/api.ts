import type { Problem } from './types.js';

/** A field the API refused, as a problem's `errors` lists it (`path` like `webhook.url`, `query.from`). */
export type FieldIssue = NonNullable<Problem['errors']>[number];

/**
 * A failed API call: the problem's status and code, or status 0 and `network` when nothing answered; `errors`, the
 * fields a 400 refused (empty otherwise).
 */
export class ApiError extends Error {
  readonly errors: readonly FieldIssue[];

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; errors?: readonly FieldIssue[] | undefined },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.errors = options?.errors ?? [];
  }
}

/** Whether an error is the abort of a request that a newer one replaced (not worth showing). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * Why the API refused this page, as a clause to end a sentence, or undefined for any other failure: 401 or 403
 * means the page was served without a valid public key (the server needs PUBLIC_API_KEY beside SEARCH_API_KEY),
 * 429 that this address asked too often.
 */
export function refusalReason(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 401 || error.status === 403) {
    return 'the search service refuses this page, which has no valid API key (the site must set PUBLIC_API_KEY)';
  }
  return error.status === 429 ? 'too many requests from your address; wait a minute and try again' : undefined;
}

/** The public API key the server wrote into the page (`<meta name="newsfind-api-key">`), or '' when it has none. */
function pageApiKey(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="newsfind-api-key"]')?.content.trim() ?? '';
}

/** The ApiError of a non-2xx answer, read from its problem body when it has one. */
async function refusal(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => undefined)) as Partial<Problem> | undefined;
  return new ApiError(response.status, problem?.code ?? 'http_error', problem?.detail ?? `HTTP ${response.status}`, { errors: problem?.errors });
}

/**
 * GETs a JSON document from the API (the only module of the pages that touches the network). `path` is
 * absolute (`/api/...`), resolved against the page's origin; the page's public key, when it has one, goes in
 * `X-Api-Key`. Throws ApiError for any non-2xx answer, with the problem's code when the body is a problem, and
 * rethrows aborts as they are.
 */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const key = pageApiKey();
  const headers: Record<string, string> = { Accept: 'application/json', ...(key ? { 'X-Api-Key': key } : {}) };
  let response: Response;
  try {
    response = await fetch(path, { headers, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'network', 'the service did not answer', { cause: error });
  }
  if (!response.ok) throw await refusal(response);
  return (await response.json()) as T;
}

/**
 * Sends an admin request (`X-Api-Key: key`, the ADMIN_API_KEY the user typed; never the page's public key) with an
 * optional JSON body, and answers its JSON (undefined for 204). Throws ApiError for any non-2xx answer, with the
 * problem's `errors`.
 */
export async function adminJson<T>(method: 'GET' | 'POST' | 'DELETE', path: string, key: string, body?: unknown): Promise<T | undefined> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Api-Key': key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  let response: Response;
  try {
    response = await fetch(path, { method, headers, cache: 'no-store', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    throw new ApiError(0, 'network', 'the service did not answer', { cause: error });
  }
  if (!response.ok) throw await refusal(response);
  return response.status === 204 ? undefined : ((await response.json()) as T);
}
