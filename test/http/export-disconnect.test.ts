import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { ExportSlots, sendExport } from '../../src/http/export-response.js';
import type { ExportRow } from '../../src/services/export-search.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * An export whose client stops reading and goes away (http/export-response.ts): the export ends, lets its rows'
 * reader go, and frees its slot. It waited for 'drain' alone, which a closed connection never emits: after as many
 * such clients as there are slots, every export of that process was refused (429) until a restart.
 */
it('when a client stops reading and disconnects mid-export, then the export ends, its reader is let go and its slot is free', async () => {
  const { body: _body, ...article } = makeArticle({ title: 'Harbour '.repeat(40), body: 'x' });
  let released = false;
  async function* rows(): AsyncGenerator<ExportRow> {
    try {
      for (let rank = 1; ; rank++) yield { rank, article };
    } finally {
      released = true;
    }
  }
  const slots = new ExportSlots(1);
  let ended = false;
  const app = express();
  app.get('/x', async (_req, res) => {
    await slots.run(res, () => sendExport(res, () => rows(), { format: 'jsonl', now: () => performance.now() }));
    ended = true;
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(429).end(error.message));
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await new Promise<void>((resolve) => {
      const req = http.get({ port, path: '/x' }, (res) => {
        res.pause(); // never read: the server's writes back up until it waits for 'drain'
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 500);
      });
      req.on('error', () => {});
    });
    for (let waited = 0; !ended && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect({ ended, released }).toEqual({ ended: true, released: true });
    const next = await fetch(`http://127.0.0.1:${port}/x`, { signal: AbortSignal.timeout(300) }).then(
      (r) => r.status,
      (error: Error) => error.name,
    );
    expect(next).not.toBe(429); // the slot is free (the endless export of the second request is cut by the timeout)
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
