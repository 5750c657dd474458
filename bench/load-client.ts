import fs from 'node:fs';
import autocannon from 'autocannon';

/**
 * The load generator of bench/load.ts, in a process of its own: the bench process holds the corpus it indexed, and
 * a garbage collection there would stall the generator and count as API latency. Reads its options (autocannon's,
 * as JSON) from the file named on the command line and prints autocannon's result as JSON.
 */
const options = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as autocannon.Options;
const result = await autocannon(options);
process.stdout.write(JSON.stringify(result));
