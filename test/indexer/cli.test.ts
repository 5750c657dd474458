import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliRun } from '../helpers/indexer-cli.js';
import { storedArticles } from '../helpers/indexer-cli.js';

/**
 * The indexer CLI, run as a real process from the repository root (each run costs about a second, so every run
 * below checks several things at once). Runs happen in beforeAll; the tests only read their results.
 */
type Run = CliRun;

const TIME_ZONE = 'Asia/Tokyo';

function runCli(args: readonly string[], dataDir: string, extraEnv: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'indexer/main.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, DATA_DIR: dataDir, SEARCH_ENGINE: 'sqlite', ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
const story = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Kestrel Bay story ${id}`,
  body: `The body of story ${id}, about the harbour.`,
  ...extra,
});

describe('indexer CLI', () => {
  let tmp: string;
  const file = (name: string) => path.join(tmp, name);
  const dataDir = (name: string) => path.join(tmp, `data-${name}`);
  let good: Run;
  let rerun: Run;
  let mixed: Run;
  let noFiles: Run;
  let zeroBatch: Run;
  let jsonUsage: Record<'badValue' | 'unknownOption' | 'noSources' | 'conflict', Run>;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-cli-'));

    fs.writeFileSync(
      file('good.jsonl'),
      line(story('g1')) + '\n' + line(story('g2', { publishedAt: '2026-03-14T09:30:00' })) + `${JSON.stringify(story('g3'))}\r\n`,
    );

    fs.writeFileSync(
      file('bad.jsonl'),
      Buffer.concat([
        Buffer.from(line(story('b1'))), // 1: good
        Buffer.from('{"id": "b2", "title": oops}\n'), // 2: malformed JSON
        Buffer.from(line({ id: 'b3', title: 'No body here' })), // 3: missing body
        Buffer.from('{"id":"b4","title":"'), // 4: invalid UTF-8
        Buffer.from([0xff, 0xfe]),
        Buffer.from('","body":"x"}\n'),
        Buffer.from('\n'), // 5: blank, skipped
        Buffer.from(line(story('b1', { title: 'A second b1' }))), // 6: duplicate id
        Buffer.from(line(story('b7'))), // 7: good
        Buffer.from('{"id":"b8","title":"Cut off'), // 8: truncated, no newline
      ]),
    );
    fs.writeFileSync(file('records.json'), JSON.stringify([story('j1'), story('j 2')]));

    good = runCli([file('good.jsonl')], dataDir('good'), { TZ: TIME_ZONE });
    rerun = runCli(['--json', file('good.jsonl')], dataDir('good'), { TZ: TIME_ZONE });
    mixed = runCli(
      ['--batch-size', '2', '--rejects', file('rejects.jsonl'), file('bad.jsonl'), file('missing.jsonl'), file('records.json')],
      dataDir('mixed'),
    );
    noFiles = runCli([], dataDir('usage'));
    zeroBatch = runCli(['--batch-size', '0', file('good.jsonl')], dataDir('usage'));
    jsonUsage = {
      badValue: runCli(['--json', '--batch-size', 'x', file('good.jsonl')], dataDir('usage')),
      unknownOption: runCli(['--json', '--frobnicate', file('good.jsonl')], dataDir('usage')),
      noSources: runCli(['--json'], dataDir('usage')),
      conflict: runCli(['--json', '--dry-run', '--reset', file('good.jsonl')], dataDir('usage')),
    };
  });

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('when every record is valid', () => {
    it('then it exits 0 and prints one summary line', () => {
      expect(good.status).toBe(0);
      expect(good.stdout).toMatch(/^read 3 \| indexed 3 \| unchanged 0 \| deleted 0 \| rejected 0 \| [\d.]+ s, \d+ docs\/s, peak RSS \d+ MiB\n$/);
      expect(good.stderr).toBe('');
    });

    it('then the articles are in the store, including a last line ending in CRLF', async () => {
      const stored = await storedArticles(dataDir('good'), ['g1', 'g2', 'g3']);
      expect(stored.g1).toMatchObject(story('g1'));
      expect(stored.g3).toMatchObject(story('g3'));
    });

    // Product bug: a date-time without an offset is read in the indexer's local time zone (new Date(s)), so the
    // stored instant depends on the machine's TZ.
    it('then a date-time without an offset is stored as that UTC time, whatever the time zone', async () => {
      const stored = await storedArticles(dataDir('good'), ['g2']);
      expect(stored.g2?.publishedAt).toBe('2026-03-14T09:30:00.000Z');
    });
  });

  describe('when the same file is indexed again with --json', () => {
    it('then it exits 0 and prints a parseable summary where every record is unchanged', () => {
      expect(rerun.status).toBe(0);
      expect(rerun.stdout.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(rerun.stdout)).toEqual({
        read: 3,
        indexed: 0,
        unchanged: 3,
        rejected: 0,
        deleted: 0,
        seconds: expect.any(Number),
        docsPerSecond: expect.any(Number),
        peakRssMiB: expect.any(Number),
      });
    });
  });

  describe('when files hold bad records and one file is missing', () => {
    const missingLocation = () => file('missing.jsonl');

    it('then it exits 1 and the summary counts every record', () => {
      expect(mixed.status).toBe(1);
      expect(mixed.stdout).toMatch(/^read 10 \| indexed 3 \| unchanged 0 \| deleted 0 \| rejected 7 \| /);
    });

    it('then stderr names the file:line and the field of each rejected record', () => {
      const rejected = mixed.stderr.split('\n').filter((l) => l.startsWith('rejected '));
      expect(rejected).toEqual([
        expect.stringMatching(/^rejected bad\.jsonl:2: \(record\): malformed JSON/),
        expect.stringMatching(/^rejected bad\.jsonl:3: body: /),
        expect.stringMatching(/^rejected bad\.jsonl:4: \(record\): the line is not valid UTF-8/),
        'rejected bad.jsonl:6: id: duplicate id "b1" (first seen at bad.jsonl:1)',
        expect.stringMatching(/^rejected bad\.jsonl:8: \(record\): malformed JSON/),
        expect.stringContaining(`rejected ${missingLocation()}: (record): cannot read the file`),
        expect.stringMatching(/^rejected records\.json\[1\]: id: /),
      ]);
    });

    it('then the good records of every file are indexed and the bad ones are not', async () => {
      const stored = await storedArticles(dataDir('mixed'), ['b1', 'b2', 'b3', 'b4', 'b7', 'b8', 'j1']);
      expect(stored.b1?.title).toBe('Kestrel Bay story b1');
      expect(stored.b7).toBeDefined();
      expect(stored.j1).toBeDefined();
      for (const id of ['b2', 'b3', 'b4', 'b8']) expect(stored[id]).toBeUndefined();
    });

    it('then --rejects holds one JSON line per rejected record, with its location and issues', () => {
      const lines = fs.readFileSync(file('rejects.jsonl'), 'utf8').trimEnd().split('\n');
      const rejects = lines.map((l) => JSON.parse(l) as { location: string; issues: { path: string }[] });
      expect(rejects.map((r) => r.location)).toEqual([
        'bad.jsonl:2',
        'bad.jsonl:3',
        'bad.jsonl:4',
        'bad.jsonl:6',
        'bad.jsonl:8',
        missingLocation(),
        'records.json[1]',
      ]);
      expect(rejects.map((r) => r.issues.map((i) => i.path))).toEqual([
        ['(record)'],
        ['body'],
        ['(record)'],
        ['id'],
        ['(record)'],
        ['(record)'],
        ['id'],
      ]);
    });
  });

  describe('when the command line is wrong', () => {
    it('then no files at all exits 2 with a usage error', () => {
      expect(noFiles.status).toBe(2);
      expect(noFiles.stderr).toMatch(/sources/);
      expect(noFiles.stdout).toBe('');
    });

    it('then --batch-size 0 exits 2 naming the option, before opening the store', () => {
      expect(zeroBatch.status).toBe(2);
      expect(zeroBatch.stderr).toMatch(/--batch-size/);
      expect(fs.existsSync(path.join(dataDir('usage'), 'newsfind.db'))).toBe(false);
    });

    it.each([
      ['badValue', /--batch-size <n>.* argument 'x' is invalid/],
      ['unknownOption', /unknown option '--frobnicate'/],
      ['noSources', /missing required argument 'sources'/],
      ['conflict', /--dry-run and --reset cannot be combined/],
    ] as const)('then with --json (%s) it exits 2 and prints {"error":"usage",…} on stdout, the message on stderr', (name, message) => {
      const run = jsonUsage[name];
      expect(run.status).toBe(2);
      expect(run.stdout).toMatch(/^[^\n]+\n$/); // one line
      expect(JSON.parse(run.stdout)).toEqual({ error: 'usage', message: expect.stringMatching(message), exitStatus: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stderr.match(new RegExp(message.source, 'g'))).toHaveLength(1);
    });
  });
});
