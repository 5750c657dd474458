import fs from 'node:fs';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { readRecords } from '../indexer/sources/json-records.js';
import type { Config } from './config.js';
import { ConfigError, loadConfig } from './config.js';
import { createEngine } from './engines/create-engine.js';
import type { SearchEngine } from './engines/search-engine.js';
import { createApp } from './http/app.js';
import { ingestArticles } from './services/ingest-articles.js';


/** Indexes the demo set when the index is empty, so that a fresh `npm start` has something to search. */
async function loadDemoData(engine: SearchEngine, config: Config, log: Logger): Promise<void> {
  if (config.DEMO_DATA === 'off' || (await engine.stats()).articles > 0) return;
  if (!fs.existsSync(config.DEMO_DATA)) {
    log.warn({ file: config.DEMO_DATA }, 'the index is empty and the demo data file is missing');
    return;
  }
  const summary = await ingestArticles({ engine }, readRecords(config.DEMO_DATA), {
    onReject: (r) => log.warn({ rejection: r }, 'demo record rejected'),
  });
  log.info({ file: config.DEMO_DATA, ...summary }, 'indexed the demo articles (the index was empty)');
}

/** Stops accepting connections, lets in-flight requests finish, then closes the store. */
function onShutdown(server: Server, engine: SearchEngine, log: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close(() => {
      void engine.close().then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const log = pino({ level: config.LOG_LEVEL });
  const engine = createEngine(config);
  await loadDemoData(engine, config, log);
  const app = createApp({ engine, now: () => performance.now(), logError: (e) => log.error({ err: e }, 'request failed') });
  const server = app.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    void engine.stats().then((stats) =>
      log.info({ engine: stats.engine, dataDir: config.DATA_DIR, articles: stats.articles, url: `http://${config.HOST}:${port}` }, 'listening'),
    );
  });
  onShutdown(server, engine, log);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
