import type { Express } from 'express';
import request from 'supertest';
import { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { entityProfileSchema } from '../../src/http/response-schemas.js';
import { appOverStories } from '../helpers/stories-app.js';
import { MeiliStub } from '../helpers/meili-stub.js';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-01-01T09:00:00Z');
const date = (day: number, hour = 0) => new Date(START + day * DAY_MS + hour * 3_600_000).toISOString();

/**
 * 60 days of a fictional wire: two filler stories a day; Odile Brancart named every fourth day, then in six stories
 * a day on days 40-42, where Tomas Vintner is named with her for the first time (and Ilse Marrow, named with her
 * since day 0, is not new).
 */
function stories(): unknown[] {
  const list: unknown[] = [];
  for (let day = 0; day < 60; day++) {
    for (let k = 0; k < 2; k++) {
      list.push({ id: `filler-${day}-${k}`, title: `Harbour report ${day} ${k}`, body: 'Ships arrived and left the harbour on time.', publishedAt: date(day, k) });
    }
    if (day % 4 === 0 && (day < 40 || day > 42)) {
      list.push({
        id: `usual-${day}`,
        title: `Budget note ${day}`,
        body: 'Finance Minister Odile Brancart said the budget was on track. Deputy Minister Ilse Marrow agreed.',
        publishedAt: date(day, 3),
      });
    }
    if (day >= 40 && day <= 42) {
      for (let k = 0; k < 6; k++) {
        list.push({
          id: `crisis-${day}-${k}`,
          title: `Budget crisis ${day} ${k}`,
          body: 'Finance Minister Odile Brancart met Trade Minister Tomas Vintner about the deficit. Brancart said talks went on.',
          publishedAt: date(day, 4 + k),
        });
      }
    }
  }
  return list;
}

function expectBurst(body: unknown): void {
  const profile = entityProfileSchema.parse(body);
  expect(profile.bursts).toHaveLength(1);
  const [burst] = profile.bursts;
  expect(burst).toMatchObject({ start: '2026-02-10', end: '2026-02-12', peak: '2026-02-10', count: 18 });
  expect(burst!.baseline).toBeGreaterThan(0);
  expect(burst!.baseline).toBeLessThan(burst!.count / 2);
  expect(burst!.weight).toBeGreaterThan(0);
  expect(burst!.newCompanions).toEqual([{ type: 'person', name: 'Tomas Vintner', articles: 18, firstSeen: '2026-02-10T13:00:00.000Z' }]);
  // the last 30 days (Jan 31 to Mar 1): Tomas Vintner is new there too; Ilse Marrow was named with her on day 0
  expect(profile.newCompanions.map((c) => c.name)).toEqual(['Tomas Vintner']);
}

describe('GET /api/entities/:type/:name bursts and new companions', () => {
  let app: Express;
  beforeAll(async () => {
    app = await appOverStories(stories(), {});
  });

  it('when an entity is named many times over three days, then one burst covers them, with the entity first named with it then', async () => {
    const res = await request(app).get('/api/entities/person/Odile%20Brancart');
    expect(res.status).toBe(200);
    expectBurst(res.body);
  });

  it('when an entity is named at its usual rate, then it has no burst', async () => {
    const res = await request(app).get('/api/entities/person/Ilse%20Marrow');
    expect(res.status).toBe(200);
    expect(entityProfileSchema.parse(res.body).bursts).toEqual([]);
  });

  it('when an entity is only named in its burst days, then it has no burst (no baseline to rise above) and no new companion (it was not named before)', async () => {
    const res = await request(app).get('/api/entities/person/Tomas%20Vintner');
    const profile = entityProfileSchema.parse(res.body);
    expect(profile.bursts).toEqual([]);
    expect(profile.related.map((r) => r.name)).toEqual(['Odile Brancart']);
    expect(profile.newCompanions).toEqual([]);
  });
});

describe('entity bursts on the Meilisearch adapter (the local stub): the entity store is the same', () => {
  const MASTER = 'master-key-for-burst-tests-0123456789';
  let stub: MeiliStub;
  let engine: MeilisearchEngine;
  let app: Express;

  beforeAll(async () => {
    stub = new MeiliStub(MASTER);
    await stub.start();
    engine = new MeilisearchEngine({ url: stub.url, index: 'articles', keys: { masterKey: MASTER }, role: 'indexer', taskIntervalMs: 1 });
    app = await appOverStories(stories(), {}, engine);
  });

  afterAll(async () => {
    await engine.close();
    await stub.stop();
  });

  it('when an entity is named many times over three days, then the same burst and new companion', async () => {
    const res = await request(app).get('/api/entities/person/Odile%20Brancart');
    expect(res.status).toBe(200);
    expectBurst(res.body);
  });
});
