import Database from 'better-sqlite3';
import { DOMINANT_FACTOR, EntityNamesState } from '../../src/entities/entity-names-state.js';
import { ENTITY_SCHEMA } from '../../src/entities/entity-store.js';

/**
 * How a name given in an entity filter resolves (entities/entity-names-state.ts), over mentions written straight
 * into the entity tables: full names folded, surnames, gazetteer aliases, namesakes and a dominant bearer.
 */
function namesOver(mentions: readonly [kind: string, name: string, articles: number][]): EntityNamesState {
  const db = new Database(':memory:');
  db.exec(ENTITY_SCHEMA);
  const add = db.prepare('INSERT INTO ent_mentions (kind, name, article_id, salience) VALUES (?, ?, ?, 1)');
  for (const [kind, name, articles] of mentions) for (let i = 0; i < articles; i++) add.run(kind, name, `${name}-${i}`);
  const state = new EntityNamesState(db);
  db.transaction(() => state.rebuild())();
  return state;
}

describe('entity filter resolution', () => {
  it('when a full name is given in any case, with or without accents, then it is that name', () => {
    const names = namesOver([['people', 'Recep Tayyip Erdoğan', 2]]);
    expect(names.resolveNow('people', 'RECEP TAYYIP ERDOGAN')).toEqual({ match: 'name', names: ['Recep Tayyip Erdoğan'] });
  });

  it('when a surname, the last two words or first and last word of one person is given, then it is that person', () => {
    const names = namesOver([['people', 'Jose Maria Aznar', 3]]);
    for (const q of ['aznar', 'Maria Aznar', 'jose aznar']) expect(names.resolveNow('people', q)).toEqual({ match: 'alias', names: ['Jose Maria Aznar'] });
  });

  it('when a lone surname is stored beside the one full name that ends in it, then both are filtered on', () => {
    const names = namesOver([['people', 'Paul Volcker', 5], ['people', 'Volcker', 2]]);
    expect(names.resolveNow('people', 'volcker')).toEqual({ match: 'name', names: ['Paul Volcker', 'Volcker'] });
  });

  it(`when one bearer of a surname is named in ${DOMINANT_FACTOR}× the articles of any other, then the surname is that one`, () => {
    const names = namesOver([['people', 'Ronald Reagan', 20], ['people', 'Besides Reagan', 2]]);
    expect(names.resolveNow('people', 'reagan')).toEqual({ match: 'alias', names: ['Ronald Reagan'] });
  });

  it('when several bearers share a surname and none dominates, then it is ambiguous, most articles first', () => {
    const names = namesOver([['people', 'James Baker', 19], ['people', 'Howard Baker', 2], ['orgs', 'Baker Hughes', 4]]);
    expect(names.resolveNow('people', 'Baker')).toEqual({
      match: 'ambiguous',
      candidates: [
        { kind: 'people', name: 'James Baker', articles: 19 },
        { kind: 'people', name: 'Howard Baker', articles: 2 },
      ],
      more: 0,
    });
  });

  it('when an organisation is given by a gazetteer alias, then it is the canonical organisation; other kinds never match', () => {
    const names = namesOver([['orgs', 'International Monetary Fund', 3], ['people', 'Christine Lagarde', 1]]);
    expect(names.resolveNow('orgs', 'imf')).toEqual({ match: 'alias', names: ['International Monetary Fund'] });
    expect(names.resolveNow('people', 'imf')).toEqual({ match: 'unknown' });
    expect(names.resolveNow('orgs', 'lagarde')).toEqual({ match: 'unknown' });
    expect(names.resolveNow('people', ' ?! ')).toEqual({ match: 'unknown' });
  });

  it('when a person is given with the title the news used before the name, then the title is not part of what is looked for', () => {
    const names = namesOver([['people', 'Fahd', 6], ['people', 'Ronald Reagan', 9], ['orgs', 'Federal Reserve', 4]]);
    expect(names.resolveNow('people', 'King Fahd')).toEqual({ match: 'alias', names: ['Fahd'] });
    expect(names.resolveNow('people', 'President Reagan')).toEqual({ match: 'alias', names: ['Ronald Reagan'] });
    expect(names.suggestNow('king fahd', 'people', 5)).toEqual([{ kind: 'people', name: 'Fahd', articles: 6 }]);
    expect(names.suggestNow('king fah', undefined, 5)).toEqual([{ kind: 'people', name: 'Fahd', articles: 6 }]);
    // a title word that starts what is stored is kept: "Federal" finds the Federal Reserve, not every person
    expect(names.suggestNow('federal', undefined, 5)).toEqual([{ kind: 'orgs', name: 'Federal Reserve', articles: 4 }]);
    expect(names.resolveNow('people', 'King')).toEqual({ match: 'unknown' });
  });
});
