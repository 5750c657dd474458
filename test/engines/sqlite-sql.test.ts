import { filterSql } from '../../src/engines/sqlite/filter-sql.js';

describe('filterSql', () => {
  it('when filters have more values, then the SQL text takes one of a few shapes (power-of-two slots, NULL-padded)', () => {
    const shapes = new Set<string>();
    for (let n = 1; n <= 100; n++) {
      const values = Array.from({ length: n }, (_, i) => `v${i}`);
      const { sql, params } = filterSql({ category: values, tags: values });
      shapes.add(sql);
      expect(params.filter((p) => p !== null)).toEqual([...values, ...values]);
    }
    expect(shapes.size).toBe(8); // 1, 2, 4, 8, 16, 32, 64, 128 slots
  });

  it('when a list is padded with NULL, then it matches exactly its values', () => {
    const { sql, params } = filterSql({ category: ['a', 'b', 'c'] });
    expect(sql).toBe('a.category IN (?, ?, ?, ?)');
    expect(params).toEqual(['a', 'b', 'c', null]);
  });
});
