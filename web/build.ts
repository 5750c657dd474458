import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds the web front end into dist/web (run by `npm run build:web`, part of `npm run build`): the pages' HTML,
 * one ES module bundle per page and the stylesheet under assets/, and widget.js as a classic script (an IIFE,
 * since host pages load it with a plain <script async>). Minified, with linked source maps; no external CDN.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../dist/web');
const PAGES = ['search-page', 'article-page', 'entity-page'];
const TARGET = ['es2020'];

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'assets'), { recursive: true });
for (const file of fs.readdirSync(path.join(here, 'pages'))) fs.copyFileSync(path.join(here, 'pages', file), path.join(out, file));

await Promise.all([
  build({
    entryPoints: {
      ...Object.fromEntries(PAGES.map((p) => [p, path.join(here, 'src', `${p}.ts`)])),
      app: path.join(here, 'styles', 'app.css'),
    },
    outdir: path.join(out, 'assets'),
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    target: TARGET,
    logLevel: 'warning',
  }),
  build({
    entryPoints: [path.join(here, 'src', 'widget.ts')],
    outfile: path.join(out, 'widget.js'),
    bundle: true,
    format: 'iife',
    minify: true,
    sourcemap: 'linked',
    target: TARGET,
    logLevel: 'warning',
  }),
]);
