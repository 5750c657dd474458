import { filterSql } from '../../src/engines/sqlite/filter-sql.js';
import { without } from '../../src/engines/sqlite/match-expression.js';

describe('filterSql', () => {
  it('when a filter has more values, then the SQL text is the same (one prepared statement, not one per count)', () => {
    const one = filterSql({ category: ['a'], tags: ['t'], people: ['P'] });
    const many = filterSql({ category: ['a', 'b', 'c'], tags: ['t', 'u'], people: ['P', 'Q', 'R', 'S'] });
    expect(many.sql).toBe(one.sql);
    expect(many.params).toEqual([JSON.stringify(['a', 'b', 'c']), JSON.stringify(['t', 'u']), 'people', JSON.stringify(['P', 'Q', 'R', 'S'])]);
  });
});

describe('without', () => {
  it('when there are several exclusions, then they form one flat NOT group (FTS5 nests no deeper for more)', () => {
    expect(without('"oil"', ['"a"', '"b"', '"c"'])).toBe('("oil") NOT (("a") OR ("b") OR ("c"))');
    expect(without('"oil"', [])).toBe('"oil"');
  });
});
