/** Types of fresh-build.js (plain JavaScript: it runs before anything is compiled). */

/** The file whose modification time says when dist/ was last built from the sources. */
export function stampFile(root: string): string;
/** The newest of the build's inputs under `root`, or undefined when there are none. */
export function newestSource(root: string): { file: string; mtimeMs: number } | undefined;
/** Why dist/ under `root` must be built again, or undefined when it is up to date (or there are no sources). */
export function staleReason(root: string): string | undefined;
/** Builds dist/ under `root` when {@link staleReason} says so; false when the build failed. */
export function ensureBuilt(root: string): boolean;
