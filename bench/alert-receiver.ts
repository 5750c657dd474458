import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One article of one webhook request the receiver answered. */
export interface Arrival {
  /** The article's id, as the delivery lists it. */
  readonly articleId: string;
  /** The saved search the delivery names. */
  readonly searchId: string;
  /** performance.now() (ms) when the whole request body had arrived. */
  readonly at: number;
  /** The status the receiver answered (2xx acknowledges the delivery). */
  readonly status: number;
  /** Whether `X-Newsfind-Signature` was the HMAC-SHA256 of the raw body with the secret. */
  readonly signed: boolean;
}

/** A local webhook receiver over plain HTTP that checks every request's signature, as a real receiver would. */
export interface SignedReceiver {
  readonly url: string;
  /** The status answered from now on: 204 acknowledges, 503 is an outage. */
  status: number;
  /** Every article of every request, acknowledged or not, in arrival order. */
  readonly arrivals: Arrival[];
  /** Requests whose signature was missing or wrong, and requests whose body was not a delivery. */
  badSignatures(): number;
  malformed(): number;
  /** Requests received in all. */
  requests(): number;
  close(): Promise<void>;
}

/** Whether `header` is `sha256=<hex HMAC-SHA256 of raw with secret>`, compared in constant time. */
export function verifySignature(raw: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface DeliveryBody {
  savedSearch?: { id?: unknown };
  articles?: { id?: unknown }[];
}

/**
 * Starts a receiver on 127.0.0.1 (port 0) that records, for every request, each listed article with the arrival
 * time, the status it answered and whether the signature held (a request with a bad signature is answered 401 and
 * its articles recorded as unsigned, so that the bench can count them).
 */
export async function startSignedReceiver(secret: string): Promise<SignedReceiver> {
  const arrivals: Arrival[] = [];
  let bad = 0;
  let malformed = 0;
  let requests = 0;
  const state = { status: 204 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      requests++;
      const raw = Buffer.concat(chunks);
      const signed = verifySignature(raw, req.headers['x-newsfind-signature'], secret);
      if (!signed) bad++;
      const status = signed ? state.status : 401;
      let body: DeliveryBody | undefined;
      try {
        body = JSON.parse(raw.toString('utf8')) as DeliveryBody;
      } catch {
        body = undefined;
      }
      const searchId = String(body?.savedSearch?.id ?? '');
      if (!body || !Array.isArray(body.articles)) malformed++;
      for (const a of body?.articles ?? []) arrivals.push({ articleId: String(a.id), searchId, at, status, signed });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals,
    badSignatures: () => bad,
    malformed: () => malformed,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
