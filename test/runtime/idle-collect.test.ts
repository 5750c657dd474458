import { execFileSync } from 'node:child_process';
import { NEW_SPACE_IDLE_BYTES, shouldCollectWhenIdle } from '../../src/runtime/idle-collect.js';

const GROWN = 32 * 2 ** 20;

describe('shouldCollectWhenIdle', () => {
  it('collects a grown young generation once the process went quiet', () => {
    expect(shouldCollectWhenIdle({ quietChecks: 1, newSpaceBytes: GROWN })).toBe(true);
  });

  it('does not collect while the process allocates (scavenges since the last check)', () => {
    expect(shouldCollectWhenIdle({ quietChecks: 0, newSpaceBytes: GROWN })).toBe(false);
  });

  it('does not collect a young generation that is already small', () => {
    expect(shouldCollectWhenIdle({ quietChecks: 1, newSpaceBytes: NEW_SPACE_IDLE_BYTES })).toBe(false);
  });

  it('tries again after 2, 4, 8… quiet checks while the young generation stays grown', () => {
    const tries = Array.from({ length: 20 }, (_, i) => i + 1).filter((quietChecks) => shouldCollectWhenIdle({ quietChecks, newSpaceBytes: GROWN }));
    expect(tries).toEqual([1, 2, 4, 8, 16]);
  });
});

/**
 * A process that grew its young generation (many short-lived objects kept across scavenges), then went quiet:
 * with collectWhenIdle running, V8 gives the new space back. Prints the new space's size before and after.
 */
const CHILD = `
import v8 from 'node:v8';
import { collectWhenIdle } from './src/runtime/idle-collect.ts';
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
let keep = [];
for (let i = 0; i < 2e6; i++) keep.push({ i, s: 'x' + i });
keep = null;
const grown = newSpace();
const idle = collectWhenIdle(1000);
const started = Date.now();
while (newSpace() > ${NEW_SPACE_IDLE_BYTES} && Date.now() - started < 30000) await new Promise((r) => setTimeout(r, 250));
idle.stop();
console.log(JSON.stringify({ grown, idle: newSpace() }));
`;

describe('collectWhenIdle', () => {
  it('gives the young generation back once the process is quiet', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { encoding: 'utf8', timeout: 60_000 });
    const { grown, idle } = JSON.parse(out.trim().split('\n').pop()!) as { grown: number; idle: number };
    expect(grown).toBeGreaterThan(NEW_SPACE_IDLE_BYTES);
    expect(idle).toBeLessThanOrEqual(NEW_SPACE_IDLE_BYTES);
  }, 90_000);
});

/**
 * The one-off check after start: regular checks far away (60 s), the young generation grown by short-lived
 * garbage (a served request's kind: one object in a hundred survives), then
 * collectOnceQuiet(6 s) with the process quiet (`busy` false) or allocating the whole time (`busy` true). Prints
 * the new space's size before and 7 s later.
 */
const onceChild = (busy: boolean) => `
import v8 from 'node:v8';
import { collectWhenIdle } from './src/runtime/idle-collect.ts';
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
let keep = [];
for (let i = 0; i < 3e6; i++) {
  const o = { i, s: 'x' + i };
  if (i % 100 === 0) keep.push(o);
}
keep = null;
const grown = newSpace();
const idle = collectWhenIdle(60000);
idle.collectOnceQuiet(6000);
const until = Date.now() + 7000;
let sink = 0;
while (Date.now() < until) {
  if (${busy}) for (let i = 0; i < 2e5; i++) sink += { i, s: 'y' + i }.s.length;
  await new Promise((r) => setTimeout(r, 50));
}
idle.stop();
console.log(JSON.stringify({ grown, after: newSpace(), sink }));
`;

const runOnce = (busy: boolean): { grown: number; after: number } => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', onceChild(busy)], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as { grown: number; after: number };
};

describe('collectOnceQuiet', () => {
  it('when the process stays quiet after it becomes ready, then its young generation is given back within seconds', () => {
    const { grown, after } = runOnce(false);
    expect(grown).toBeGreaterThan(NEW_SPACE_IDLE_BYTES);
    expect(after).toBeLessThanOrEqual(NEW_SPACE_IDLE_BYTES);
  }, 90_000);

  it('when the process keeps allocating (requests), then it does not collect', () => {
    const { grown, after } = runOnce(true);
    expect(grown).toBeGreaterThan(NEW_SPACE_IDLE_BYTES);
    expect(after).toBeGreaterThan(NEW_SPACE_IDLE_BYTES);
  }, 90_000);
});
