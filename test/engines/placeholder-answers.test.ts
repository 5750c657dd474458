import type { SearchRequest, SearchResult } from '../../src/engines/search-engine.js';
import { KEPT_PAGE_SIZE, PlaceholderAnswers } from '../../src/engines/sqlite/placeholder-answers.js';

const request = (over: Partial<SearchRequest> = {}): SearchRequest => ({
  q: '', page: 1, perPage: 20, sort: 'newest', match: 'last', filters: {}, facets: ['category'], ...over,
});
const result = (total: number): SearchResult => ({ hits: [], totalHits: total, page: 1, perPage: 20, totalPages: 1, facets: { category: { world: total } } });

describe('PlaceholderAnswers', () => {
  it('when the same query comes again and the store is unchanged, then it is answered from memory, a copy each time', () => {
    let computed = 0;
    const answers = new PlaceholderAnswers(() => 7);
    const first = answers.answer(request(), () => result(++computed));
    (first.facets.category as Record<string, number>)['world'] = 999; // a caller changing its copy changes nothing kept
    const again = answers.answer(request({ freshness: { halfLifeDays: 7, now: Date.now() } }), () => result(++computed));
    expect(computed).toBe(1);
    expect(again).toEqual(result(1));
    answers.answer(request({ filters: { category: ['world'] } }), () => result(++computed));
    expect(computed).toBe(2);
  });

  it('when the store changed, then every kept answer is dropped', () => {
    let version = 1;
    let computed = 0;
    const answers = new PlaceholderAnswers(() => version);
    answers.answer(request(), () => result(++computed));
    version = 2;
    expect(answers.answer(request(), () => result(++computed)).totalHits).toBe(2);
  });

  it('when more shapes are asked than it keeps, then the least recently used goes', () => {
    let computed = 0;
    const answers = new PlaceholderAnswers(() => 1, 2);
    const ask = (page: number) => answers.answer(request({ page }), () => result(++computed));
    ask(1);
    ask(2);
    ask(1); // 1 used last: 2 goes next
    ask(3);
    expect(computed).toBe(3);
    ask(1);
    expect(computed).toBe(3);
    ask(2);
    expect(computed).toBe(4);
  });

  it('when a page is larger than the API gives (an export reads 500 at a time), then it is computed each time and not kept', () => {
    let computed = 0;
    const answers = new PlaceholderAnswers(() => 1);
    answers.answer(request({ perPage: KEPT_PAGE_SIZE + 400 }), () => result(++computed));
    answers.answer(request({ perPage: KEPT_PAGE_SIZE + 400 }), () => result(++computed));
    expect(computed).toBe(2);
  });
});
