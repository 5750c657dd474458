import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_BODY_CHARS } from '../../src/core/article.js';
import type { CliRun } from '../helpers/indexer-cli.js';
import { FIXTURES, runIndexer, storedArticles } from '../helpers/indexer-cli.js';

/**
 * Every kind of bad input, through the real CLI in one run: the fixture folder test/fixtures/indexer/bad (one
 * file per kind), a body over the size limit, a dangling symlink and — when not running as root, where
 * permissions do not stop reads — a file nobody may read. Every bad record must be rejected with its source,
 * location and field, counted, and written to --rejects, while the good records around it are indexed.
 */
interface RejectLine {
  readonly source: string;
  readonly location: string;
  readonly issues: readonly { path: string; message: string }[];
}

const isRoot = process.getuid?.() === 0;
if (isRoot) console.warn('bad input: the unreadable-file (chmod 000) case is skipped when running as root; a dangling symlink stands in');

describe('indexer CLI on bad input', () => {
  let tmp: string;
  let run: CliRun;
  let rejects: RejectLine[];
  const dataDir = () => path.join(tmp, 'data');

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-bad-'));
    const big = { id: 'big1', title: 'An oversize body', body: 'word '.repeat(MAX_BODY_CHARS / 5 + 10) };
    fs.writeFileSync(path.join(tmp, 'oversize.jsonl'), `${JSON.stringify(big)}\n${JSON.stringify({ id: 'small1', title: 'Small', body: 'Fine.' })}\n`);
    fs.symlinkSync(path.join(tmp, 'nowhere.jsonl'), path.join(tmp, 'dangling.jsonl'));
    const sources = [path.join(FIXTURES, 'bad'), path.join(tmp, 'oversize.jsonl'), path.join(tmp, 'dangling.jsonl')];
    if (!isRoot) {
      fs.writeFileSync(path.join(tmp, 'locked.jsonl'), `${JSON.stringify({ id: 'locked1', title: 'T', body: 'B.' })}\n`);
      fs.chmodSync(path.join(tmp, 'locked.jsonl'), 0o000);
      sources.push(path.join(tmp, 'locked.jsonl'));
    }
    run = runIndexer(['--rejects', path.join(tmp, 'rejects.jsonl'), ...sources], dataDir());
    rejects = fs.readFileSync(path.join(tmp, 'rejects.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as RejectLine);
  });

  afterAll(() => {
    if (!isRoot) fs.chmodSync(path.join(tmp, 'locked.jsonl'), 0o600);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const rejectAt = (location: string) => rejects.find((r) => r.location === location);
  const paths = (location: string) => rejectAt(location)?.issues.map((i) => i.path);

  it('then the run goes on to the end and exits 1, counting every rejected record', () => {
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`\\| rejected ${rejects.length} \\|`));
    expect(rejects.length).toBe(isRoot ? 15 : 16);
  });

  it.each([
    ['malformed JSON', 'bad/malformed.jsonl:2', ['(record)'], /malformed JSON/],
    ['a missing title', 'bad/missing-fields.jsonl:2', ['title'], /string/],
    ['an empty body', 'bad/missing-fields.jsonl:3', ['body'], /must not be empty/],
    ['empty title and body', 'bad/missing-fields.jsonl:4', ['title', 'body'], /must not be empty/],
    ['an impossible date', 'bad/dates.jsonl:2', ['publishedAt'], /ISO 8601/],
    ['a date that is no date', 'bad/dates.jsonl:3', ['updatedAt'], /ISO 8601/],
    ['a duplicate id', 'bad/duplicates.jsonl:3', ['id'], /duplicate id "dup1" \(first seen at bad\/duplicates\.jsonl:1\)/],
    ['a truncated last line', 'bad/truncated.jsonl:2', ['(record)'], /malformed JSON/],
    ['invalid UTF-8', 'bad/invalid-utf8.jsonl:2', ['(record)'], /not valid UTF-8/],
    ['a CSV row with too few cells', 'bad/malformed.csv:3', ['(record)'], /malformed CSV row: Invalid Record Length/],
    ['a CSV row with a stray quote', 'bad/malformed.csv:4', ['(record)'], /malformed CSV row: Invalid Closing Quote/],
    ['a feed item with an unclosed tag', 'bad/malformed-item.rss:4 (item 2)', ['(record)'], /malformed XML: 4:\d+: unexpected close tag/],
    ['a feed item with an undefined entity', 'bad/malformed-item.rss:5 (item 3)', ['(record)'], /malformed XML: 5:\d+: undefined entity/],
    ['an oversize body', 'oversize.jsonl:1', ['body'], /1000000/],
  ])('when a record has %s, then it is rejected at its file:line with the field and reason', (_kind, location, fields, message) => {
    expect(paths(location)).toEqual(fields);
    expect(rejectAt(location)?.issues[0]?.message).toMatch(message);
    expect(run.stderr).toContain(`rejected ${location}: ${fields[0]}: `);
  });

  it('when a source is a dangling symlink, then it is one rejection naming the path', () => {
    const location = path.join(tmp, 'dangling.jsonl');
    expect(rejectAt(location)?.issues).toEqual([{ path: '(record)', message: expect.stringMatching(/^cannot read the file: ENOENT/) }]);
  });

  (isRoot ? it.skip : it)('when a file may not be read (chmod 000), then it is one rejection naming the file', () => {
    expect(rejectAt('locked.jsonl')?.issues[0]?.message).toMatch(/^cannot read the file: EACCES/);
  });

  it('then each rejects line names its source (the file or folder given)', () => {
    expect(rejectAt('bad/dates.jsonl:2')?.source).toBe(path.join(FIXTURES, 'bad'));
    expect(rejectAt('oversize.jsonl:1')?.source).toBe(path.join(tmp, 'oversize.jsonl'));
  });

  it('then the good records around the bad ones are indexed', async () => {
    const stored = await storedArticles(dataDir(), ['m1', 'm3', 'f1', 'd1', 'dup1', 'dup2', 't1', 'u1', 'u3', 'small1', 'm2', 'f2', 'd2', 'big1', 'u2']);
    for (const id of ['m1', 'm3', 'f1', 'd1', 'dup1', 'dup2', 't1', 'u1', 'u3', 'small1']) expect(stored[id]).toBeDefined();
    for (const id of ['m2', 'f2', 'd2', 'big1', 'u2']) expect(stored[id]).toBeUndefined();
    expect(stored.dup1?.title).toBe('Kestrel Bay story dup1');
    expect(run.stdout).toMatch(/^read \d+ \| indexed 14 \|/); // the 10 above, 2 CSV rows and 2 feed items
  });
});
