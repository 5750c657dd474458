import type { AttackCase } from './attack-http.js';
import type { CaseContext } from './attack-kit.js';
import { keyed, read, request } from './attack-kit.js';

/** A JSON body of exactly `bytes` bytes: `{"text":"a a a …"}`. */
function bodyOf(bytes: number): Buffer {
  const open = Buffer.from('{"text":"');
  const close = Buffer.from('"}');
  const fill = Buffer.alloc(bytes - open.length - close.length, 'a ');
  return Buffer.concat([open, fill, close]);
}

/** 10 MB bodies sent without a key, with a wrong one or the wrong scope, and one just over the 10 MiB limit. */
function bigBodyCases(ctx: CaseContext): AttackCase[] {
  const tenMb = bodyOf(10_000_000);
  const over = bodyOf(10 * 1024 * 1024 + 1);
  const post = (path: string, body: Buffer, note: string, headers: Record<string, string> = {}) =>
    request('auth', 'POST', path, { headers: { 'content-type': 'application/json', ...headers }, body, note });
  return [
    post('/api/articles', tenMb, '10 MB, no key'), post('/api/similar', tenMb, '10 MB, no key'),
    post('/api/articles', tenMb, '10 MB, wrong key', { 'x-api-key': 'w'.repeat(32) }),
    post('/api/articles', tenMb, '10 MB, search key', { 'x-api-key': ctx.keys.search }),
    post('/api/articles', over, '10 MiB + 1, no key'), post('/api/similar', over, '10 MiB + 1, no key'),
    post('/nope', tenMb, '10 MB, no key'), post('/health', tenMb, '10 MB, no key'),
  ];
}

/** Keys given in the query string (never to be echoed or logged), with and without a key header. */
function queryKeyCases(ctx: CaseContext): AttackCase[] {
  const routes = ['/api/search?q=oil&', '/api/articles/reuters-1?', '/api/entities?q=re&', '/api/articles/reuters-1/similar?'];
  const names = ['apiKey', 'api_key', 'key', 'token', 'access_token'];
  return routes.flatMap((route) => [
    ...names.flatMap((n) => [ctx.keys.search, ctx.keys.admin].map((k) => request('auth', 'GET', `${route}${n}=${k}`))),
    read(ctx, 'auth', `${route}apiKey=${ctx.keys.search}`),
  ]);
}

/** Odd `Authorization` and `X-Api-Key` headers on a search. */
function headerKeyCases(ctx: CaseContext): AttackCase[] {
  const k = ctx.keys.search;
  const authorizations = [`Bearer ${'x'.repeat(8_000)}`, 'Bearer', 'Bearer ', `Basic ${Buffer.from(`u:${k}`).toString('base64')}`,
    `bearer ${k}`, `Bearer  ${k}  `, `Bearer ${k}\t`, `Token ${k}`, `Bearer ${k.slice(0, -1)}`, `Bearer ${k}x`, 'Bearer %FF', `Bearer ${ctx.keys.admin}`];
  const apiKeys = ['', ' ', `${k} `, k.toUpperCase(), `${k},${k}`, 'x'.repeat(8_000), ctx.keys.admin];
  return [
    ...authorizations.map((a) => request('auth', 'GET', '/api/search?q=oil', { headers: { authorization: a } })),
    ...apiKeys.map((a) => request('auth', 'GET', '/api/search?q=oil', { headers: { 'x-api-key': a } })),
    request('auth', 'GET', '/api/search?q=oil', { headers: { ...keyed(k), authorization: 'Bearer wrong-key-wrong-key' } }),
  ];
}

/** Every hostile request about keys: big unauthenticated bodies, keys in the query string, odd key headers. */
export function authCases(ctx: CaseContext): AttackCase[] {
  return [...bigBodyCases(ctx), ...queryKeyCases(ctx), ...headerKeyCases(ctx)];
}
