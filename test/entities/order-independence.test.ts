import fs from 'node:fs';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { ingestArticles, refreshEntities } from '../../src/services/ingest-articles.js';

/**
 * Corpus evidence makes an article's entities depend on other articles; after a run's refresh they must not
 * depend on the order the articles came in, nor on batch boundaries (the indexer's crash-and-rerun guarantee
 * rests on this).
 */
const demo = fs
  .readFileSync('data/demo/articles.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string });

/** Articles whose entities hinge on each other: a company that also looks like a person, a titled surname. */
const tangled = [
  { id: 't1', title: 'Copier deal', body: 'Rank Xerox said it would sell copiers in Valmora. Xerox said little else.' },
  { id: 't2', title: 'Copier unit', body: 'Rank Xerox Ltd opened an office. The unit of Xerox Corp hired staff.' },
  { id: 't3', title: 'Budget', body: 'Treasury Secretary Baker spoke. Baker said the budget would pass.' },
  { id: 't4', title: 'Treasury', body: 'Treasury Secretary James Baker met bankers. Baker said rates would fall.' },
  { id: 't5', title: 'Staff', body: 'White House Chief of Staff Howard Baker met reporters.' },
  { id: 't6', title: 'Stake', body: 'Shearson Lehman Brothers Inc raised its stake in the bank.' },
  { id: 't7', title: 'Bid', body: 'Shearson Lehman said it would bid for the unit.' },
  { id: 't8', title: 'Apparel', body: 'Peter Miller Apparel Group Inc sold a plant.' },
  { id: 't9', title: 'Claims', body: 'Investors face claims, chairman Peter Miller said. Miller urged them to accept.' },
  { id: 't10', title: 'Cup', body: 'Port Aldric Rovers beat the visitors in the final.' },
  { id: 't11', title: 'Fans', body: 'Fans gathered in Port Aldric on Sunday to cheer.' },
];

async function entitiesAfter(order: readonly { id: string }[], batchSize: number): Promise<Map<string, string>> {
  const engine = SqliteEngine.open({ file: ':memory:' });
  const entities = Entities.open(':memory:');
  try {
    await ingestArticles({ engine, entities }, order.map((value, i) => ({ location: `r${i}`, value })), { batchSize });
    await refreshEntities({ engine, entities });
    const out = new Map<string, string>();
    for (const { id } of order) {
      const a = await engine.get(id);
      out.set(id, JSON.stringify([a?.people, a?.orgs, a?.places]));
    }
    return out;
  } finally {
    await engine.close();
    entities.close();
  }
}

const sorted = (m: Map<string, string>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));

describe('entity extraction over a corpus', () => {
  it.each([
    ['the demo set', demo],
    ['articles that hinge on each other', [...tangled, ...demo]],
  ])('when %s comes in another order and other batches, then every article ends with the same entities', async (_, corpus) => {
    const forward = await entitiesAfter(corpus, 500);
    const backward = await entitiesAfter([...corpus].reverse(), 3);
    const interleaved = await entitiesAfter(corpus.filter((_, i) => i % 2 === 1).concat(corpus.filter((_, i) => i % 2 === 0)), 7);
    expect(sorted(backward)).toEqual(sorted(forward));
    expect(sorted(interleaved)).toEqual(sorted(forward));
  });

  it('when a lone titled surname has namesakes, then corpus evidence with the same title decides, whatever the order', async () => {
    for (const order of [tangled, [...tangled].reverse()]) {
      const found = await entitiesAfter(order, 2);
      expect(JSON.parse(found.get('t3')!)[0]).toEqual(['James Baker']);
      expect(JSON.parse(found.get('t1')!)[0] ?? []).not.toContain('Rank Xerox');
    }
  });

  it('when a name is the start of an organisation\'s longer name elsewhere, then it is that organisation, unless marked as a person', async () => {
    for (const order of [tangled, [...tangled].reverse()]) {
      const found = await entitiesAfter(order, 2);
      const [people, orgs] = JSON.parse(found.get('t7')!) as [string[] | null, string[] | null];
      expect(people ?? []).toEqual([]);
      expect(orgs).toEqual(['Shearson Lehman']);
      expect(JSON.parse(found.get('t9')!)[0]).toEqual(['Peter Miller']);
      expect(JSON.parse(found.get('t11')!)[1] ?? []).not.toContain('Port Aldric'); // a place, not the club's short name
    }
  });
});
