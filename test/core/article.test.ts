import fc from 'fast-check';
import type { Article } from '../../src/core/article.js';
import { MAX_BODY_CHARS, MAX_ID_BYTES, contentHash, deriveArticleId } from '../../src/core/article.js';
import type { FieldIssue } from '../../src/core/errors.js';
import { validateArticle } from '../../src/core/validate-article.js';

const minimal = { title: 'Harbour bridge reopens', body: 'The Kestrel Bay bridge reopened on Monday after repairs.' };

const article = (raw: unknown): Article => {
  const result = validateArticle(raw);
  if (!result.ok) throw new Error(`expected a valid article, got ${JSON.stringify(result.issues)}`);
  return result.article;
};

const issues = (raw: unknown): readonly FieldIssue[] => {
  const result = validateArticle(raw);
  if (result.ok) throw new Error(`expected an invalid article, got ${JSON.stringify(result.article)}`);
  return result.issues;
};

const paths = (raw: unknown): string[] => issues(raw).map((i) => i.path);

describe('validateArticle', () => {
  describe('valid records', () => {
    it('when a record has only a title and a body, then it is valid and gets a derived id', () => {
      const a = article(minimal);
      expect(a).toEqual({ ...minimal, id: expect.stringMatching(/^h-[0-9a-f]{16}$/) });
    });

    it('when text fields have surrounding spaces, then they are trimmed', () => {
      const a = article({ id: 'kb-1', title: '  Title  ', body: '\nBody\t', source: ' Kestrel Times ' });
      expect(a).toMatchObject({ title: 'Title', body: 'Body', source: 'Kestrel Times' });
    });

    it('when optional text fields are blank, then they are dropped', () => {
      const a = article({ ...minimal, id: 'kb-1', summary: '   ', category: '', author: ' ' });
      expect(Object.keys(a).sort()).toEqual(['body', 'id', 'title']);
    });

    it('when a record has unknown fields, then they are dropped', () => {
      expect(article({ ...minimal, id: 'kb-1', views: 12 })).not.toHaveProperty('views');
    });

    it('when a record has every field, then they are all kept and dates become UTC ISO strings', () => {
      const a = article({
        ...minimal,
        id: 'kb_2026-03-14',
        url: 'https://kestrel.example/bridge',
        summary: 'Bridge open',
        publishedAt: '2026-03-14',
        updatedAt: '2026-03-14T09:30:00+02:00',
        source: 'Kestrel Times',
        category: 'transport',
        tags: ['bridge'],
        author: 'A. Writer',
        language: 'en-GB',
      });
      expect(a).toMatchObject({
        id: 'kb_2026-03-14',
        publishedAt: '2026-03-14T00:00:00.000Z',
        updatedAt: '2026-03-14T07:30:00.000Z',
        language: 'en-GB',
      });
    });
  });

  describe('title and body', () => {
    it.each([
      ['title is missing', { body: 'b' }, ['title']],
      ['body is missing', { title: 't' }, ['body']],
      ['both are missing', {}, ['title', 'body']],
      ['title is empty', { title: '', body: 'b' }, ['title']],
      ['body is only spaces', { title: 't', body: '  \n ' }, ['body']],
      ['title is not a string', { title: 42, body: 'b' }, ['title']],
    ])('when %s, then the record is rejected naming the field', (_case, raw, expected) => {
      expect(paths(raw)).toEqual(expected);
    });

    it('when the body is at the limit, then it is accepted; one character more, then it is rejected', () => {
      expect(article({ title: 't', body: 'x'.repeat(MAX_BODY_CHARS) }).body).toHaveLength(MAX_BODY_CHARS);
      expect(paths({ title: 't', body: 'x'.repeat(MAX_BODY_CHARS + 1) })).toEqual(['body']);
    });

    it('when the record is not an object, then it is rejected at the root', () => {
      expect(paths(null)).toEqual(['(root)']);
      expect(paths([minimal])).toEqual(['(root)']);
      expect(paths('text')).toEqual(['(root)']);
    });

    it('when several fields are wrong, then every one is listed', () => {
      expect(paths({ id: 'a b', title: ' ', body: 3, url: 'ftp://x.example/' })).toEqual(['id', 'title', 'body', 'url']);
    });
  });

  describe('id', () => {
    it.each(['a b', 'a/b', 'café', 'a.b', 'a:b', ''])('when the id is %p, then it is rejected', (id) => {
      expect(paths({ ...minimal, id })).toEqual(['id']);
    });

    it(`when the id is ${MAX_ID_BYTES} bytes, then it is accepted; one byte more, then it is rejected`, () => {
      expect(article({ ...minimal, id: 'a'.repeat(MAX_ID_BYTES) }).id).toHaveLength(MAX_ID_BYTES);
      expect(issues({ ...minimal, id: 'a'.repeat(MAX_ID_BYTES + 1) })).toEqual([
        { path: 'id', message: expect.stringContaining(`${MAX_ID_BYTES} bytes`) },
      ]);
    });

    it('when the record has a url and no id, then the id derives from the url only', () => {
      const a = article({ ...minimal, url: 'https://kestrel.example/bridge' });
      const b = article({ title: 'Rewritten', body: 'New text', url: 'https://kestrel.example/bridge' });
      expect(a.id).toMatch(/^u-[0-9a-f]{16}$/);
      expect(b.id).toBe(a.id);
    });

    it('when the record has neither id nor url, then the id derives from title and body', () => {
      const a = article(minimal);
      expect(article({ ...minimal }).id).toBe(a.id);
      expect(article({ ...minimal, body: 'Other text' }).id).not.toBe(a.id);
      expect(article({ ...minimal, title: `  ${minimal.title} ` }).id).toBe(a.id);
    });

    it('when an id is derived, then it matches deriveArticleId', () => {
      expect(article(minimal).id).toBe(deriveArticleId(minimal));
      expect(article({ ...minimal, url: 'https://x.example/' }).id).toBe(deriveArticleId({ ...minimal, url: 'https://x.example/' }));
    });

    it('when any id is derived, then it is stable and a valid id', () => {
      fc.assert(
        fc.property(
          fc.string({ minLength: 1 }),
          fc.string({ minLength: 1 }),
          fc.option(fc.webUrl(), { nil: undefined }),
          (title, body, url) => {
            const id = deriveArticleId({ title, body, url });
            expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
            expect(deriveArticleId({ title, body, url })).toBe(id);
          },
        ),
      );
    });
  });

  describe('dates', () => {
    it.each(['2026-13-01', '2026-00-10', '14/03/2026', 'yesterday', '2026-03-14T25:00:00Z', '2026-03-14T09:60:00Z', '2026-3-4', ''])(
      'when publishedAt is %p, then the record is rejected naming publishedAt',
      (publishedAt) => {
        expect(paths({ ...minimal, publishedAt })).toEqual(['publishedAt']);
      },
    );

    it('when updatedAt is not a date, then the record is rejected naming updatedAt', () => {
      expect(paths({ ...minimal, updatedAt: 'soon' })).toEqual(['updatedAt']);
    });

    it('when a date has an offset or fractions, then it is stored as UTC with milliseconds', () => {
      expect(article({ ...minimal, publishedAt: '2026-03-14T09:30:00+0200' }).publishedAt).toBe('2026-03-14T07:30:00.000Z');
      expect(article({ ...minimal, publishedAt: '2026-03-14T09:30:00.1234Z' }).publishedAt).toBe('2026-03-14T09:30:00.123Z');
    });

    // Product bug: Date.parse rolls impossible days over (2026-02-30 → 2026-03-02) instead of refusing them.
    it.each(['2026-02-30', '2026-02-29', '2026-04-31'])(
      'when publishedAt is the impossible day %p, then the record is rejected',
      (publishedAt) => {
        expect(paths({ ...minimal, publishedAt })).toEqual(['publishedAt']);
      },
    );
  });

  describe('other fields', () => {
    it('when tags have spaces and duplicates, then they are trimmed and de-duplicated in first-seen order', () => {
      expect(article({ ...minimal, tags: [' bridge', 'transport ', 'bridge', 'Kestrel Bay'] }).tags).toEqual([
        'bridge',
        'transport',
        'Kestrel Bay',
      ]);
    });

    it('when tags is empty, then the field is dropped', () => {
      expect(article({ ...minimal, tags: [] })).not.toHaveProperty('tags');
    });

    it('when tags is not a list of strings, then the record is rejected naming the tag', () => {
      expect(paths({ ...minimal, tags: ['ok', 7] })).toEqual(['tags.1']);
      expect(paths({ ...minimal, tags: 'bridge' })).toEqual(['tags']);
    });

    it.each([
      ['url', 'ftp://kestrel.example/'],
      ['url', 'not a url'],
      ['language', 'English'],
      ['language', 'EN'],
    ])('when %s is %p, then the record is rejected naming it', (field, value) => {
      expect(paths({ ...minimal, [field]: value })).toEqual([field]);
    });
  });
});

describe('contentHash', () => {
  const full: Article = {
    id: 'kb-1',
    title: 'Title',
    body: 'Body',
    url: 'https://kestrel.example/a',
    summary: 'Summary',
    publishedAt: '2026-03-14T00:00:00.000Z',
    updatedAt: '2026-03-15T00:00:00.000Z',
    source: 'Kestrel Times',
    category: 'transport',
    tags: ['bridge', 'harbour'],
    author: 'A. Writer',
    language: 'en',
  };

  it('when the article is the same, then the hash is the same 16 hex digits', () => {
    expect(contentHash(full)).toMatch(/^[0-9a-f]{16}$/);
    expect(contentHash({ ...full, tags: [...(full.tags ?? [])] })).toBe(contentHash(full));
  });

  it.each(Object.keys(full) as (keyof Article)[])('when %s changes, then the hash changes', (field) => {
    const changed = field === 'tags' ? ['bridge'] : `${String(full[field])}x`;
    expect(contentHash({ ...full, [field]: changed })).not.toBe(contentHash(full));
  });

  it.each(Object.keys(full).filter((k) => !['id', 'title', 'body'].includes(k)) as (keyof Article)[])(
    'when %s is removed, then the hash changes',
    (field) => {
      const { [field]: _removed, ...rest } = full;
      expect(contentHash(rest as Article)).not.toBe(contentHash(full));
    },
  );

  it('when the tag order changes, then the hash changes', () => {
    expect(contentHash({ ...full, tags: ['harbour', 'bridge'] })).not.toBe(contentHash(full));
  });

  it('when text moves from one field to the next, then the hash changes', () => {
    expect(contentHash({ ...full, title: 'TitleB', body: 'ody' })).not.toBe(contentHash(full));
    expect(contentHash({ ...full, source: undefined, category: 'Kestrel Times' })).not.toBe(contentHash(full));
  });
});
