import { MMAP_THRESHOLD_TUNABLE, serviceEnv } from '../../src/runtime/malloc-env.js';

describe('serviceEnv', () => {
  it('sets the mmap threshold when GLIBC_TUNABLES is unset', () => {
    expect(serviceEnv({ PORT: '3000' })).toEqual({ PORT: '3000', GLIBC_TUNABLES: MMAP_THRESHOLD_TUNABLE });
  });

  it('adds it to the tunables already set', () => {
    expect(serviceEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${MMAP_THRESHOLD_TUNABLE}`);
  });

  it('leaves a threshold the operator chose', () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=65536' };
    expect(serviceEnv(env)).toBe(env);
  });
});
