import { createHmac } from 'node:crypto';
import { SaxesParser } from 'saxes';
import request from 'supertest';
import type { AlertRig as Rig } from './alert-rig.js';
import { ADMIN, AlertRig, runAlerts, SECRET, startReceiver, waitFor } from './alert-rig.js';
import type { Receiver } from './alert-rig.js';
import { makeArticle } from '../helpers/make-article.js';

interface Delivery {
  savedSearch: { id: string; name: string };
  articles: { id: string; title: string; url: string | null; publishedAt: string | null }[];
}

const save = async (rig: Rig, name: string, query: Record<string, unknown>, hook?: Receiver): Promise<string> => {
  const res = await request(rig.app)
    .post('/api/saved-searches')
    .set('X-Api-Key', ADMIN)
    .send({ name, query, ...(hook ? { webhook: { url: hook.url, secret: SECRET } } : {}) });
  expect(res.status).toBe(201);
  return JSON.parse(res.text).id as string;
};

const publish = async (rig: Rig, articles: object[]) => {
  const res = await request(rig.app).post('/api/articles').set('X-Api-Key', ADMIN).send(articles);
  expect(JSON.parse(res.text).rejected).toBe(0);
};

const ids = (receiver: Receiver) => receiver.received.flatMap((r) => (JSON.parse(r.body) as Delivery).articles.map((a) => a.id)).sort();

const QIN = { id: 'qin-1', title: 'Qin Gang meets the foreign minister', body: 'The foreign minister of Japan met Qin Gang in Beijing on Monday.', url: 'https://news.example/qin-1', publishedAt: '2026-03-01T10:00:00Z', category: 'world' };
const QIN_SPORT = { id: 'qin-2', title: 'Qin Gang at the football final', body: 'Qin Gang watched the football final; sport officials welcomed him.', category: 'sport' };
const COFFEE = { id: 'coffee-1', title: 'Coffee prices climb', body: 'Arabica coffee futures rose as harvest estimates fell.', category: 'markets' };

describe('alerts', () => {
  let rig: Rig;
  let receiver: Receiver;
  let other: Receiver;
  beforeEach(async () => {
    rig = new AlertRig();
    receiver = await startReceiver();
    other = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    await other.close();
    await rig.close();
  });

  it('when articles are POSTed, then each saved search gets a signed delivery of exactly the articles it matches, and the others get none', async () => {
    const alerts = rig.alerts();
    const qin = await save(rig, 'Qin Gang, not sport', { q: 'qin gang -football' }, receiver);
    await save(rig, 'Zeppelins', { q: 'zeppelin' }, other);
    await save(rig, 'Markets coffee', { q: 'coffee', category: 'world' }, other);
    await publish(rig, [QIN, QIN_SPORT, COFFEE]);
    await runAlerts(alerts);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.headers['x-newsfind-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(delivery!.body).digest('hex')}`);
    expect(delivery!.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(delivery!.body) as Delivery;
    expect(payload.savedSearch).toMatchObject({ id: qin, name: 'Qin Gang, not sport' });
    expect(payload.articles).toEqual([{ id: 'qin-1', title: QIN.title, url: QIN.url, publishedAt: '2026-03-01T10:00:00.000Z' }]);
    expect(other.received).toEqual([]);
  });

  it('when an article changes and still matches, then it is not sent again; when a change makes it match, then it is sent', async () => {
    const alerts = rig.alerts();
    await save(rig, 'Coffee', { q: 'coffee' }, receiver);
    await publish(rig, [COFFEE, { ...QIN, id: 'later' }]);
    await runAlerts(alerts);
    await publish(rig, [{ ...COFFEE, body: `${COFFEE.body} Traders were surprised.` }, { ...QIN, id: 'later', body: 'Coffee was served to Qin Gang.' }]);
    await runAlerts(alerts);
    expect(ids(receiver)).toEqual(['coffee-1', 'later']);
  });

  it('when the receiver keeps failing, then the delivery is retried with backoff and kept as a dead letter, shown by /metrics', async () => {
    const alerts = rig.alerts({ maxAttempts: 3, baseDelayMs: 30 });
    receiver.status = 500;
    await save(rig, 'Coffee', { q: 'coffee' }, receiver);
    await publish(rig, [COFFEE]);
    await runAlerts(alerts);
    expect(await waitFor(() => (alerts.deliverer.tick(), receiver.received.length >= 3 && alerts.deliverer.sending === 0), 5_000)).toBe(true);
    await alerts.deliverer.settle();
    alerts.deliverer.tick();
    await new Promise((r) => setTimeout(r, 300));
    alerts.deliverer.tick();
    await alerts.deliverer.settle();
    expect(receiver.received).toHaveLength(3); // no fourth try
    expect(rig.saved.depth()).toEqual({ savedSearches: 1, pending: 0, dead: 1 });
    const metrics = (await request(rig.app).get('/metrics')).text;
    expect(metrics).toMatch(/^newsfind_alert_dead_letters 1$/m);
    expect(metrics).toMatch(/^newsfind_alert_deliveries_pending 0$/m);
    expect(metrics).toMatch(/^newsfind_saved_searches 1$/m);
  });

  it('when the receiver is back from an outage, then the deliveries it refused are sent after its next acknowledgement, not after their backoff', async () => {
    const alerts = rig.alerts({ baseDelayMs: 600_000, maxAttempts: 10 });
    await save(rig, 'Qin Gang', { q: 'qin gang' }, receiver);
    receiver.status = 503;
    await publish(rig, [QIN]);
    await runAlerts(alerts); // refused; its retry is 10 minutes away
    await runAlerts(alerts);
    expect(receiver.received.map((r) => r.status)).toEqual([503]);
    receiver.status = 200;
    await publish(rig, [{ ...QIN, id: 'qin-3' }]);
    await runAlerts(alerts); // the new match is acknowledged: the receiver is back
    await runAlerts(alerts);
    const acknowledged = receiver.received.filter((r) => r.status === 200).flatMap((r) => (JSON.parse(r.body) as Delivery).articles.map((a) => a.id));
    expect(acknowledged.sort()).toEqual(['qin-1', 'qin-3']);
    expect(rig.saved.depth()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('when the receiver refused a delivery with a 4xx, then it waits its backoff even after the receiver acknowledges another', async () => {
    const alerts = rig.alerts({ baseDelayMs: 600_000, maxAttempts: 10 });
    await save(rig, 'Qin Gang', { q: 'qin gang' }, receiver);
    receiver.status = 400;
    await publish(rig, [QIN]);
    await runAlerts(alerts);
    receiver.status = 200;
    await publish(rig, [{ ...QIN, id: 'qin-3' }]);
    await runAlerts(alerts);
    await runAlerts(alerts);
    expect(receiver.received.map((r) => [r.status, (JSON.parse(r.body) as Delivery).articles.map((a) => a.id).join()])).toEqual([[400, 'qin-1'], [200, 'qin-3']]);
    expect(rig.saved.depth()).toMatchObject({ pending: 1, dead: 0 });
  });

  it('when the alerts restart, then they resume where they stopped: nothing acknowledged is sent again, nothing committed meanwhile is lost', async () => {
    let alerts = rig.alerts({ baseDelayMs: 50, maxAttempts: 10 });
    await save(rig, 'Qin Gang', { q: 'qin gang' }, receiver);
    await publish(rig, [QIN]);
    await runAlerts(alerts); // acknowledged
    receiver.status = 503;
    await publish(rig, [QIN_SPORT]);
    await runAlerts(alerts); // matched and queued, refused once
    await rig.stopAlerts(alerts);
    await publish(rig, [{ ...QIN, id: 'qin-3' }]); // committed while the alerts are down
    receiver.status = 200;
    alerts = rig.alerts({ baseDelayMs: 50, maxAttempts: 10 });
    await runAlerts(alerts);
    const tries = () => ids(receiver).filter((id) => id === 'qin-2').length;
    expect(await waitFor(() => (alerts.deliverer.tick(), tries() >= 2 && alerts.deliverer.sending === 0), 3_000)).toBe(true);
    const bodies = receiver.received.map((r) => (JSON.parse(r.body) as Delivery).articles.map((a) => a.id).join(','));
    expect(bodies.filter((b) => b === 'qin-1')).toHaveLength(1); // never re-sent after its acknowledgement
    expect(bodies.filter((b) => b === 'qin-3')).toHaveLength(1);
    expect(bodies.filter((b) => b === 'qin-2').length).toBeGreaterThanOrEqual(2); // refused once, then delivered
    expect(rig.saved.depth()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('when a saved search is deleted, then its queued deliveries and matches go with it', async () => {
    const alerts = rig.alerts();
    receiver.status = 500;
    const id = await save(rig, 'Coffee', { q: 'coffee' }, receiver);
    await publish(rig, [COFFEE]);
    alerts.matchAll();
    expect(rig.saved.depth().pending).toBe(1);
    expect((await request(rig.app).delete(`/api/saved-searches/${id}`).set('X-Api-Key', ADMIN)).status).toBe(204);
    expect(rig.saved.depth()).toEqual({ savedSearches: 0, pending: 0, dead: 0 });
    await publish(rig, [{ ...COFFEE, id: 'coffee-2' }]);
    await runAlerts(alerts);
    expect(receiver.received).toEqual([]);
  });

  it('when a search is saved, then articles committed before it alert nothing, and those after it do', async () => {
    const alerts = rig.alerts();
    await publish(rig, [COFFEE]);
    await save(rig, 'Coffee', { q: 'coffee' }, receiver);
    await publish(rig, [{ ...COFFEE, id: 'coffee-2' }]);
    await runAlerts(alerts);
    expect(ids(receiver)).toEqual(['coffee-2']);
  });

  it('when the articles are large, then a step stops at its size bound, and the next step takes the rest: none is skipped', async () => {
    const alerts = rig.alerts();
    const id = await save(rig, 'Zeppelins', { q: 'zeppelin' });
    const body = `zeppelin ${'airship '.repeat(124_000)}`; // about 1,000,000 characters (the words past 65,535 are not indexed)
    await rig.store.writes.upsert(Array.from({ length: 10 }, (_, i) => makeArticle({ id: `big-${i}`, title: `Airship ${i}`, body })));
    const first = alerts.matcher.step();
    expect(first.more).toBe(true);
    expect(first.articles).toBeLessThan(10);
    alerts.matchAll();
    expect(rig.saved.feedEntries(id).map((e) => e.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `big-${i}`).sort());
  });

  it('when the feed is read, then it is well-formed Atom with one entry per matched article, newest first', async () => {
    const alerts = rig.alerts();
    const id = await save(rig, 'Qin & co <alerts>', { q: 'qin gang' });
    await publish(rig, [QIN]);
    await runAlerts(alerts);
    await publish(rig, [QIN_SPORT, COFFEE]);
    await runAlerts(alerts);
    const res = await request(rig.app).get(`/api/saved-searches/${id}/feed`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const feed = readAtom(res.text);
    expect(feed.title).toBe('Qin & co <alerts>');
    expect(feed.entries.map((e) => e.id)).toEqual(['urn:newsfind:article:qin-2', 'urn:newsfind:article:qin-1']);
    expect(feed.entries[1]).toMatchObject({ title: QIN.title, link: QIN.url, published: '2026-03-01T10:00:00.000Z' });
    expect(feed.entries[0]!.link).toMatch(/\/article\/qin-2$/);
    expect((await request(rig.app).get('/api/saved-searches/ss-0000000000000000/feed')).status).toBe(404);
  });

  it('when a search name or an article title holds characters XML cannot carry, then the feed leaves them out and stays well-formed', async () => {
    const alerts = rig.alerts();
    // (lone surrogates too: test/core/xml-text.test.ts; sent as JSON escapes, they come back from the store as U+FFFD)
    const id = await save(rig, 'Ferry\u0001 alerts\u0000\ufffe\uffff \u{1f6a2}', { q: 'ferry' });
    const ferry = { id: 'ferry-1', title: 'Ferry\u0002 resumes\u001b crossings\uffff', body: 'The ferry to Sarrow sails again after the storms.' };
    await publish(rig, [ferry]);
    await runAlerts(alerts);
    const res = await request(rig.app).get(`/api/saved-searches/${id}/feed`);
    expect(res.status).toBe(200);
    const feed = readAtom(res.text); // saxes throws on a character XML 1.0 forbids, even as a reference (&#x1;)
    expect(feed.title).toBe('Ferry alerts \u{1f6a2}');
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0]).toMatchObject({ id: 'urn:newsfind:article:ferry-1', title: 'Ferry resumes crossings' });
  });
});

interface AtomEntry {
  id?: string;
  title?: string;
  link?: string;
  updated?: string;
  published?: string;
}

/** Parses an Atom feed with a conforming XML parser (saxes throws on anything not well-formed) and checks its required elements. */
function readAtom(xml: string): { title: string; entries: AtomEntry[] } {
  const parser = new SaxesParser({ xmlns: true });
  const entries: AtomEntry[] = [];
  let title = '';
  let entry: AtomEntry | undefined;
  let textOf: string | undefined;
  let text = '';
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    expect(tag.uri).toBe('http://www.w3.org/2005/Atom');
    if (tag.local === 'entry') entry = {};
    else if (tag.local === 'link' && entry) entry.link = tag.attributes['href']?.value as string;
    else if (['id', 'title', 'updated', 'published'].includes(tag.local)) {
      textOf = tag.local;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (textOf) text += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.local === 'entry' && entry) {
      expect(entry.id && entry.title && entry.updated && entry.link).toBeTruthy();
      entries.push(entry);
      entry = undefined;
    } else if (tag.local === textOf) {
      if (entry) (entry as Record<string, string>)[textOf] = text;
      else if (textOf === 'title') title = text;
      textOf = undefined;
    }
  });
  parser.write(xml).close();
  return { title, entries };
}
