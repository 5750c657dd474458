/**
 * `node --import ./test/helpers/module-log.mjs …`: every ES module a process (and any of its threads) loads is
 * appended to the file MODULE_LOG names, one `pid url` line each, so that a test can tell which modules a real
 * process loaded (the cluster workers inherit the flag with the primary's execArgv).
 */
import { register } from 'node:module';
import { URL } from 'node:url';

register(new URL('./module-log-hooks.mjs', import.meta.url));
