import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../../src/core/article.js';
import { EXTRACTION_VERSION } from '../../src/core/entities/extract-entities.js';
import { Entities } from '../../src/entities/entities.js';
import { makeArticle } from '../helpers/make-article.js';

/** An indexer re-run skips the articles the entity store already holds: same input, same extractor. */
describe('entities held from an earlier run', () => {
  let dir: string;
  const article = (body: string): Article => makeArticle({ id: 'a1', title: 'Rates', body });
  const storeOnce = (file: string, a: Article) => {
    const entities = Entities.open(file);
    try {
      entities.commit(entities.enrich([a]));
    } finally {
      entities.close();
    }
  };
  const heldIds = (file: string, a: Article) => {
    const entities = Entities.open(file);
    try {
      return [...entities.held([a])];
    } finally {
      entities.close();
    }
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-held-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when the same article comes again, then it is held and not read again', () => {
    const file = path.join(dir, 'entities.db');
    const a = article('Finance Minister Mark Eyskens said rates would fall.');
    storeOnce(file, a);
    expect(heldIds(file, a)).toEqual(['a1']);
    expect(heldIds(file, article('Finance Minister Mark Eyskens said rates would rise.'))).toEqual([]);
  });

  it('when the stored entities came from another version of the extractor, then the article is read again', () => {
    const file = path.join(dir, 'entities.db');
    const a = article('Finance Minister Mark Eyskens said rates would fall.');
    storeOnce(file, a);
    const db = new Database(file);
    const hash = db.prepare('SELECT input_hash FROM ent_articles').pluck().get() as string;
    expect(hash.startsWith(`${EXTRACTION_VERSION}:`)).toBe(true);
    db.prepare('UPDATE ent_articles SET input_hash = ?').run(`${EXTRACTION_VERSION - 1}:${hash.slice(hash.indexOf(':') + 1)}`);
    db.close();
    expect(heldIds(file, a)).toEqual([]);
    storeOnce(file, a); // read again: the same entities, now recorded as this version's
    expect(heldIds(file, a)).toEqual(['a1']);
  });
});
