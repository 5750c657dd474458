import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EngineUnavailableError } from '../../src/core/errors.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { assertStoresIntact, damageOf } from '../../src/storage/store-integrity.js';
import { makeArticle } from '../helpers/make-article.js';
import { damagePage } from '../helpers/damaged-store.js';

describe('store integrity', () => {
  let dir: string;
  const file = () => path.join(dir, 'newsfind.db');

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-integrity-'));
    const engine = SqliteEngine.open({ file: file(), index: 'none' });
    const body = 'The harbour ferry timetable changes with the tides. '.repeat(40);
    await engine.upsert(Array.from({ length: 200 }, (_, i) => makeArticle({ id: `a${i}`, title: `Ferry story ${i}`, body })));
    await engine.close();
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when a store is intact, then it passes, and missing files are left for the service to create', () => {
    expect(damageOf(file())).toBeUndefined();
    expect(() => assertStoresIntact([file(), path.join(dir, 'similarity.db')])).not.toThrow();
  });

  it('when garbage is written over a page in the middle of the file, then the check finds it', () => {
    damagePage(file(), 'articles');
    expect(damageOf(file())).toEqual(expect.any(String));
  });

  it('when the file is cut short, then the check finds it', () => {
    fs.truncateSync(file(), Math.floor(fs.statSync(file()).size / 2));
    expect(damageOf(file())).toEqual(expect.any(String));
  });

  it('when a file is damaged, then the error names it and says how to recover', () => {
    damagePage(file(), 'articles');
    const similarity = path.join(dir, 'similarity.db');
    new Database(similarity).close();
    let error: unknown;
    try {
      assertStoresIntact([similarity, file()]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`the store file ${file()} is damaged`);
    expect(message).toContain('restore the file from a backup');
    expect(message).toContain(`move similarity.db and newsfind.db out of ${dir} and index your articles again`);
  });
});
