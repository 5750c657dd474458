import type { Key, Meilisearch } from 'meilisearch';
import { toAppError } from './errors.js';
import { tombstoneIndex } from './mirror-fields.js';

/** The two keys the service uses: `search` (the API's reads) and `admin` (writes: index, settings, documents). */
export type KeyRole = 'search' | 'admin';

/**
 * What each role may do, on the service's index (and its tombstones) only: the least actions of Meilisearch's key actions
 * (meilisearch-types/src/keys.rs) that cover the routes the adapter calls, never a wildcard. The admin key
 * creates the index (`POST /indexes`), reads and updates its settings, adds, fetches and deletes documents (by id
 * and all of them), searches (get by id, counts) and polls its tasks. It cannot delete or swap the index, read
 * stats, dumps or other indexes, nor touch `/keys` (no key scoped to an index can: Meilisearch's test
 * `access_authorized_restricted_index`; and with these actions it would not have the rights even unscoped).
 */
export const KEY_ACTIONS: Record<KeyRole, readonly string[]> = {
  search: ['search'],
  admin: [
    'search',
    'documents.add',
    'documents.get',
    'documents.delete',
    'indexes.create',
    'settings.get',
    'settings.update',
    'tasks.get',
  ],
};

/**
 * The indexes a bootstrapped key is scoped to: the articles' index and its tombstones (mirror-fields.ts), which the
 * admin key writes and replicas read with the search key.
 */
export const keyIndexes = (index: string): string[] => [index, tombstoneIndex(index)];

/** The name a bootstrapped key carries, so that the next start finds it instead of creating another. */
export const keyName = (role: KeyRole, index: string): string => `newsfind-${role} (${index})`;

const DESCRIPTION: Record<KeyRole, string> = {
  search: 'newsfind API: search only (created at bootstrap)',
  admin: 'newsfind indexer: creates the index, writes its documents and settings (created at bootstrap)',
};

/** Keys Meilisearch lists per page; the service's own keys are few, but an instance may hold many others. */
const PAGE = 100;

async function allKeys(master: Meilisearch): Promise<Key[]> {
  const keys: Key[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await master.getKeys({ offset, limit: PAGE });
    keys.push(...page.results);
    if (page.results.length < PAGE || keys.length >= page.total) return keys;
  }
}

/** An unexpired key with the role's name, actions and exactly these indexes. */
function fits(key: Key, role: KeyRole, index: string, now: number): boolean {
  const expired = key.expiresAt !== null && key.expiresAt !== undefined && new Date(key.expiresAt).getTime() <= now;
  return (
    key.name === keyName(role, index) &&
    !expired &&
    [...key.indexes].sort().join() === keyIndexes(index).sort().join() &&
    [...key.actions].sort().join() === [...KEY_ACTIONS[role]].sort().join()
  );
}

/**
 * The key for `role` on `index` (and its tombstones), through the `/keys` API with the master key: an existing key
 * named {@link keyName} with the right actions and indexes, else a new one (no expiry). Key values are returned to the
 * caller only, never logged nor put into error messages.
 */
export async function bootstrapKey(
  master: Meilisearch,
  role: KeyRole,
  index: string,
  now: () => number = Date.now,
): Promise<string> {
  try {
    const found = (await allKeys(master)).find((k) => fits(k, role, index, now()));
    if (found) return found.key;
    const created = await master.createKey({
      name: keyName(role, index),
      description: DESCRIPTION[role],
      actions: [...KEY_ACTIONS[role]],
      indexes: keyIndexes(index),
      expiresAt: null,
    });
    return created.key;
  } catch (error) {
    throw toAppError(error, `bootstrapping the ${role} key through /keys`);
  }
}
