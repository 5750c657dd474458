#!/usr/bin/env node
/**
 * The `newsfind` command (`npx newsfind serve`, `npx newsfind index …`, and `npm start` / `npm run index`): brings
 * dist/ up to date when the sources changed (fresh-build.js), then hands over to the compiled CLI (src/cli.ts).
 */
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from './fresh-build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!ensureBuilt(root)) process.exit(1);
const { runCli } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'cli.js')).href);
await runCli(process.argv.slice(2));
