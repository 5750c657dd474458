import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED } from './corpus.js';

/** The sources the scikit-learn peer samples: Python's random.Random(7).sample(range(n), k). */
export function peerSources(n: number, k: number): number[] {
  const code = `import random, json; print(json.dumps(random.Random(7).sample(range(${n}), ${k})))`;
  return JSON.parse(execFileSync('python3', ['-c', code], { encoding: 'utf8' })) as number[];
}

/** Topic precision@10 with ../shared/peers/mlt_quality.py, for one run of ours. */
export function mltQuality(corpus: string, run: Record<string, [string, number][]>): number {
  const file = path.join(os.tmpdir(), `newsfind-mlt-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(run));
  const out = execFileSync('python3', [path.join(SHARED, 'peers', 'mlt_quality.py'), corpus, file], { encoding: 'utf8' });
  return (JSON.parse(out) as Record<string, number>)['topic_precision_at_10']!;
}

