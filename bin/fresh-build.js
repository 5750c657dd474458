import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/**
 * Builds dist/ only when the sources changed since the last build, so that a restart serves in seconds instead of
 * waiting for tsc and esbuild every time (issue 19). The rule is make's: dist/ is stale when a file under src/,
 * indexer/, bench/ or web/, a tsconfig, or package-lock.json (a dependency changed) is newer than the stamp
 * dist/.build-stamp, or when the stamp is missing. A stale dist/ is rebuilt with `npm run build`, and the stamp then
 * takes the time the build started, so that a file saved during the build counts as changed next time.
 *
 * Plain JavaScript, not TypeScript: it runs before anything is compiled. Without sources (a deployed image that
 * holds only dist/), dist/ is used as it is.
 */

const SOURCE_DIRS = ['src', 'indexer', 'bench', 'web'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The file whose modification time says when dist/ was last built from the sources. */
export const stampFile = (root) => path.join(root, 'dist', '.build-stamp');

/** The newest of the build's inputs under `root` (`{ file, mtimeMs }`), or undefined when there are none. */
export function newestSource(root) {
  let newest;
  const consider = (file) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile() && (newest === undefined || stat.mtimeMs > newest.mtimeMs)) newest = { file, mtimeMs: stat.mtimeMs };
  };
  for (const dir of SOURCE_DIRS) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) continue;
    for (const entry of fs.readdirSync(full, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) consider(path.join(entry.parentPath, entry.name));
    }
  }
  for (const file of SOURCE_FILES) consider(path.join(root, file));
  return newest;
}

/** Why dist/ under `root` must be built again, or undefined when it is up to date (or there are no sources). */
export function staleReason(root) {
  const newest = newestSource(root);
  if (newest === undefined) return undefined;
  const stamp = fs.statSync(stampFile(root), { throwIfNoEntry: false });
  if (stamp === undefined) return 'no build yet';
  const changed = path.relative(root, newest.file);
  return newest.mtimeMs > stamp.mtimeMs ? `sources changed since the last build (${changed}, at least)` : undefined;
}

/**
 * Builds dist/ under `root` when {@link staleReason} says so, printing on stderr only (stdout may carry an
 * indexer's JSON summary). Returns true when dist/ is up to date afterwards, false when the build failed.
 */
export function ensureBuilt(root) {
  const reason = staleReason(root);
  if (reason === undefined) return true;
  const started = Date.now();
  process.stderr.write(`newsfind: ${reason}: building (npm run build)…\n`);
  // the build's own output goes to stderr too
  const run = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (run.status !== 0) {
    process.stderr.write('newsfind: the build failed (see above); fix it, or run `npm run build` to see it again\n');
    return false;
  }
  fs.writeFileSync(stampFile(root), `built from the sources as they were at ${new Date(started).toISOString()}\n`);
  fs.utimesSync(stampFile(root), started / 1000, started / 1000);
  process.stderr.write(`newsfind: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}
