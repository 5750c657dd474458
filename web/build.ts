import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BuildOptions } from 'esbuild';
import { build } from 'esbuild';
import { expandIncludes } from './page-includes.js';

/**
 * Builds the web front end into dist/web (run by `npm run build:web`, part of `npm run build`): the pages' HTML
 * with the shared site header put in (page-includes.ts), one ES module bundle per page and the stylesheet under
 * assets/, and widget.js as a classic script (an IIFE, since host pages load it with a plain <script async>). Minified, with linked source maps; no external CDN.
 * Prints each bundle's size, raw and gzipped, and fails when widget.js is over {@link WIDGET_BUDGET_GZIP_BYTES}.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../dist/web');
const PAGES = ['search-page', 'article-page', 'entity-page', 'analytics-page', 'story-page', 'saved-searches-page'];
const TARGET = ['es2020'];

/** Most bytes widget.js may weigh gzipped (issue 19): it is on every article page of the sites that embed it. */
export const WIDGET_BUDGET_GZIP_BYTES = 6 * 1024;

/** esbuild's options for widget.js: a minified IIFE, so that a host page loads it with a plain <script async>. */
export function widgetBuildOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [path.join(here, 'src', 'widget.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    minify: true,
    target: TARGET,
    logLevel: 'warning',
  };
}

/** Bytes of a text, raw and gzipped at the level servers commonly use (9, the most). */
export function sizes(text: string | Uint8Array): { raw: number; gzip: number } {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/**
 * Writes over the previous build in place and then removes what this one did not write, rather than emptying the
 * folder first: a server (or a test) reading dist/web meanwhile never finds its pages missing.
 */
async function buildAll(): Promise<void> {
  fs.mkdirSync(path.join(out, 'assets'), { recursive: true });
  const pages = fs.readdirSync(path.join(here, 'pages'));
  const header = fs.readFileSync(path.join(here, 'partials', 'site-header.html'), 'utf8');
  for (const file of pages) {
    const page = fs.readFileSync(path.join(here, 'pages', file), 'utf8');
    fs.writeFileSync(path.join(out, file), expandIncludes(page, header));
  }
  const results = await Promise.all([
    build({
      entryPoints: {
        ...Object.fromEntries(PAGES.map((p) => [p, path.join(here, 'src', `${p}.ts`)])),
        app: path.join(here, 'styles', 'app.css'),
        analytics: path.join(here, 'styles', 'analytics.css'),
        'saved-searches': path.join(here, 'styles', 'saved-searches.css'),
      },
      outdir: path.join(out, 'assets'),
      bundle: true,
      format: 'esm',
      minify: true,
      sourcemap: 'linked',
      target: TARGET,
      logLevel: 'warning',
      metafile: true,
    }),
    build({ ...widgetBuildOptions(path.join(out, 'widget.js')), sourcemap: 'linked', metafile: true }),
  ]);
  const written = new Set([...pages, ...results.flatMap((r) => Object.keys(r.metafile.outputs).map((o) => path.relative(out, path.resolve(o))))]);
  for (const file of filesUnder(out)) if (!written.has(file)) fs.rmSync(path.join(out, file));
  const files = ['widget.js', ...PAGES.map((p) => `assets/${p}.js`), 'assets/app.css'];
  for (const file of files) {
    const { raw, gzip } = sizes(fs.readFileSync(path.join(out, file)));
    console.log(`web build: ${file.padEnd(34)} ${String(raw).padStart(7)} B, ${String(gzip).padStart(6)} B gzipped`);
  }
  const widget = sizes(fs.readFileSync(path.join(out, 'widget.js'))).gzip;
  if (widget > WIDGET_BUDGET_GZIP_BYTES) {
    throw new Error(`widget.js is ${widget} B gzipped, over its budget of ${WIDGET_BUDGET_GZIP_BYTES} B`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildAll();
