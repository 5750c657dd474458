import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Alerts } from '../../src/alerts/alert-thread.js';
import { startAlerts } from '../../src/alerts/alert-thread.js';
import { runIndexer } from '../helpers/indexer-cli.js';
import type { Receiver } from './alert-rig.js';
import { ADMIN, AlertRig, SECRET, startReceiver, waitFor } from './alert-rig.js';

/** Alerts as the service runs them: on their own thread (the one in the process hosting the indexes), polling the store. */
describe('the alert thread', () => {
  let rig: AlertRig;
  let receiver: Receiver;
  let alerts: Alerts | undefined;
  const logged: { level: string; message: string }[] = [];
  const log = {
    info: (_d: object, message: string) => logged.push({ level: 'info', message }),
    warn: (_d: object, message: string) => logged.push({ level: 'warn', message }),
    error: (_d: object, message: string) => logged.push({ level: 'error', message }),
  };

  beforeEach(async () => {
    rig = new AlertRig();
    receiver = await startReceiver();
    logged.length = 0;
    const env = { ...process.env, DATA_DIR: rig.dataDir, DEMO_DATA: 'off', ALERT_RETRY_BASE_MS: '100' };
    alerts = startAlerts(rig.config, log, env);
  });
  afterEach(async () => {
    await alerts?.stop();
    await receiver.close();
    await rig.close();
  });

  const save = async (q: string) => {
    const res = await request(rig.app).post('/api/saved-searches').set('X-Api-Key', ADMIN).send({ name: q, query: { q }, webhook: { url: receiver.url, secret: SECRET } });
    expect(res.status).toBe(201);
    // the thread starts with the first saved search
    expect(await waitFor(() => logged.some((l) => l.message === 'alerts started'), 20_000)).toBe(true);
  };
  const signedFor = (id: string) =>
    receiver.received.some(
      (r) => r.status === 200 && r.body.includes(`"id":"${id}"`) && r.headers['x-newsfind-signature'] === `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`,
    );

  it('when no search is saved, then no alert thread runs', async () => {
    await new Promise((r) => setTimeout(r, 2_500));
    expect(logged.some((l) => l.message === 'alerts started')).toBe(false);
  });

  it('when an article is committed right after the first search is saved, before the thread has started, then it is delivered too', async () => {
    const res = await request(rig.app).post('/api/saved-searches').set('X-Api-Key', ADMIN).send({ name: 'tram', query: { q: 'tram depot' }, webhook: { url: receiver.url, secret: SECRET } });
    expect(res.status).toBe(201);
    await request(rig.app).post('/api/articles').set('X-Api-Key', ADMIN).send({ id: 'tram-1', title: 'Tram depot reopens', body: 'The tram depot reopened on Monday.' }).expect(200);
    expect(logged.some((l) => l.message === 'alerts started')).toBe(false);
    expect(await waitFor(() => signedFor('tram-1'), 20_000)).toBe(true);
  });

  it('when a matching article is committed, then the receiver gets a signed delivery; after an outage, it gets the next one too', async () => {
    await save('ferry harbour');
    await request(rig.app).post('/api/articles').set('X-Api-Key', ADMIN).send({ id: 'ferry-1', title: 'Ferry back in the harbour', body: 'The ferry returned to the harbour after the storms.' }).expect(200);
    expect(await waitFor(() => signedFor('ferry-1'), 20_000)).toBe(true); // a bound on a hang, not a timing (bench:alerts times it)
    receiver.status = 503;
    await request(rig.app).post('/api/articles').set('X-Api-Key', ADMIN).send({ id: 'ferry-2', title: 'Ferry leaves the harbour', body: 'The ferry left the harbour at dawn.' }).expect(200);
    expect(await waitFor(() => receiver.received.some((r) => r.body.includes('ferry-2')), 20_000)).toBe(true);
    receiver.status = 200;
    expect(await waitFor(() => signedFor('ferry-2'), 20_000)).toBe(true);
    expect(logged.some((l) => l.message.startsWith('a webhook delivery failed; retrying'))).toBe(true);
  });

  it('when the real indexer indexes a file, then only the matching articles are delivered', async () => {
    await save('copper mine strike');
    const file = path.join(rig.dataDir, 'in.jsonl');
    const lines = [
      { id: 'mine-1', title: 'Copper mine strike ends', body: 'Workers at the copper mine ended their strike on Friday.' },
      { id: 'mine-2', title: 'Gold mine reopens', body: 'The gold mine reopened; no strike is planned.' },
    ];
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const run = runIndexer([file], rig.dataDir, { DEMO_DATA: 'off' });
    expect(run.status).toBe(0);
    expect(await waitFor(() => signedFor('mine-1'), 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.map((r) => r.body).join('\n')).not.toContain('mine-2');
  });
});
