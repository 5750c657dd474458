import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stampFile, staleReason } from '../bin/fresh-build.js';
import { program } from '../src/cli.js';

/** The `newsfind` command's help, and the indexer's: what a newcomer reads before running anything. */

const helpOf = (name: string): string => {
  const command = program(() => undefined).commands.find((c) => c.name() === name);
  if (!command) throw new Error(`no command ${name}`);
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s) });
  command.outputHelp();
  return text;
};

describe('newsfind', () => {
  it('when asked for help, then it lists serve, index and build', () => {
    const names = program(() => undefined).commands.map((c) => c.name());
    expect(names).toEqual(['serve', 'index', 'build']);
  });

  it('when asked for serve --help, then every configuration variable is listed with its default', () => {
    const help = helpOf('serve');
    expect(help).toMatch(/DATA_DIR \(default: data\/store\)/);
    expect(help).toMatch(/WORKERS \(default: auto\)/);
    expect(help).toMatch(/PORT \(default: 3000\)/);
    expect(help).toMatch(/MEILI_URL\n/);
  });

  it('when the indexer is asked for --help, then --map shows what it does by default, not an empty object', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'indexer/main.ts', '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: newsfind index /);
    expect(run.stdout).not.toContain('(default: {})');
    expect(run.stdout).toMatch(/--map <pairs>[\s\S]*\(default:\s+columns\s+named like the fields\)/);
  });
});

describe('fresh-build: when dist/ must be built again', () => {
  let root: string;
  const write = (file: string, at: number) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), 'x');
    fs.utimesSync(path.join(root, file), at / 1000, at / 1000);
  };
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-fresh-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('when there are sources and no build yet, then it must build', () => {
    write('src/main.ts', 1_000_000);
    expect(staleReason(root)).toBe('no build yet');
  });

  it('when every source is older than the last build, then it need not', () => {
    write('src/main.ts', 1_000_000);
    write('web/pages/index.html', 2_000_000);
    write(path.relative(root, stampFile(root)), 3_000_000);
    expect(staleReason(root)).toBeUndefined();
  });

  it('when one source anywhere (web/, a tsconfig, the lock file) is newer than the last build, then it must, naming it', () => {
    write(path.relative(root, stampFile(root)), 3_000_000);
    for (const file of ['web/src/widget.ts', 'tsconfig.json', 'package-lock.json']) {
      write('src/main.ts', 1_000_000);
      write(file, 4_000_000);
      expect(staleReason(root)).toMatch(new RegExp(`sources changed since the last build \\(${file.replace('.', '\\.')}`));
      fs.rmSync(path.join(root, file));
    }
  });

  it('when there are no sources (an image with dist/ only), then dist/ is used as it is', () => {
    write('dist/src/main.js', 1_000_000);
    expect(staleReason(root)).toBeUndefined();
  });
});
