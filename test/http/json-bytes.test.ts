import type { AddressInfo } from 'node:net';
import express from 'express';
import { AppError } from '../../src/core/errors.js';
import { NOT_JSON, NOT_UTF8, parseJsonBytes } from '../../src/core/json-bytes.js';

/** What Express's own json() (body-parser, strict) makes of a body: the parsed value, or its error's type. */
async function bodyParserReads(bytes: Buffer): Promise<{ value: unknown } | { error: string }> {
  const app = express();
  app.post('/', express.json(), (req, res) => {
    res.json({ value: req.body as unknown });
  });
  app.use((error: { type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(400).json({ error: error.type });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: bytes });
    return (await answer.json()) as { value: unknown } | { error: string };
  } finally {
    server.close();
  }
}

const ours = (bytes: Buffer): { value: unknown } | { error: string } => {
  try {
    return { value: parseJsonBytes(bytes) };
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'invalid_request', message: NOT_JSON });
    return { error: 'entity.parse.failed' };
  }
};

describe('parseJsonBytes, a JSON body read where its work runs', () => {
  it.each([
    ['an object', '{"id":"a","title":"T"}'],
    ['an array with spaces around', ' \n\t[1, {"a": "ü"}] \r\n'],
    ['an empty body', ''],
    ['whitespace only', '   '],
    ['a string at the top', '"text"'],
    ['a number at the top', '42'],
    ['broken JSON', '{"a": '],
    ['trailing garbage', '{"a": 1} x'],
    ['a byte-order mark first', '\uFEFF{"a": 1}'],
    ['a form-feed before (not JSON whitespace)', '\f{"a": 1}'],
  ])('when the body is %s, then it reads as Express json() reads it', async (_name, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(ours(bytes)).toEqual(await bodyParserReads(bytes));
  });

  it('when the body is not valid UTF-8, then it is invalid_request, never read with replacement characters', () => {
    for (const bad of [[0xe9], [0xe9, 0xff], [0xc3], [0xed, 0xa0, 0x80]]) { // Latin-1 "é", stray bytes, a cut sequence, a surrogate
      const bytes = Buffer.concat([Buffer.from('{"title":"caf'), Buffer.from(bad), Buffer.from('"}')]);
      const thrown = (() => {
        try {
          return parseJsonBytes(bytes);
        } catch (error) {
          return error;
        }
      })();
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'invalid_request', message: NOT_UTF8 });
    }
    expect(parseJsonBytes(Buffer.from('{"title":"café \u{1F600}"}'))).toEqual({ title: 'café \u{1F600}' });
  });
});
