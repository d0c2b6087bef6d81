/**
 * Simulated Nokia SR Linux: JSON-RPC at POST /jsonrpc over HTTP or HTTPS with basic auth, as
 * containerlab enables it (protocol notes §4.1). HTTP 200 with `error` is the normal failure.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { SimClock } from '../clock.js';
import { runCli } from './cli.js';
import { RpcFailure, SrlDevice, type SrlFaults, type SrlOspfNeighbor } from './device.js';
import { isObj, renderFlat, type Json, type Obj } from './tree.js';

export { DEFAULT_SRL_VERSION, RpcFailure, SrlDevice, type SrlFaults, type SrlOspfNeighbor } from './device.js';

export interface SrlSimOptions {
  readonly host?: string;
  /** 0 = ephemeral (default). */
  readonly port?: number;
  readonly hostname: string;
  readonly username?: string;
  readonly password?: string;
  /** Serve HTTPS with this certificate (PEM); plain HTTP when absent. */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
  readonly initialConfig?: Obj;
  readonly neighbors?: readonly SrlOspfNeighbor[];
  readonly version?: string;
  readonly chassisType?: string;
  readonly faults?: Partial<SrlFaults>;
  readonly clock?: SimClock;
}

export interface SrlSim {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly device: SrlDevice;
  setFaults(f: Partial<SrlFaults>): void;
  /** Running configuration as `info flat` lines. */
  runningFlat(): string;
  /** Requests answered so far (any method). */
  readonly requests: number;
  /** TCP connections accepted so far (keep-alive shows as few). */
  readonly connections: number;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

export async function startSrlinuxSim(options: SrlSimOptions): Promise<SrlSim> {
  const device = new SrlDevice({
    hostname: options.hostname,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.chassisType === undefined ? {} : { chassisType: options.chassisType }),
    ...(options.initialConfig === undefined ? {} : { initialConfig: options.initialConfig }),
    ...(options.neighbors === undefined ? {} : { neighbors: options.neighbors }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  device.faults = { ...device.faults, ...options.faults };
  const username = options.username ?? 'admin';
  const password = options.password ?? 'NokiaSrl1!';
  const expectedAuth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let requests = 0;
  let connections = 0;
  const sockets = new Set<Socket>();

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      requests++;
      if (device.faults.dropMidRequest) {
        device.faults.dropMidRequest = false;
        req.socket.destroy();
        return;
      }
      const respond = (status: number, body: unknown) => {
        const send = () => {
          const text = JSON.stringify(body);
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        };
        if (device.faults.latencyMs > 0) setTimeout(send, device.faults.latencyMs);
        else send();
      };
      if (req.method !== 'POST' || req.url !== '/jsonrpc') return respond(404, { error: 'not found' });
      if (device.faults.authFail || req.headers.authorization !== expectedAuth) {
        res.setHeader('www-authenticate', 'Basic realm="SRLinux"');
        return respond(401, { error: 'Unauthorized' });
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return respond(200, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      }
      const id = isObj(body) ? (body['id'] ?? null) : null;
      respond(200, answer(device, body, username, id as Json));
    });
  };

  const server = options.tls ? https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  server.on(options.tls ? 'secureConnection' : 'connection', () => connections++);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    tls: options.tls !== undefined,
    device,
    setFaults: (f) => {
      device.faults = { ...device.faults, ...f };
    },
    runningFlat: () => `${renderFlat(device.running).join('\n')}\n`,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One JSON-RPC request → its response object. */
export function answer(device: SrlDevice, body: unknown, user: string, id: Json): Obj {
  const fail = (code: number, message: string): Obj => ({ jsonrpc: '2.0', id, error: { code, message } });
  if (!isObj(body) || body['jsonrpc'] !== '2.0' || typeof body['method'] !== 'string') {
    return fail(-32600, "Invalid Request: expected {\"jsonrpc\":\"2.0\",\"method\":...}");
  }
  const params = isObj(body['params']) ? body['params'] : {};
  try {
    const result = dispatch(device, body['method'], params, user);
    return { jsonrpc: '2.0', id, result };
  } catch (err) {
    if (err instanceof RpcFailure) return fail(err.code, err.message);
    return fail(-1, `Internal error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function dispatch(device: SrlDevice, method: string, params: Obj, user: string): Json[] {
  switch (method) {
    case 'get':
      return device.get(params);
    case 'set':
      return device.set(params, user);
    case 'validate':
      return device.validate(params);
    case 'diff':
      return device.diff(params);
    case 'cli':
      return runCli(device, params, user);
    default:
      throw new RpcFailure(`Method '${method}' not found. Options are [cli, diff, get, set, validate]`, -32601);
  }
}
