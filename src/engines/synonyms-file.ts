import fs from 'node:fs';
import { z } from 'zod';
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { NEWS_SYNONYMS } from '../core/keyword/synonyms.js';
import type { SynonymMap } from '../core/keyword/synonyms.js';

/** Meilisearch's synonyms setting: an object of word or phrase → list of words or phrases. */
const synonymsSchema = z.record(
  z.string().trim().min(1, 'a key must not be empty'),
  z.array(z.string().trim().min(1, 'an alternative must not be empty'), { error: 'each key must map to a list of strings' }),
  { error: 'must be a JSON object of "word": ["alternative", …] (Meilisearch\'s synonyms format)' },
);

/**
 * The synonyms the configuration names: SYNONYMS_FILE read and checked (a ConfigError naming the file and the key
 * that is wrong), or the built-in news aliases when it is not set. Read once at start by the processes that search
 * (the index host) or write Meilisearch's settings (the indexer).
 */
export function configuredSynonyms(config: Pick<Config, 'SYNONYMS_FILE'>): SynonymMap {
  const file = config.SYNONYMS_FILE;
  if (file === undefined) return NEWS_SYNONYMS;
  const fail = (why: string) => new ConfigError([`SYNONYMS_FILE=${JSON.stringify(file)}: ${why}`]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(`is not JSON (${(error as Error).message})`);
  }
  const parsed = synonymsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(`${issue.path.length > 0 ? `key ${JSON.stringify(issue.path[0])}: ` : ''}${issue.message}`);
  }
  return parsed.data;
}
