import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import express, { Router } from 'express';
import { AppError } from '../core/errors.js';

/** How long browsers may keep the bundles (seconds); they are rebuilt with the service, so an hour at most. */
const ASSET_MAX_AGE_S = 3600;
/** How long host pages may keep the widget script (seconds). */
const WIDGET_MAX_AGE_S = 300;

/**
 * The web front end, served from its built folder (`npm run build` writes dist/web): the search page at `/`, the
 * article page at `/article/:id`, the entity page at `/entity/:type/:name` (each page reads its parameters from
 * the address), their bundles under `/assets`, and the embeddable `/widget.js`. Nothing is mounted when the folder
 * does not exist, so those paths answer `route_not_found` like any other unknown route.
 */
export function webRoutes(root: string | undefined): Router {
  const router = Router();
  if (root === undefined || !fs.existsSync(root)) return router;
  const dir = path.resolve(root);
  /** Sends a built file; one missing from the build is an unknown route, not an internal error. */
  const send = (file: string, req: Request, res: Response, next: NextFunction) => {
    res.sendFile(path.join(dir, file), (error) => {
      if (error) next(new AppError('route_not_found', `${file} is missing from the web build (npm run build)`));
    });
  };
  const page = (file: string) => (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-cache');
    send(file, req, res, next);
  };
  router.get('/', page('index.html'));
  router.get('/article/:id', page('article.html'));
  router.get('/entity/:type/:name', page('entity.html'));
  router.get('/widget.js', (req, res, next) => {
    // helmet's default same-origin resource policy would stop news sites from loading the script.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', `public, max-age=${WIDGET_MAX_AGE_S}`);
    send('widget.js', req, res, next);
  });
  router.use('/assets', express.static(path.join(dir, 'assets'), { maxAge: ASSET_MAX_AGE_S * 1000, index: false }));
  return router;
}
