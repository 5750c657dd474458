import { MeiliStub } from '../test/helpers/meili-stub.js';

/**
 * The test stub of Meilisearch as a process of its own (for benchmarks: its searches, JavaScript over every stored
 * document, then do not hold up the event loop of the process measured). Master key: MEILI_MASTER_KEY. Prints
 * `meili stub listening on <url>`; stops on SIGTERM.
 */
const stub = new MeiliStub(process.env.MEILI_MASTER_KEY);
const url = await stub.start();
process.stdout.write(`meili stub listening on ${url}\n`);
process.once('SIGTERM', () => void stub.stop().then(() => process.exit(0)));
