import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config.js';
import { NEWS_SYNONYMS } from '../../src/core/keyword/synonyms.js';
import { configuredSynonyms } from '../../src/engines/synonyms-file.js';

describe('SYNONYMS_FILE', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-synonyms-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    return at;
  };
  const problem = (SYNONYMS_FILE: string): string => {
    try {
      configuredSynonyms({ SYNONYMS_FILE });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.join('\n');
    }
    throw new Error('expected a ConfigError');
  };

  it('when it is not set, then the built-in news aliases apply', () => {
    expect(configuredSynonyms({})).toBe(NEWS_SYNONYMS);
  });

  it('when it holds synonyms in Meilisearch\'s format, then they are read as given', () => {
    const synonyms = { quake: ['earthquake'], 'J.R.R.': ['jrr', 'J. R. R.'] };
    expect(configuredSynonyms({ SYNONYMS_FILE: file('s.json', JSON.stringify(synonyms)) })).toEqual(synonyms);
  });

  it.each([
    ['a missing file', () => path.join(dir, 'missing.json'), 'cannot be read (ENOENT)'],
    ['a file that is not JSON', () => file('bad.json', '{"quake": ['), 'is not JSON'],
    ['a list at the top', () => file('list.json', '["quake"]'), 'must be a JSON object'],
    ['a key mapped to a string', () => file('str.json', '{"quake": "earthquake"}'), 'key "quake": each key must map to a list of strings'],
    ['an empty alternative', () => file('empty.json', '{"quake": [" "]}'), 'key "quake": an alternative must not be empty'],
  ])('when it names %s, then the start stops with a ConfigError naming the variable, the file and the fault', (_case, at, fault) => {
    const where = at();
    const message = problem(where);
    expect(message).toContain(`SYNONYMS_FILE=${JSON.stringify(where)}`);
    expect(message).toContain(fault);
  });
});
