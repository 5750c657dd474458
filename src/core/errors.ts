/**
 * The one error catalogue. Every failure the service reports carries a stable snake_case `code` from
 * {@link ErrorCode}; the HTTP layer maps codes to statuses in one table (src/http/problem.ts).
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_article'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'timeout'
  | 'not_found'
  | 'route_not_found'
  | 'payload_too_large'
  | 'headers_too_large'
  | 'request_timeout'
  | 'unsupported_media_type'
  | 'engine_unavailable'
  | 'engine_error'
  | 'metrics_unavailable'
  | 'config_invalid'
  | 'internal';

/** One problem with one field of an input, as reported to clients (`path` is a dotted field path). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Base class of every error the service raises on purpose. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Input that breaks a documented rule; `issues` lists every broken rule, not only the first. */
export class ValidationError extends AppError {
  readonly issues: readonly FieldIssue[];

  constructor(message: string, issues: readonly FieldIssue[], code: ErrorCode = 'invalid_request') {
    super(code, message);
    this.issues = issues;
  }
}

/** One entity a short name given in a filter may stand for. */
export interface NameCandidate {
  /** The parameter the name was given in (`person`, `org`, `place`). */
  readonly filter: string;
  /** The name as given. */
  readonly given: string;
  /** An entity's canonical name, and how many articles mention it. */
  readonly name: string;
  readonly articles: number;
}

/** A filter names several entities; `candidates` lists them (the client asks again with one full name). */
export class AmbiguousNameError extends ValidationError {
  readonly candidates: readonly NameCandidate[];

  constructor(message: string, issues: readonly FieldIssue[], candidates: readonly NameCandidate[]) {
    super(message, issues);
    this.candidates = candidates;
  }
}

/** One article of a write that was not indexed: where it sat in the request (`body`, `body[3]`) and every reason. */
export interface RejectedArticle {
  readonly location: string;
  readonly issues: readonly FieldIssue[];
}

/** The counts of an article write (`POST /api/articles`): articles read, indexed, unchanged and rejected. */
export interface WriteCounts {
  readonly read: number;
  readonly indexed: number;
  readonly unchanged: number;
  readonly rejected: number;
}

/**
 * Every article of a write was rejected (`invalid_article`, 422): its counts and each article's reasons go with it,
 * so that the problem tells a client all that a partly accepted write's answer would.
 */
export class ArticlesRejectedError extends AppError {
  readonly counts: WriteCounts;
  readonly rejections: readonly RejectedArticle[];

  constructor(counts: WriteCounts, rejections: readonly RejectedArticle[]) {
    super('invalid_article', counts.read === 1 ? 'the article was rejected: see rejections' : `all ${counts.read} articles were rejected: see rejections`);
    // copied field by field: what a client is shown, in a fixed order, whatever else the write's result carried
    this.counts = { read: counts.read, indexed: counts.indexed, unchanged: counts.unchanged, rejected: counts.rejected };
    this.rejections = rejections.map((r) => ({ location: r.location, issues: r.issues.map((i) => ({ path: i.path, message: i.message })) }));
  }
}

/** A named thing (article, entity…) that does not exist. */
export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

/** The search engine cannot be reached or is not ready; callers may retry later. */
export class EngineUnavailableError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super('engine_unavailable', message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 5;
  }
}

/**
 * A store file stayed locked by another process's write (an indexer's batch, say) for longer than this process
 * waits: nothing of this write was applied, and it may be retried once that write is done.
 */
export class StoreBusyError extends EngineUnavailableError {
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, { retryAfterSeconds: 1, ...options });
  }
}

/** The engine answered, but with a failure that is not the caller's fault. */
export class EngineError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('engine_error', message, options);
  }
}

/** An error as it crosses a process or thread boundary (IPC, worker_threads): what the client is told, no stack. */
export interface SentError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
  readonly retryAfterSeconds?: number;
  /** StoreBusyError: a lock outlasted the busy timeout (the write may be retried). */
  readonly busy?: boolean;
}

/** `error` as it is sent across a boundary; anything not raised on purpose becomes `internal`. */
export function sendableError(error: unknown): SentError {
  if (!(error instanceof AppError)) return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
  return {
    code: error.code,
    message: error.message,
    ...(error instanceof ValidationError ? { issues: error.issues } : {}),
    ...(error instanceof EngineUnavailableError ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    ...(error instanceof StoreBusyError ? { busy: true } : {}),
  };
}

/** The error {@link sendableError} sent, of the same class as far as the HTTP layer can tell (status, Retry-After, issues). */
export function receivedError(sent: SentError): Error {
  if (sent.busy) return new StoreBusyError(sent.message, { retryAfterSeconds: sent.retryAfterSeconds });
  if (sent.retryAfterSeconds !== undefined) return new EngineUnavailableError(sent.message, { retryAfterSeconds: sent.retryAfterSeconds });
  if (sent.issues) return new ValidationError(sent.message, sent.issues, sent.code);
  if (sent.code === 'internal') return new Error(sent.message);
  return new AppError(sent.code, sent.message);
}
