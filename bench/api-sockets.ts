import fs from 'node:fs';

/**
 * Which API process answered a request. No answer says (X-Request-Id is a UUID), so the bench asks Linux: the
 * server end of a loopback connection is a socket in /proc/net/tcp (local = the API's port, remote = the client's
 * port) whose inode is among the open files of exactly one process once the primary has handed it to a worker.
 */

const readOr = (file: string, fallback: string): string => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
};

/** A process's direct children (Linux /proc; empty when it is gone). */
export const childPids = (pid: number): number[] =>
  readOr(`/proc/${pid}/task/${pid}/children`, '').split(' ').filter(Boolean).map(Number);

const runsApi = (pid: number): boolean => readOr(`/proc/${pid}/cmdline`, '').includes('dist/src/main.js');

/**
 * The API's processes: the primary (a child of this process running dist/src/main.js) and its workers (its children
 * running the same script, as cluster.fork does; a helper process running another script is not a worker).
 */
export function apiProcesses(): { primary: number; workers: number[] } | undefined {
  const primary = childPids(process.pid).find(runsApi);
  return primary === undefined ? undefined : { primary, workers: childPids(primary).filter(runsApi) };
}

/** The processes that serve requests: the workers, or the primary when it has none (WORKERS=1, one process). */
export function servingPids(): number[] {
  const api = apiProcesses();
  if (!api) return [];
  return api.workers.length > 0 ? api.workers : [api.primary];
}

const portOf = (address: string): number => parseInt(address.split(':')[1] ?? '', 16);

/** The inode of the server end of the established IPv4 connection from `clientPort` to `serverPort`. */
function serverInode(serverPort: number, clientPort: number): string | undefined {
  for (const line of readOr('/proc/net/tcp', '').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length > 9 && portOf(f[1]!) === serverPort && portOf(f[2]!) === clientPort) return f[9];
  }
  return undefined;
}

const readLink = (path: string): string => {
  try {
    return fs.readlinkSync(path);
  } catch {
    return ''; // closed meanwhile
  }
};

/** Whether one of the process's open files is `link` (e.g. `socket:[1234]`). */
const holds = (pid: number, link: string): boolean => {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => readLink(`/proc/${pid}/fd/${fd}`) === link);
  } catch {
    return false; // the process is gone
  }
};

/**
 * The process among `pids` holding the server end of the open loopback connection `clientPort` → `serverPort`,
 * or undefined (connection closed, not found, or held by none of them).
 */
export function serverPidOf(connection: { serverPort: number; clientPort: number }, pids: readonly number[]): number | undefined {
  const inode = serverInode(connection.serverPort, connection.clientPort);
  if (inode === undefined || inode === '0') return undefined;
  return pids.find((pid) => holds(pid, `socket:[${inode}]`));
}
