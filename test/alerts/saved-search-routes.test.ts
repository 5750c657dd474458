import request from 'supertest';
import { savedSearchListSchema, savedSearchResponseSchema } from '../../src/http/saved-search-routes.js';
import { AlertRig, ADMIN } from './alert-rig.js';

const post = (rig: AlertRig, body: unknown) => request(rig.app).post('/api/saved-searches').set('X-Api-Key', ADMIN).send(body as object);

describe('saved searches over HTTP', () => {
  let rig: AlertRig;
  beforeEach(() => {
    rig = new AlertRig();
  });
  afterEach(() => rig.close());

  it('when a search is saved, then it is 201 with its id and Location, readable, listed, and deleted with 204', async () => {
    const res = await post(rig, { name: 'Qin Gang', query: { q: 'qin gang', category: ['world'] }, webhook: { url: 'https://hooks.example/in', secret: 'a-webhook-secret-of-some-size' } });
    expect(res.status).toBe(201);
    const id = JSON.parse(res.text).id as string;
    expect(id).toMatch(/^ss-[0-9a-f]{16}$/);
    expect(res.headers['location']).toBe(`/api/saved-searches/${id}`);
    const got = savedSearchResponseSchema.parse(JSON.parse((await request(rig.app).get(`/api/saved-searches/${id}`).set('X-Api-Key', ADMIN)).text));
    expect(got).toEqual({ id, name: 'Qin Gang', query: { q: 'qin gang', category: ['world'] }, webhook: { url: 'https://hooks.example/in' }, createdAt: expect.any(String) });
    expect(JSON.stringify(got)).not.toContain('secret');
    const second = JSON.parse((await post(rig, { name: 'Coffee', query: { q: 'coffee' } })).text).id as string;
    const first = savedSearchListSchema.parse(JSON.parse((await request(rig.app).get('/api/saved-searches?limit=1').set('X-Api-Key', ADMIN)).text));
    expect(first.savedSearches).toHaveLength(1);
    const rest = JSON.parse((await request(rig.app).get(`/api/saved-searches?limit=1&after=${first.next}`).set('X-Api-Key', ADMIN)).text);
    expect([first.savedSearches[0]!.id, rest.savedSearches[0].id].sort()).toEqual([id, second].sort());
    expect((await request(rig.app).delete(`/api/saved-searches/${id}`).set('X-Api-Key', ADMIN)).status).toBe(204);
    const gone = await request(rig.app).get(`/api/saved-searches/${id}`).set('X-Api-Key', ADMIN);
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(gone.text).code).toBe('not_found');
    expect((await request(rig.app).delete(`/api/saved-searches/${id}`).set('X-Api-Key', ADMIN)).status).toBe(404);
  });

  it('when the admin key is missing or wrong, then 401 or 403, and nothing is saved', async () => {
    const body = { name: 'x', query: { q: 'coffee' } };
    expect((await request(rig.app).post('/api/saved-searches').send(body)).status).toBe(401);
    expect((await request(rig.app).post('/api/saved-searches').set('X-Api-Key', 'wrong-key-of-some-size').send(body)).status).toBe(403);
    expect((await request(rig.app).get('/api/saved-searches')).status).toBe(401);
    expect(rig.saved.list(10)).toEqual([]);
  });

  it.each([
    ['an unknown field', { name: 'x', query: { q: 'a' }, colour: 'red' }, '(root)'],
    ['no name', { query: { q: 'coffee' } }, 'name'],
    ['a parameter /api/search has not, or that does not apply', { name: 'x', query: { q: 'coffee', page: '2' } }, 'query.page'],
    ['a bad date', { name: 'x', query: { q: 'coffee', from: '2026-13-45' } }, 'query.from'],
    ['dates out of order', { name: 'x', query: { q: 'coffee', from: '2026-03-02', to: '2026-03-01' } }, 'query.from'],
    ['too many exclusions', { name: 'x', query: { q: 'coffee -a1 -a2 -a3 -a4 -a5 -a6 -a7 -a8 -a9 -a10 -a11' } }, 'query.q'],
    ['nothing to match by', { name: 'x', query: { q: '-sport', from: '2026-01-01' } }, 'query'],
    ['a webhook that is not http(s)', { name: 'x', query: { q: 'coffee' }, webhook: { url: 'ftp://hooks.example/', secret: 'a-webhook-secret-of-some-size' } }, 'webhook.url'],
    ['a short webhook secret', { name: 'x', query: { q: 'coffee' }, webhook: { url: 'https://hooks.example/', secret: 'short' } }, 'webhook.secret'],
  ])('when the body has %s, then it is a 400 problem naming the field, and nothing is saved', async (_what, body, field) => {
    const res = await post(rig, body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.text);
    expect(problem.code).toBe('invalid_request');
    const paths = (problem.errors ?? []).map((i: { path: string }) => i.path);
    expect(paths).toContain(field);
    expect(rig.saved.list(10)).toEqual([]);
  });

  it('when the body is not JSON, then it is a 400 problem', async () => {
    const res = await request(rig.app).post('/api/saved-searches').set('X-Api-Key', ADMIN).set('Content-Type', 'application/json').send('{"name":');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).code).toBe('invalid_request');
  });
});
