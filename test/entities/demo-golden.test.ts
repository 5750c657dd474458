import fs from 'node:fs';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { ingestArticles, refreshEntities } from '../../src/services/ingest-articles.js';

/**
 * Golden test: the people, organisations and places of every demo article (data/demo), through the indexing
 * pipeline with corpus evidence, as test/fixtures/entities/demo-golden.json holds them. A rule change that moves
 * any of them fails here; when the move is intended, rewrite the file (`UPDATE_GOLDEN=1`) and review its diff.
 */
const GOLDEN = 'test/fixtures/entities/demo-golden.json';
const demo = fs
  .readFileSync('data/demo/articles.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string });

type Found = Record<string, { people: string[]; orgs: string[]; places: string[] }>;

async function extracted(): Promise<Found> {
  const engine = SqliteEngine.open({ file: ':memory:' });
  const entities = Entities.open(':memory:');
  try {
    await ingestArticles({ engine, entities }, demo.map((value, i) => ({ location: `r${i}`, value })));
    await refreshEntities({ engine, entities });
    const out: Found = {};
    for (const { id } of [...demo].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const a = await engine.get(id);
      out[id] = { people: [...(a?.people ?? [])].sort(), orgs: [...(a?.orgs ?? [])].sort(), places: [...(a?.places ?? [])].sort() };
    }
    return out;
  } finally {
    await engine.close();
    entities.close();
  }
}

describe('entities of the demo set (golden)', () => {
  it('when the demo articles are indexed, then every article names the entities the golden file holds', async () => {
    const found = await extracted();
    if (process.env['UPDATE_GOLDEN'] === '1') fs.writeFileSync(GOLDEN, `${JSON.stringify(found, null, 1)}\n`);
    const golden = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as Found;
    expect(Object.keys(found)).toHaveLength(demo.length);
    expect(found).toEqual(golden);
  });
});
