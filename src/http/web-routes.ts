import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import express, { Router } from 'express';
import { AppError } from '../core/errors.js';
import { escapeHtml } from '../core/highlight.js';

/** How long browsers may keep the bundles (seconds); they are rebuilt with the service, so an hour at most. */
const ASSET_MAX_AGE_S = 3600;
/** How long host pages may keep the widget script (seconds); also how long a replaced public key may linger there. */
const WIDGET_MAX_AGE_S = 300;
/** The tag each page carries (web/pages/*.html); served, its content is the public API key (HTML-escaped). */
export const PAGE_KEY_TAG = '<meta name="newsfind-api-key" content="">';
/** The string literal widget.js carries (web/src/widget.ts), in whichever quotes esbuild wrote; served, it is the key. */
const WIDGET_KEY_LITERAL = /(["'`])__NEWSFIND_PUBLIC_API_KEY__\1/g;

/** A page with the public key written into its {@link PAGE_KEY_TAG}; as built (no key) when there is none. */
function pageWithKey(html: string, key: string | undefined): string {
  if (key === undefined) return html;
  return html.replace(PAGE_KEY_TAG, () => `<meta name="newsfind-api-key" content="${escapeHtml(key)}">`);
}

/** widget.js with its key literal replaced by the key as a JSON string (a valid JS literal), or by "" without one. */
function widgetWithKey(script: string, key: string | undefined): string {
  const literal = JSON.stringify(key ?? '');
  return script.replace(WIDGET_KEY_LITERAL, () => literal);
}

/**
 * The web front end, served from its built folder (`npm run build` writes dist/web): the search page at `/`, the
 * article page at `/article/:id`, the story page at `/story/:id` (the story of that article), the entity page at
 * `/entity/:type/:name`, the saved-searches page at `/saved-searches` (its calls carry the admin key the user types;
 * each page reads its parameters from the address), their bundles under `/assets`, the embeddable `/widget.js` and
 * the widget's `/widget/ping`.
 * Nothing is mounted when the folder does not exist, so those paths answer `route_not_found` like any other
 * unknown route. The pages and widget.js are read at each request and carry `publicApiKey` (PUBLIC_API_KEY),
 * which they send with their API calls; they have no Last-Modified, so a browser never keeps a page whose key
 * has since changed.
 */
export function webRoutes(root: string | undefined, publicApiKey?: string): Router {
  const router = Router();
  if (root === undefined || !fs.existsSync(root)) return router;
  const dir = path.resolve(root);
  /** Sends a built text file through `fill`; one missing from the build is an unknown route, not an internal error. */
  const send = (file: string, type: string, fill: (text: string) => string) => async (_req: Request, res: Response, next: NextFunction) => {
    let text: string;
    try {
      text = await fs.promises.readFile(path.join(dir, file), 'utf8');
    } catch (error) {
      next(new AppError('route_not_found', `${file} is missing from the web build (npm run build)`, { cause: error }));
      return;
    }
    res.type(type).send(fill(text));
  };
  const page = (file: string) => {
    const sendPage = send(file, 'html', (html) => pageWithKey(html, publicApiKey));
    return (req: Request, res: Response, next: NextFunction) => {
      res.setHeader('Cache-Control', 'no-cache');
      return sendPage(req, res, next);
    };
  };
  router.get('/', page('index.html'));
  router.get('/article/:id', page('article.html'));
  router.get('/story/:id', page('story.html'));
  router.get('/entity/:type/:name', page('entity.html'));
  router.get('/saved-searches', page('saved-searches.html'));
  const sendWidget = send('widget.js', 'application/javascript', (script) => widgetWithKey(script, publicApiKey));
  router.get('/widget.js', (req, res, next) => {
    // helmet's default same-origin resource policy would stop news sites from loading the script.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', `public, max-age=${WIDGET_MAX_AGE_S}`);
    return sendWidget(req, res, next);
  });
  // The widget asks this (a no-cors request) when its API request got no answer: an answer here means the server is
  // up and the browser refused the API's answer for CORS, so the widget can name CORS_ORIGINS in the console.
  router.get('/widget/ping', (_req, res) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'no-store');
    res.status(204).end();
  });
  router.use('/assets', express.static(path.join(dir, 'assets'), { maxAge: ASSET_MAX_AGE_S * 1000, index: false }));
  return router;
}
