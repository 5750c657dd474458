/** The loader hook of module-log.mjs: logs each module loaded, then loads it as the next hook would. */
import fs from 'node:fs';
import process from 'node:process';

export async function load(url, context, next) {
  if (process.env.MODULE_LOG) fs.appendFileSync(process.env.MODULE_LOG, `${process.pid} ${url}\n`);
  return next(url, context);
}
