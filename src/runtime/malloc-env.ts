/**
 * glibc's malloc setting the service runs with: allocations of 128 KiB and more always get pages of their own
 * (mmap), given back to the system when freed. glibc raises that threshold by itself, up to 32 MiB, each time such a
 * block is freed; the index host's build frees many (typed arrays outgrowing their room), after which its large
 * arrays came from the heap and the ones freed stayed resident: the primary held 15–45 MB more at rest
 * (docs/BENCHMARKS.md, "Memory at rest, continued"). Read by glibc when a process starts, so it is set in the
 * environment of the service's process (`newsfind serve`, the Docker image), whose workers inherit it; ignored
 * where the C library is not glibc.
 */
export const MMAP_THRESHOLD_TUNABLE = 'glibc.malloc.mmap_threshold=131072';

/** `env` with {@link MMAP_THRESHOLD_TUNABLE} added to GLIBC_TUNABLES, unless that already sets an mmap threshold. */
export function serviceEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.includes('glibc.malloc.mmap_threshold=')) return env;
  return { ...env, GLIBC_TUNABLES: tunables === '' ? MMAP_THRESHOLD_TUNABLE : `${tunables}:${MMAP_THRESHOLD_TUNABLE}` };
}
