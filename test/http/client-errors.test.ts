import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { answerClientError } from '../../src/http/client-errors.js';
import { Similarity } from '../../src/similarity/similarity.js';

/**
 * Requests the HTTP parser refuses before any route (http/client-errors.ts): answered as problems like every other
 * error, where Node's own answer was a bare status line.
 */
describe('requests the HTTP parser refuses', () => {
  let server: http.Server;
  let engine: SqliteEngine;
  let similarity: Similarity;
  beforeAll(async () => {
    engine = SqliteEngine.open({ file: ':memory:' });
    similarity = Similarity.open(':memory:', { serve: true });
    server = http.createServer(createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {} }));
    server.on('clientError', answerClientError);
    server.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(async () => {
    server.close();
    similarity.close();
    await engine.close();
  });

  /** Sends raw bytes and reads the whole answer (the server closes the connection). */
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.end(request);
    });
  const parts = (answer: string) => {
    const [head, body] = answer.split('\r\n\r\n');
    return { status: Number(head!.split(' ')[1]), head: head!, body: JSON.parse(body!) as { code: string; status: number } };
  };

  it('when a URL is longer than the 16 KiB of request line and headers, then the answer is a 431 headers_too_large problem', async () => {
    const answer = parts(await raw(`GET /api/search?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.head).toMatch(/Content-Type: application\/problem\+json/);
    expect(answer.body).toMatchObject({ code: 'headers_too_large', status: 431 });
  });

  it('when the bytes are not HTTP, then the answer is a 400 invalid_request problem', async () => {
    const answer = parts(await raw('HELLO THERE\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'invalid_request', status: 400 });
  });
});

describe('requests the HTTP parser refuses, on a server of their own', () => {
  /** A server with `handler`, short header timeouts, and the problem answers; closed after `body`. */
  async function withServer(handler: http.RequestListener, body: (port: number) => Promise<void>): Promise<void> {
    const server = http.createServer({ headersTimeout: 300, requestTimeout: 1_000, connectionsCheckingInterval: 50 }, handler);
    server.on('clientError', answerClientError);
    server.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await body((server.address() as AddressInfo).port);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }

  it('when the headers do not arrive in time, then the answer is a 408 request_timeout problem', async () => {
    await withServer((_req, res) => res.end(), async (port) => {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let got = '';
        socket.on('data', (chunk) => (got += chunk.toString('utf8')));
        socket.on('end', () => resolve(got));
        socket.on('error', reject);
        socket.write('GET / HTTP/1.1\r\nHost: x\r\n'); // and nothing more
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({ code: 'request_timeout', status: 408 });
    });
  });

  it('when garbage follows a request whose answer is streaming, then the connection is closed and nothing is written into that answer', async () => {
    await withServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/csv' });
      res.write('rank,id\n1,a\n'); // and the rest never comes: a long export
    }, async (port) => {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let got = '';
        socket.on('data', (chunk) => {
          got += chunk.toString('utf8');
          if (got.includes('1,a')) socket.write('NOT HTTP AT ALL\r\n\r\n');
        });
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
        socket.write('GET /export HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).not.toMatch(/HTTP\/1\.1 400/);
    });
  });
});
