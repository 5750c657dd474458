import { AmbiguousNameError } from '../../src/core/errors.js';
import type { EntityResolution } from '../../src/entities/entity-port.js';
import { prepareSearch } from '../../src/services/prepare-search.js';
import { searchRequest } from '../helpers/make-article.js';

/**
 * The one preparation of a search and an export: what it makes of the request with and without entity statistics,
 * and with an engine that finds the entities a query names itself or not. Entity statistics here know Sergei Lavrov
 * (by name; "Lavrov" is his alias) and two people called Smith.
 */
const asked: string[] = [];
const entities = {
  named: async (text: string) => {
    asked.push(text);
    return text.toLowerCase() === 'sergei lavrov' ? [{ kind: 'people', name: 'Sergei Lavrov', articles: 3 } as const] : [];
  },
  resolve: async (_kind: string, text: string): Promise<EntityResolution> => {
    if (text === 'Lavrov') return { match: 'alias', names: ['Sergei Lavrov'] };
    if (text === 'Smith') return { match: 'ambiguous', candidates: [{ kind: 'people', name: 'Ann Smith', articles: 2 }, { kind: 'people', name: 'Bob Smith', articles: 1 }], more: 0 };
    return { match: 'unknown' };
  },
};
const finds = (yes: boolean) => ({ findsNamedEntities: () => yes });

beforeEach(() => asked.splice(0));

describe('prepareSearch', () => {
  it('when the engine finds named entities itself, then aboutNamed is asked and the statistics are not read for names', async () => {
    const { request } = await prepareSearch({ engine: finds(true), entities }, searchRequest({ q: 'Sergei Lavrov' }));
    expect(request).toEqual(searchRequest({ q: 'Sergei Lavrov', aboutNamed: true }));
    expect(asked).toEqual([]);
  });

  it('when the engine does not, then the entities the query names are passed as about, and none when it names none', async () => {
    expect((await prepareSearch({ engine: finds(false), entities }, searchRequest({ q: 'Sergei Lavrov' }))).request)
      .toEqual(searchRequest({ q: 'Sergei Lavrov', about: [{ kind: 'people', name: 'Sergei Lavrov' }] }));
    expect((await prepareSearch({ engine: finds(false), entities }, searchRequest({ q: 'harbour' }))).request).toEqual(searchRequest({ q: 'harbour' }));
  });

  it('when entity filters are given, then they are resolved to canonical names and what each was taken to mean is told', async () => {
    const { request, resolved } = await prepareSearch({ engine: finds(false), entities }, searchRequest({ q: 'talks', filters: { people: ['Lavrov'], source: ['Wire'] } }));
    expect(request.filters).toEqual({ people: ['Sergei Lavrov'], source: ['Wire'] });
    expect(resolved).toEqual({ person: [{ value: 'Lavrov', match: 'alias', names: ['Sergei Lavrov'] }] });
  });

  it('when an entity filter is ambiguous, then preparing fails with AmbiguousNameError', async () => {
    await expect(prepareSearch({ engine: finds(true), entities }, searchRequest({ filters: { people: ['Smith'] } }))).rejects.toBeInstanceOf(AmbiguousNameError);
  });

  it('when there are no entity statistics, then the request goes as asked (an export too: no page fields needed)', async () => {
    const whole = { q: 'Sergei Lavrov', sort: 'relevance', match: 'last', filters: { people: ['Lavrov'] } } as const;
    expect(await prepareSearch({ engine: finds(true) }, whole)).toEqual({ request: whole });
  });
});
