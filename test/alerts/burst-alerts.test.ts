import { createHmac } from 'node:crypto';
import request from 'supertest';
import type { AlertRig as Rig, Receiver } from './alert-rig.js';
import { ADMIN, AlertRig, runAlerts, SECRET, startReceiver, waitFor } from './alert-rig.js';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-01-01T09:00:00Z');
const date = (day: number, hour = 0) => new Date(START + day * DAY_MS + hour * 3_600_000).toISOString();

interface BurstDelivery {
  savedSearch: { id: string; name: string; entityBursts: { type: string; name: string } };
  burst: { start: string; end: string; peak: string; count: number; baseline: number; weight: number };
  articles: { id: string; title: string; url: string | null; publishedAt: string | null }[];
}

/** Days `from` to `to` of a fictional wire: two filler stories a day, Odile Brancart named every fourth day. */
function usualDays(from: number, to: number): object[] {
  const list: object[] = [];
  for (let day = from; day <= to; day++) {
    for (let k = 0; k < 2; k++) list.push({ id: `filler-${day}-${k}`, title: `Harbour report ${day} ${k}`, body: 'Ships arrived and left the harbour on time.', publishedAt: date(day, k) });
    if (day % 4 === 0) {
      list.push({ id: `usual-${day}`, title: `Budget note ${day}`, body: 'Finance Minister Odile Brancart said the budget was on track.', publishedAt: date(day, 3) });
    }
  }
  return list;
}

/** Six stories a day naming Odile Brancart, on days `from` to `to`, beside the usual filler. */
function crisisDays(from: number, to: number): object[] {
  const list: object[] = [];
  for (let day = from; day <= to; day++) {
    for (let k = 0; k < 2; k++) list.push({ id: `filler-${day}-${k}`, title: `Harbour report ${day} ${k}`, body: 'Ships arrived and left the harbour on time.', publishedAt: date(day, k) });
    for (let k = 0; k < 6; k++) {
      list.push({ id: `crisis-${day}-${k}`, title: `Budget crisis ${day} ${k}`, body: 'Finance Minister Odile Brancart met lenders about the deficit. Brancart said talks went on.', publishedAt: date(day, 4 + k) });
    }
  }
  return list;
}

const publish = async (rig: Rig, articles: object[]) => {
  for (let i = 0; i < articles.length; i += 50) {
    const res = await request(rig.app).post('/api/articles').set('X-Api-Key', ADMIN).send(articles.slice(i, i + 50));
    expect(JSON.parse(res.text).rejected).toBe(0);
  }
};

const deliveries = (receiver: Receiver) => receiver.received.filter((r) => r.status === 200).map((r) => JSON.parse(r.body) as BurstDelivery);

describe("alerts on an entity's bursts", () => {
  let rig: Rig;
  let receiver: Receiver;
  beforeEach(async () => {
    rig = new AlertRig();
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    await rig.close();
  });

  const subscribe = async (name = 'odile brancart') => {
    const res = await request(rig.app)
      .post('/api/saved-searches')
      .set('X-Api-Key', ADMIN)
      .send({ name: 'Brancart bursts', entityBursts: { type: 'person', name }, webhook: { url: receiver.url, secret: SECRET } });
    expect(res.status).toBe(201);
    return res.body as { id: string; entityBursts: { type: string; name: string } };
  };

  it('when a commit puts the entity in a burst, then one signed delivery names the burst and its new articles; its growth and usual days send nothing more', async () => {
    await publish(rig, usualDays(0, 39)); // the name resolves once the entity is known
    const alerts = rig.alerts();
    const saved = await subscribe();
    expect(saved.entityBursts).toEqual({ type: 'person', name: 'Odile Brancart' }); // resolved as the entity page resolves it
    await publish(rig, usualDays(40, 45)); // her usual rate: no burst
    await runAlerts(alerts);
    expect(receiver.received).toEqual([]);

    await publish(rig, crisisDays(46, 48));
    await runAlerts(alerts);
    expect(receiver.received).toHaveLength(1);
    const [raw] = receiver.received;
    expect(raw!.headers['x-newsfind-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(raw!.body).digest('hex')}`);
    const [delivery] = deliveries(receiver);
    expect(delivery!.savedSearch).toEqual({ id: saved.id, name: 'Brancart bursts', entityBursts: { type: 'person', name: 'Odile Brancart' } });
    expect(delivery!.burst).toMatchObject({ start: '2026-02-16', end: '2026-02-18', count: 18 });
    expect(delivery!.articles.map((a) => a.id).sort()).toEqual(crisisDays(46, 48).map((a) => (a as { id: string }).id).filter((id) => id.startsWith('crisis')).sort());

    await publish(rig, [...crisisDays(49, 49), ...usualDays(50, 60)]); // the same burst grows, then calm
    await runAlerts(alerts);
    expect(receiver.received).toHaveLength(1);

    const feed = await request(rig.app).get(`/api/saved-searches/${saved.id}/feed`);
    expect(feed.status).toBe(200);
    expect(feed.text).toContain('Budget crisis 46 0');
  });

  it('when a later burst does not overlap the first, then it is delivered too; after a receiver outage, it still arrives', async () => {
    await publish(rig, usualDays(0, 39));
    const alerts = rig.alerts({ baseDelayMs: 20 });
    await subscribe('Odile Brancart');
    await publish(rig, crisisDays(40, 42));
    await runAlerts(alerts);
    await publish(rig, usualDays(43, 70));
    receiver.status = 503;
    await publish(rig, crisisDays(71, 73));
    await runAlerts(alerts);
    expect(receiver.received.at(-1)!.status).toBe(503);
    receiver.status = 200;
    expect(await waitFor(() => {
      alerts.deliverer.tick();
      return deliveries(receiver).length === 2;
    }, 5_000)).toBe(true);
    expect(deliveries(receiver).map((d) => d.burst.start)).toEqual(['2026-02-10', '2026-03-13']);
  });

  it('when the body gives both query and entityBursts, or neither, or a bad type, then 400 problem+json', async () => {
    for (const body of [
      { name: 'x', query: { q: 'coffee' }, entityBursts: { type: 'person', name: 'A B' } },
      { name: 'x' },
      { name: 'x', entityBursts: { type: 'ship', name: 'A B' } },
      { name: 'x', entityBursts: { type: 'person', name: '' } },
    ]) {
      const res = await request(rig.app).post('/api/saved-searches').set('X-Api-Key', ADMIN).send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('invalid_request');
    }
  });
});
