import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { Article } from '../../src/core/article.js';
import { EngineUnavailableError } from '../../src/core/errors.js';
import { Similarity } from '../../src/similarity/similarity.js';
import type { SimilarQuery } from '../../src/similarity/similarity-port.js';
import { decodeVector, encodeVector } from '../../src/similarity/similarity-store.js';
import { makeArticle } from '../helpers/make-article.js';
import { fillerArticles, fillersFor } from '../helpers/similar-articles.js';

/** Runs `work` with a fresh temporary folder, removed afterwards whatever happens. */
async function inTempDir(work: (dir: string) => unknown): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-similarity-'));
  try {
    await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens a store and always closes it. */
async function using<T>(file: string, serve: boolean, work: (s: Similarity) => T | Promise<T>): Promise<T> {
  const similarity = Similarity.open(file, { serve });
  try {
    return await work(similarity);
  } finally {
    similarity.close();
  }
}

const STORIES: Article[] = [
  makeArticle({
    id: 'lighthouse-storm',
    title: 'Storm damages the Brisa lighthouse',
    body: 'Waves cracked the lantern room of the Brisa lighthouse; keepers moved the lens inland.',
    publishedAt: '2026-03-10T08:00:00Z',
    category: 'local',
    source: 'Coastal Courier',
    url: 'https://news.example/lighthouse-storm',
  }),
  makeArticle({
    id: 'lighthouse-repair',
    title: 'Lighthouse keepers start lantern repairs',
    body: 'The Brisa lighthouse keepers began repairing the lantern room cracked by the storm.',
    publishedAt: '2026-03-12T08:00:00Z',
    category: 'local',
    source: 'Harbour Post',
  }),
  makeArticle({
    id: 'orchard-frost',
    title: 'Frost hits the Velden orchards',
    body: 'Apple growers in Velden lost blossoms to a late frost.',
    publishedAt: '2026-03-11T08:00:00Z',
    category: 'farming',
    source: 'Valley Daily',
  }),
];
const CORPUS = [...STORIES, ...fillerArticles(fillersFor(4, STORIES.length))];
const QUERY: SimilarQuery = { limit: 10, includeDuplicates: true, explain: true };

describe('Similarity store on a file', () => {
  it('when it is closed and reopened, then a serving instance answers the same from stored vectors and terms', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'nested', 'similarity.db');
      const before = await using(file, true, async (s) => {
        expect(s.upsert(CORPUS)).toEqual({ indexed: CORPUS.length, unchanged: 0 });
        await s.sync();
        return { byId: await s.similarTo('lighthouse-storm', QUERY), byText: await s.similarToText('Lantern', 'lighthouse keepers', QUERY) };
      });
      expect(before.byId?.hits.map((h) => h.id)).toEqual(['lighthouse-repair']);
      expect(before.byId?.hits[0]?.terms?.map((t) => t.term)).toContain('lighthouse');

      await using(file, true, async (s) => {
        expect(await s.similarTo('lighthouse-storm', QUERY)).toEqual(before.byId);
        expect(await s.similarToText('Lantern', 'lighthouse keepers', QUERY)).toEqual(before.byText);
      });
    }));

  it('when the store is written, then it holds vectors and terms but no article text (nothing to re-analyse)', () =>
    inTempDir((dir) => {
      const file = path.join(dir, 'similarity.db');
      using(file, false, (s) => s.upsert(CORPUS));
      const bytes = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join('');
      expect(bytes).not.toContain('keepers moved the lens inland');
      expect(bytes).toContain('lighthouse');
    }));

  it('when the same articles are upserted again, then they are skipped as unchanged and the generation stays', () =>
    using(':memory:', true, async (s) => {
      s.upsert(CORPUS);
      await s.sync();
      const generation = await s.generation();
      expect(s.upsert(CORPUS)).toEqual({ indexed: 0, unchanged: CORPUS.length });
      await s.sync();
      expect(await s.generation()).toBe(generation);
      const edited = { ...STORIES[2]!, body: 'Apple growers in Velden saved the blossoms with fires.' };
      expect(s.upsert([edited, STORIES[0]!])).toEqual({ indexed: 1, unchanged: 1 });
      await s.sync();
      expect(await s.generation()).not.toBe(generation);
    }));

  it('when an article is deleted, then it is no source and no hit any more, and deleting it again removes nothing', () =>
    using(':memory:', true, async (s) => {
      s.upsert(CORPUS);
      await s.sync();
      expect((await s.similarTo('lighthouse-storm', QUERY))?.hits.map((h) => h.id)).toEqual(['lighthouse-repair']);
      expect(s.delete(['lighthouse-repair', 'no-such-article'])).toBe(1);
      await s.sync();
      expect(await s.similarTo('lighthouse-repair', QUERY)).toBeUndefined();
      expect((await s.similarTo('lighthouse-storm', QUERY))?.hits).toEqual([]);
      expect((await s.similarToText('', 'lantern keepers repairing', QUERY)).map((h) => h.id)).toEqual(['lighthouse-storm']);
      expect(s.delete(['lighthouse-repair'])).toBe(0);
    }));

  it('when an instance is opened for writing only, then queries are refused', () =>
    using(':memory:', false, (s) => {
      expect(() => s.similarTo('lighthouse-storm', QUERY)).toThrow(/writing only/);
      return undefined;
    }));

  it('when the store is closed, then writes fail with EngineUnavailableError', () => {
    const s = Similarity.open(':memory:', { serve: false });
    s.close();
    expect(() => s.upsert(STORIES)).toThrow(EngineUnavailableError);
  });
});

describe('Similarity store shared by two processes', () => {
  const newcomer = makeArticle({
    id: 'quillfeather-lighthouse',
    title: 'Quillfeather gulls nest on the Brisa lighthouse',
    body: 'Keepers counted quillfeather gulls on the lantern gallery.',
    publishedAt: '2026-03-13T08:00:00Z',
    category: 'nature',
    source: 'Coastal Courier',
  });

  it('when the indexer writes, then the API instance sees the new article and its new words once it has caught up', () =>
    inTempDir((dir) => {
      const file = path.join(dir, 'similarity.db');
      return using(file, false, (indexer) => {
        indexer.upsert(CORPUS);
        return using(file, true, async (api) => {
          expect((await api.similarTo('lighthouse-storm', QUERY))?.hits.map((h) => h.id)).toEqual(['lighthouse-repair']);
          expect(await api.similarToText('', 'quillfeather', QUERY)).toEqual([]);
          const generation = await api.generation();

          indexer.upsert([newcomer]);
          await api.sync();

          const after = await api.similarTo('lighthouse-storm', QUERY);
          expect(after?.hits.map((h) => h.id)).toEqual(['lighthouse-repair', 'quillfeather-lighthouse']);
          expect(await api.generation()).not.toBe(generation);
          const found = await api.similarToText('', 'quillfeather', QUERY);
          expect(found.map((h) => h.id)).toEqual(['quillfeather-lighthouse']);
          expect(found[0]?.terms?.map((t) => t.term)).toEqual(['quillfeather']);
          expect(found[0]).toMatchObject({ title: newcomer.title, category: 'nature', source: 'Coastal Courier', publishedAt: newcomer.publishedAt });
        });
      });
    }));

  it('when the indexer replaces or deletes articles, then the API instance follows once it has caught up', () =>
    inTempDir((dir) => {
      const file = path.join(dir, 'similarity.db');
      return using(file, false, (indexer) => {
        indexer.upsert([...CORPUS, newcomer]);
        return using(file, true, async (api) => {
          expect((await api.similarTo('lighthouse-storm', QUERY))?.hits.map((h) => h.id)).toContain('quillfeather-lighthouse');

          indexer.upsert([{ ...newcomer, title: 'Quillfeather gulls leave the cliffs', body: 'The quillfeather colony flew south.' }]);
          await api.sync();
          expect((await api.similarTo('lighthouse-storm', QUERY))?.hits.map((h) => h.id)).toEqual(['lighthouse-repair']);
          expect((await api.similarToText('', 'quillfeather', QUERY))[0]?.title).toBe('Quillfeather gulls leave the cliffs');

          indexer.delete(['lighthouse-repair']);
          await api.sync();
          expect((await api.similarTo('lighthouse-storm', QUERY))?.hits).toEqual([]);
          expect(await api.similarTo('lighthouse-repair', QUERY)).toBeUndefined();
        });
      });
    }));
});

describe('encodeVector / decodeVector', () => {
  const vector = fc
    .uniqueArray(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 50 })
    .chain((terms) =>
      fc.tuple(
        fc.constant(Int32Array.from(terms.sort((a, b) => a - b))),
        fc.array(fc.float({ noNaN: true }), { minLength: terms.length, maxLength: terms.length }).map((c) => Float32Array.from(c)),
      ),
    );

  it('when a vector is encoded and decoded, then the same term ids and counts come back', () => {
    fc.assert(
      fc.property(vector, ([terms, counts]) => {
        const blob = encodeVector({ terms, counts });
        expect(blob.length).toBe(terms.length * 8);
        const back = decodeVector(blob);
        expect(Array.from(back.terms)).toEqual(Array.from(terms));
        expect(Array.from(back.counts)).toEqual(Array.from(counts));
      }),
    );
  });

  it('when the blob sits at an odd offset inside a larger buffer, then it still decodes', () => {
    fc.assert(
      fc.property(vector, fc.integer({ min: 1, max: 7 }), ([terms, counts], pad) => {
        const blob = encodeVector({ terms, counts });
        const inside = Buffer.concat([Buffer.alloc(pad, 0xff), blob, Buffer.alloc(3, 0xee)]).subarray(pad, pad + blob.length);
        const back = decodeVector(inside);
        expect(Array.from(back.terms)).toEqual(Array.from(terms));
        expect(Array.from(back.counts)).toEqual(Array.from(counts));
      }),
    );
  });

  it('when the vector is empty, then the blob is empty and decodes to an empty vector', () => {
    const back = decodeVector(encodeVector({ terms: new Int32Array(0), counts: new Float32Array(0) }));
    expect(back.terms.length).toBe(0);
    expect(back.counts.length).toBe(0);
  });
});
