import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsfind API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;
const INIT = "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api' });";

/**
 * `GET /openapi.json` and `GET /docs` (Swagger UI, served from the package: no CDN). The document is built at the
 * first `/openapi.json`, not when the app is created: building it runs zod's JSON Schema conversion over every
 * schema and sorts with `localeCompare` (ICU's collation data), which cost each HTTP worker ~2 MB of heap and
 * ~3 MB of resident pages for a route few clients ever ask (docs/BENCHMARKS.md, "Memory whatever WORKERS").
 */
export function docsRoutes(): Router {
  const router = Router();
  let document: Promise<string> | undefined;
  const assets = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/openapi.json', (_req, res, next) => {
    document ??= import('./openapi.js').then(
      ({ openApiDocument }) => JSON.stringify(openApiDocument()),
      (error: unknown) => {
        document = undefined; // a failed load is tried again by the next request
        throw error;
      },
    );
    document.then((json) => res.type('application/json').send(json), next);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.use('/docs/assets', express.static(assets, { maxAge: '1d', index: false }));
  return router;
}
