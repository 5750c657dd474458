import fc from 'fast-check';
import { filterExpression, quoteValue } from '../../src/engines/meilisearch/filter-expression.js';
import { toMeiliQuery } from '../../src/engines/meilisearch/query.js';
import { settingsToUpdate, DESIRED_SETTINGS } from '../../src/engines/meilisearch/settings.js';
import { parseFilter } from '../helpers/meili-filter.js';
import { DEFAULT_SETTINGS, quotedValues } from '../helpers/meili-stub.js';

/** The expression with every string literal replaced by `?`: what the values cannot change. */
const skeleton = (filter: string): string => filter.replace(/"((?:[^"\\]|\\.)*)"/g, '?');

describe('meilisearch filter expressions', () => {
  it('when a value holds a double quote or a backslash, then both are escaped inside double quotes', () => {
    expect(quoteValue('plain')).toBe('"plain"');
    expect(quoteValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteValue('a\\')).toBe('"a\\\\"');
    expect(quoteValue('\\"')).toBe('"\\\\\\""');
  });

  it('when values are arbitrary strings, then the expression keeps its shape and every value reads back exactly', () => {
    const values = fc.array(fc.string({ unit: fc.constantFrom('"', '\\', ' ', 'OR', 'AND', '=', '[', ']', 'TO', 'NOT', '(', ')', 'a', 'é', '\'') }), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(values, values, (category, people) => {
        const filter = filterExpression({ category, people })!;
        expect(skeleton(filter)).toBe(skeleton(filterExpression({ category: category.map(() => 'x'), people: people.map(() => 'y') })!));
        expect(quotedValues(filter)).toEqual([...category, ...people]);
        // and Meilisearch's grammar (filter-parser, as the stub reads it) gives back the same two lists
        expect(parseFilter(filter)).toEqual({ kind: 'and', items: [{ kind: 'in', fid: 'category', values: category }, { kind: 'in', fid: 'people', values: people }] });
      }),
    );
  });

  it('when fields are combined, then values are OR-ed within a field and fields AND-ed, entity fields included', () => {
    expect(filterExpression({ tags: ['a', 'b'], source: ['S'], places: ['Valmora'], orgs: ['Coastal Trade Council'] })).toBe(
      'source IN ["S"] AND tags IN ["a", "b"] AND orgs IN ["Coastal Trade Council"] AND places IN ["Valmora"]',
    );
    expect(filterExpression({})).toBeUndefined();
    expect(filterExpression({ category: [] })).toBeUndefined();
  });

  it('when dates are given, then they become an inclusive numeric range on publishedAt (ms)', () => {
    expect(filterExpression({ from: '2026-03-14T23:59:59.999Z' })).toBe(`publishedAt >= ${Date.parse('2026-03-14T23:59:59.999Z')}`);
    expect(filterExpression({ to: '2026-03-14' })).toBe(`publishedAt <= ${Date.parse('2026-03-15T00:00:00Z') - 1}`);
    expect(filterExpression({ from: 'not a date' })).toBe('publishedAt < 0 AND publishedAt > 0');
  });
});

describe('meilisearch query translation', () => {
  it.each([
    ['harbour ferry', 'harbour ferry'],
    ['harbour ferry ', 'harbour ferry '],
    ['"foreign minister"', '"foreign minister"'],
    ['tax -"tax cut"', '-"tax cut" tax '],
    ['minister -foreign', '-foreign minister '],
    ['-tax', '-tax'],
    ['"unclosed', '"unclosed"'],
    ['Zoë ERDOĞAN', 'zoe erdogan'],
    ['a OR b', 'a or b'],
    ['body:ferry', 'body ferry'],
    ['"', ''],
    ['*', ''],
    ['U.S. visit', '"u s" visit'],
  ])('when the query is %j, then Meilisearch gets %j', (raw, expected) => {
    expect(toMeiliQuery(raw)).toBe(expected);
  });

  it('when the query has more than ten words, then only the first ten are sent (exclusions still count)', () => {
    expect(toMeiliQuery('one two three four five six seven eight nine ten eleven twelve -zero')).toBe(
      '-zero one two three four five six seven eight nine ten ',
    );
  });
});

describe('meilisearch settings diff', () => {
  it('when the index has the defaults, then every desired setting is to be updated', () => {
    expect(Object.keys(settingsToUpdate(DEFAULT_SETTINGS)).sort()).toEqual(Object.keys(DESIRED_SETTINGS).sort());
  });

  it('when the index holds the desired settings (lists in another order, extra fields), then nothing is to be updated', () => {
    const current = {
      ...DEFAULT_SETTINGS,
      ...structuredClone(DESIRED_SETTINGS),
      filterableAttributes: [...DESIRED_SETTINGS.filterableAttributes].reverse(),
      typoTolerance: { ...DESIRED_SETTINGS.typoTolerance, somethingNew: true },
    };
    expect(settingsToUpdate(current)).toEqual({});
  });

  it('when one nested field differs, then its whole setting is to be updated', () => {
    const current = { ...structuredClone(DESIRED_SETTINGS), typoTolerance: { ...DESIRED_SETTINGS.typoTolerance, disableOnNumbers: false } };
    expect(settingsToUpdate(current)).toEqual({ typoTolerance: DESIRED_SETTINGS.typoTolerance });
  });
});
