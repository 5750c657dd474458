import { Meilisearch } from 'meilisearch';
import { EngineError } from '../../core/errors.js';
import { bootstrapKey } from './keys.js';
import type { KeyRole } from './keys.js';

/** Keys from the environment; any may be absent (a development Meilisearch without a master key needs none). */
export interface MeiliKeys {
  readonly masterKey?: string | undefined;
  readonly searchKey?: string | undefined;
  readonly adminKey?: string | undefined;
}

/**
 * Which key each role uses, and one client per key. A key given in the environment is used as is; otherwise, with a
 * master key, it is found or created through /keys (see keys.ts) once per process, and again after a failure; with
 * no key at all, requests carry none (a Meilisearch started without a master key).
 */
export class KeySource {
  private readonly bootstrapped = new Map<KeyRole, Promise<string>>();
  private readonly clients = new Map<string, Meilisearch>();

  constructor(
    private readonly keys: MeiliKeys,
    private readonly connection: { readonly url: string; readonly index: string; readonly timeoutMs: number },
  ) {}

  /** True when writes can be authorised: an admin or master key is set, or no key at all (an open instance). */
  canWrite(): boolean {
    const { masterKey, searchKey, adminKey } = this.keys;
    return adminKey !== undefined || masterKey !== undefined || searchKey === undefined;
  }

  /** The key for `role`, or undefined for an instance without keys. */
  async key(role: KeyRole): Promise<string | undefined> {
    const { masterKey, searchKey, adminKey } = this.keys;
    const given = role === 'search' ? searchKey : adminKey;
    if (given !== undefined) return given;
    if (masterKey === undefined) {
      if (role === 'admin' && !this.canWrite()) {
        throw new EngineError('writing needs MEILI_ADMIN_KEY or MEILI_MASTER_KEY; only a search key is set');
      }
      return undefined;
    }
    let found = this.bootstrapped.get(role);
    if (found === undefined) {
      found = bootstrapKey(this.client(masterKey), role, this.connection.index);
      found.catch(() => this.bootstrapped.delete(role)); // the next call tries again
      this.bootstrapped.set(role, found);
    }
    return found;
  }

  /** A client for `key` (none: no Authorization header), made once per key. */
  client(key: string | undefined): Meilisearch {
    let client = this.clients.get(key ?? '');
    if (client === undefined) {
      client = new Meilisearch({ host: this.connection.url, timeout: this.connection.timeoutMs, ...(key ? { apiKey: key } : {}) });
      this.clients.set(key ?? '', client);
    }
    return client;
  }
}
