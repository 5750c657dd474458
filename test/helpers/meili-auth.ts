import { ApiError, fits, typeError } from './meili-search.js';

/**
 * API keys as Meilisearch v1.50 checks them (meilisearch-types/src/keys.rs; the auth tests in tests/auth/): a
 * request needs `Authorization: Bearer <key>` (absent or another scheme: 401 `missing_authorization_header`); the
 * master key may do everything; another key needs the route's action — given as is, as `*`, as its family's
 * wildcard (`documents.*`…) or as `*.get` for reads — and an index pattern (`*`, `prefix*`, or the uid) covering the
 * index. Routes outside any index (`/keys`…) refuse every key scoped to indexes, even with `*` (the route policy
 * `Deny` of authorization.rs, test `access_authorized_restricted_index`).
 */

export interface StubKey {
  readonly uid: string;
  readonly key: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly actions: string[];
  readonly indexes: string[];
  readonly expiresAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Actions a key may be created with, in the order of keys.rs (v1.50.0), which its error messages list. */
export const KEY_ACTIONS = [
  '*', 'search', 'documents.*', 'documents.add', 'documents.get', 'documents.delete', 'indexes.*', 'indexes.create',
  'indexes.get', 'indexes.update', 'indexes.delete', 'indexes.swap', 'tasks.*', 'tasks.cancel', 'tasks.delete',
  'tasks.get', 'settings.*', 'settings.get', 'settings.update', 'stats.*', 'stats.get', 'metrics.*', 'metrics.get',
  'dumps.*', 'dumps.create', 'snapshots.*', 'snapshots.create', 'version', 'keys.create', 'keys.get', 'keys.update',
  'keys.delete', 'experimental.get', 'experimental.update', 'export', 'network.get', 'network.update',
  'chatCompletions', 'chats.*', 'chats.get', 'chats.delete', 'chatsSettings.*', 'chatsSettings.get',
  'chatsSettings.update', '*.get', 'webhooks.get', 'webhooks.update', 'webhooks.delete', 'webhooks.create',
  'webhooks.*', 'indexes.compact', 'fields.post', 'tasks.compact', 'dynamicSearchRules.get',
  'dynamicSearchRules.create', 'dynamicSearchRules.update', 'dynamicSearchRules.delete', 'dynamicSearchRules.*',
];

/** True when `actions` grant `action`. */
export function grants(actions: readonly string[], action: string): boolean {
  const family = action.includes('.') ? `${action.split('.')[0]}.*` : undefined;
  return actions.some((a) => a === '*' || a === action || a === family || (a === '*.get' && action.endsWith('.get')));
}

/** True when the key's index patterns cover `index`. */
export function coversIndex(patterns: readonly string[], index: string): boolean {
  return patterns.some((p) => p === '*' || p === index || (p.endsWith('*') && index.startsWith(p.slice(0, -1))));
}

const invalidKey = (message = 'The provided API key is invalid.') => new ApiError(403, 'invalid_api_key', message, 'auth');

/** The key value an Authorization header carries (401 when there is none or it is not a bearer token). */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || !header.startsWith('Bearer')) {
    throw new ApiError(401, 'missing_authorization_header', 'The Authorization header is missing. It must use the bearer authorization method.', 'auth');
  }
  return header.slice('Bearer'.length).trim();
}

/**
 * Checks a request's key for `action` on `index` (null: a route outside any index). Returns the key used (undefined
 * for the master key), so that routes listing tasks or indexes can restrict what they show.
 */
export function authorizeKey(options: {
  readonly header: string | undefined;
  readonly masterKey: string;
  readonly keys: readonly StubKey[];
  readonly action: string;
  /** The route's index; null: a route outside indexes (scoped keys refused); undefined: any key with the action. */
  readonly index: string | null | undefined;
  readonly now: number;
}): StubKey | undefined {
  const value = bearerToken(options.header);
  if (value === options.masterKey) return undefined;
  const key = options.keys.find((k) => k.key === value);
  if (!key || (key.expiresAt !== null && Date.parse(key.expiresAt) <= options.now) || !grants(key.actions, options.action)) throw invalidKey();
  if (options.index === null) {
    if (!key.indexes.includes('*')) throw invalidKey();
  } else if (options.index !== undefined && !coversIndex(key.indexes, options.index)) {
    throw invalidKey(`The API key cannot acces the index \`${options.index}\`, authorized indexes are ${JSON.stringify(key.indexes)}.`);
  }
  return key;
}

const KEY_FIELDS = ['description', 'name', 'uid', 'actions', 'indexes', 'expiresAt'];
const listed = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

/** One field of a `POST /keys` body, checked as deserr does. */
function checkKeyField(field: string, value: unknown): void {
  const code = `invalid_api_key_${field === 'expiresAt' ? 'expires_at' : field}`;
  if (!KEY_FIELDS.includes(field)) {
    const close = KEY_FIELDS.find((k) => k.toLowerCase() === field.replaceAll('_', '').toLowerCase());
    throw new ApiError(400, 'bad_request', `Unknown field \`${field}\`: ${close ? `did you mean \`${close}\`? ` : ''}expected one of ${listed(KEY_FIELDS)}`);
  }
  if (['description', 'name', 'uid'].includes(field) && !fits(value, 'string')) throw typeError(code, `.${field}`, 'string', value);
  if (field === 'uid' && typeof value === 'string') {
    const bad = [...value].findIndex((c) => !/[0-9a-fA-F-]/.test(c));
    if (bad !== -1) throw new ApiError(400, code, `Invalid value at \`.uid\`: invalid character: found \`${value[bad]}\` at ${bad}`);
  }
  if (field === 'actions' || field === 'indexes') {
    if (!Array.isArray(value)) throw typeError(code, `.${field}`, 'array', value);
    for (const [i, item] of value.entries()) {
      if (field === 'actions' && !KEY_ACTIONS.includes(String(item))) {
        throw new ApiError(400, code, `Unknown value \`${String(item)}\` at \`.actions[${i}]\`: expected one of ${listed(KEY_ACTIONS)}`);
      }
      if (field === 'indexes' && (typeof item !== 'string' || !/^[A-Za-z0-9_-]*\*?$/.test(item))) {
        throw new ApiError(400, code, `Invalid value at \`.indexes[${i}]\`: \`${String(item)}\` is not a valid index uid pattern. Index uid patterns can be an integer or a string containing only alphanumeric characters, hyphens (-), underscores (_), and optionally end with a star (*).`);
      }
    }
  }
  if (field === 'expiresAt' && value !== null && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
    throw new ApiError(400, code, `Invalid value at \`.expiresAt\`: \`${String(value)}\` is not a valid date.`);
  }
}

/** Checks a `POST /keys` body as the server does (fields in their order, then the missing ones); returns it. */
export function validateNewKey(body: Record<string, unknown>): Pick<StubKey, 'name' | 'description' | 'actions' | 'indexes' | 'expiresAt'> {
  for (const [field, value] of Object.entries(body)) checkKeyField(field, value);
  for (const field of ['actions', 'indexes', 'expiresAt'] as const) {
    if (!(field in body)) throw new ApiError(400, `missing_api_key_${field === 'expiresAt' ? 'expires_at' : field}`, `Missing field \`${field}\``);
  }
  return {
    name: (body.name as string | null | undefined) ?? null,
    description: (body.description as string | null | undefined) ?? null,
    actions: body.actions as string[],
    indexes: body.indexes as string[],
    expiresAt: body.expiresAt as string | null,
  };
}
