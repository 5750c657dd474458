import type { Index, Meilisearch } from 'meilisearch';
import { meiliErrorCode, toAppError } from './errors.js';
import { TOMBSTONE_SETTINGS } from './mirror-fields.js';
import { settingsToUpdate } from './settings.js';
import { succeeded } from './tasks.js';
import type { TaskWait } from './tasks.js';

/**
 * Creates the tombstone index `uid` (primary key `key`) when missing and gives it the settings it lacks of
 * {@link TOMBSTONE_SETTINGS}, with `client` (the admin key); returns the index. A second call sends nothing.
 */
export async function prepareTombstoneIndex(client: Meilisearch, uid: string, wait: TaskWait): Promise<Index<Record<string, unknown>>> {
  const index = client.index<Record<string, unknown>>(uid);
  let current: Record<string, unknown> | undefined;
  try {
    current = (await index.getSettings()) as Record<string, unknown>;
  } catch (error) {
    if (meiliErrorCode(error) !== 'index_not_found') throw toAppError(error, `reading the settings of ${uid}`);
  }
  if (current === undefined) {
    await succeeded(client.createIndex(uid, { primaryKey: 'key' }), wait, `creating index ${uid}`, ['index_already_exists']);
  }
  const update = settingsToUpdate(current ?? {}, TOMBSTONE_SETTINGS);
  if (Object.keys(update).length > 0) await succeeded(index.updateSettings(update as never), wait, `updating settings of ${uid}`);
  return index;
}
