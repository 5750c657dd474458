import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { z } from 'zod';
import { configSchema } from './config.js';
import { serviceEnv } from './runtime/malloc-env.js';

/**
 * The `newsfind` command: `serve` starts the service (src/main.ts), `index` runs the indexer (indexer/main.ts) with
 * every argument passed on. Run through bin/newsfind.js, which builds dist/ first when the sources changed; each
 * command then runs the compiled entry point in a child process of its own (the service forks cluster workers from
 * its own entry file), with this process's signals passed on and its exit status returned.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVICE = path.join(here, 'main.js');
const INDEXER = path.join(here, '..', 'indexer', 'main.js');

/** Every environment variable the configuration reads, with its default and description, for `serve --help`. */
export function configHelp(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, { description?: string; default?: unknown }>;
  };
  const lines = Object.entries(schema.properties).map(([name, p]) => {
    const fallback = p.default === undefined || p.default === '' ? '' : ` (default: ${String(p.default)})`;
    return `  ${name}${fallback}\n      ${p.description ?? ''}`;
  });
  return `\nConfiguration, from the environment (a bad value stops the service with status 2, naming what is allowed):\n${lines.join('\n')}\n`;
}

/** Runs a compiled entry point with `args` in a child process; resolves with the status this process should exit with. */
function runEntry(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, file, ...args], { stdio: 'inherit', env });
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of signals) process.on(s, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve(code ?? 128 + (signal === null ? 0 : os.constants.signals[signal]));
    });
  });
}

/** The `newsfind` program; `exit` receives the status of the command that ran. */
export function program(exit: (status: number) => void): Command {
  const cli = new Command('newsfind')
    .description('Search and "more like this" for news sites: an HTTP API, web pages and an embeddable widget over your articles.')
    .enablePositionalOptions();
  cli
    .command('serve')
    .description('start the service (API, pages, widget.js) on HOST:PORT over the store in DATA_DIR; `npm start` runs this')
    .addHelpText('after', configHelp)
    .action(async () => exit(await runEntry(SERVICE, [], serviceEnv(process.env)))); // glibc's malloc: runtime/malloc-env.ts
  cli
    .command('index')
    .description('index articles from files and folders into the store in DATA_DIR (the same DATA_DIR as the service); `newsfind index --help` lists the options')
    .argument('[args...]', 'sources and options, passed to the indexer')
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (args: string[]) => exit(await runEntry(INDEXER, args)));
  cli
    .command('build')
    .description('build dist/ if the sources changed since the last build (serve and index do it first; `npm run build` always builds)')
    .action(() => {
      process.stderr.write('newsfind: dist/ is up to date\n');
      exit(0);
    });
  return cli;
}

/** Parses `argv` (the arguments after the command's name) and runs the command it names. */
export async function runCli(argv: readonly string[]): Promise<void> {
  await program((status) => process.exit(status)).parseAsync([...argv], { from: 'user' });
}
