import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** Where the API listens (loopback). */
export interface ApiAddress {
  readonly host: string;
  readonly port: number;
}

/** A request: method, target, optional headers and JSON body, and the agent (connection policy) to send it with. */
export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly agent: http.Agent;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Client timeout (ms); the request is destroyed and `error` is 'timeout' past it. */
  readonly timeoutMs: number;
}

/** An answer (or its absence): status, parsed JSON body (undefined when not JSON), the client's local port, time. */
export interface JsonAnswer {
  readonly status?: number;
  readonly body?: unknown;
  /** The local (client) port of the connection it went over: with the server port, it names the connection. */
  readonly clientPort?: number;
  readonly ms: number;
  readonly error?: string;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Sends one request and resolves (never rejects) with its answer, a connection error or 'timeout'. */
export function requestJson(api: ApiAddress, r: JsonRequest): Promise<JsonAnswer> {
  const start = performance.now();
  const payload = r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body));
  const headers = { ...r.headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) };
  return new Promise((resolve) => {
    let clientPort: number | undefined;
    let settled = false;
    const finish = (answer: Omit<JsonAnswer, 'ms' | 'clientPort'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, clientPort, ms: performance.now() - start });
    };
    const req = http.request({ host: api.host, port: api.port, method: r.method, path: r.path, headers, agent: r.agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => finish({ status: res.statusCode, body: parse(text) }));
      res.on('error', (error) => finish({ status: res.statusCode, error: error.message }));
    });
    req.on('socket', (socket) => {
      const note = (): void => void (clientPort = socket.localPort);
      if (socket.localPort === undefined) socket.once('connect', note);
      else note();
    });
    req.on('error', (error) => finish({ error: error.message }));
    const timer = setTimeout(() => {
      finish({ error: 'timeout' });
      req.destroy();
    }, r.timeoutMs);
    req.end(payload);
  });
}

/** A GET over a connection of its own (no keep-alive: the cluster may hand it to any worker). */
export function getFresh(api: ApiAddress, path: string, timeoutMs: number): Promise<JsonAnswer> {
  const agent = new http.Agent({ keepAlive: false });
  return requestJson(api, { method: 'GET', path, agent, timeoutMs }).finally(() => agent.destroy());
}
