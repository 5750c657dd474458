import { unescape } from 'node:querystring';

/** What a secret's value is replaced with. */
export const REDACTED = 'REDACTED';

/**
 * Query parameter names whose values are secrets: any name holding key, token, secret, passw(or)d, passphrase, pwd,
 * auth (not author), credential or signature, in any case (`api_key`, `apiKey`, `access_token`, `Password`…).
 * Matched inside the name on purpose, so that `apikey` or `x-auth-token` are caught too; a harmless name such as
 * `keyword` is redacted as well, which costs only a log detail.
 */
const SECRET_NAME = /key|token|secret|passw|passphrase|pwd|auth(?!or)|credential|signature/i;

/**
 * The URL (path and query, as in `req.originalUrl`) with the value of every secret-looking query parameter replaced
 * by {@link REDACTED}; everything else is kept byte for byte. Names are decoded as Express's query parser decodes
 * them (`+` is a space, `%xx` escapes, leniently), so `api%5Fkey` is caught like `api_key`. A client that puts its
 * key in the query string must not see it echoed in a problem's `instance`, nor find it in the logs.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      return SECRET_NAME.test(unescape(name.replaceAll('+', ' '))) ? `${name}=${REDACTED}` : pair;
    });
  return `${url.slice(0, start + 1)}${pairs.join('&')}`;
}
