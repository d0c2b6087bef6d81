/**
 * Arista EOS eAPI simulator: JSON-RPC 2.0 `runCmds` on POST /command-api over HTTPS (a
 * self-signed certificate, as cEOS serves) or HTTP, with basic auth, in front of an EOS CLI model
 * (device.ts) with configuration sessions, commit timers, checkpoints and fault injection.
 * Request and answer shapes follow what pyeapi sends and accepts (test/conformance/pyeapi.test.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { systemClock } from '../clock.js';
import { selfSignedCert } from '../self-signed.js';
import { EosDevice, type CommandInput } from './device.js';
import type { EosFaults, EosSim, EosSimOptions } from './types.js';

export type { EosCommitRecord, EosFaults, EosOspfNeighborSpec, EosSessionInfo, EosSim, EosSimOptions } from './types.js';

export const DEFAULT_EOS_VERSION = '4.32.0F';
export const DEFAULT_EOS_MODEL = 'cEOSLab';
export const EAPI_PATH = '/command-api';
/** A request body larger than this is refused (413): configurations are far smaller. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

const DEFAULT_FAULTS: EosFaults = { latencyMs: 0, authFail: false, dropMidRequest: false, dropOnCommand: null, commitError: null, busy: null };

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A plausible sha512-crypt string derived from a seed (never the real password). */
function fakeSha512(seed: string): string {
  const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const chars = [...Buffer.from(digest(seed) + digest(`${seed}:2`), 'hex')].map((b) => alphabet[b % 64]).join('');
  return `$6$${chars.slice(0, 16)}$${chars.slice(16, 102)}`;
}

/** What containerlab's cEOS startup configuration (nodes/ceos/ceos.cfg) gives a fresh node. */
export function defaultEosConfig(hostname: string, username = 'admin', extraInterfaces: readonly string[] = ['Ethernet1', 'Ethernet2']): string {
  return [
    'no aaa root',
    '!',
    `username ${username} privilege 15 role network-admin secret sha512 ${fakeSha512(`${username}@${hostname}`)}`,
    '!',
    'transceiver qsfp default-mode 4x10G',
    '!',
    'service routing protocols model multi-agent',
    '!',
    `hostname ${hostname}`,
    '!',
    'spanning-tree mode mstp',
    '!',
    ...extraInterfaces.flatMap((i) => [`interface ${i}`, '!']),
    'interface Management0',
    '   ip address 172.20.20.2/24',
    '!',
    'ip routing',
    '!',
    'management api http-commands',
    '   no shutdown',
    '!',
    'management api gnmi',
    '   transport grpc default',
    '!',
    'management api netconf',
    '   transport ssh default',
    '!',
    'end',
    '',
  ].join('\n');
}

function secretEquals(a: string, b: string): boolean {
  const x = Buffer.from(digest(a), 'hex');
  const y = Buffer.from(digest(b), 'hex');
  return timingSafeEqual(x, y);
}

/** The basic-auth user when the header carries the device's login; undefined otherwise. */
function authorizedUser(req: IncomingMessage, device: EosDevice): string | undefined {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (m === null) return undefined;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const ok = secretEquals(user, device.opts.username) && secretEquals(password, device.opts.password);
  return ok ? user : undefined;
}

type JsonRpcId = string | number | null;

function rpcError(id: JsonRpcId, code: number, message: string, data?: unknown): unknown {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

const REASON: Record<1000 | 1002 | 1003, string> = { 1000: 'could not run command', 1002: 'invalid command', 1003: 'unconverted command' };

/** Answers one parsed JSON-RPC request body. */
export function answerRequest(device: EosDevice, body: unknown, user: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return rpcError(null, -32600, 'Invalid request');
  const req = body as Record<string, unknown>;
  const id = (typeof req['id'] === 'string' || typeof req['id'] === 'number' ? req['id'] : null) as JsonRpcId;
  if (req['jsonrpc'] === undefined) return rpcError(id, -32600, "Expected field 'jsonrpc' not specified");
  if (req['jsonrpc'] !== '2.0') return rpcError(id, -32600, "Invalid value for field 'jsonrpc': expected '2.0'");
  if (req['method'] === undefined) return rpcError(id, -32600, "Expected field 'method' not specified");
  if (req['method'] !== 'runCmds') return rpcError(id, -32601, `Method not found: ${String(req['method'])}`);
  const params = req['params'];
  if (typeof params !== 'object' || params === null) return rpcError(id, -32602, "Expected field 'params' not specified");
  const p = params as Record<string, unknown>;
  if (p['version'] !== 1 && p['version'] !== 'latest') return rpcError(id, -32602, `Invalid params: unsupported version ${JSON.stringify(p['version'])}`);
  const cmds = p['cmds'];
  if (!Array.isArray(cmds) || cmds.length === 0) return rpcError(id, -32602, "Invalid params: expected field 'cmds' to be a non-empty list");
  const valid = cmds.every((c) => typeof c === 'string' || (typeof c === 'object' && c !== null && typeof (c as { cmd?: unknown }).cmd === 'string'));
  if (!valid) return rpcError(id, -32602, "Invalid params: each command must be a string or an object with field 'cmd'");
  const format = p['format'] ?? 'json';
  if (format !== 'json' && format !== 'text') return rpcError(id, -32602, `Invalid params: unsupported format '${String(format)}'`);
  const autoComplete = p['autoComplete'] === true;

  const run = device.runCmds(cmds as CommandInput[], format, user, autoComplete);
  if (run.ok) return { jsonrpc: '2.0', id, result: run.results };
  const command = cmds[run.index] as CommandInput;
  const text = typeof command === 'string' ? command : command.cmd;
  const failing = {
    errors: run.failure.errors,
    ...(format === 'text' ? { output: run.failure.errors.map((e) => `% ${e}\n`).join('') } : {}),
  };
  const message = `CLI command ${run.index + 1} of ${cmds.length} '${text}' failed: ${REASON[run.failure.code]}`;
  return rpcError(id, run.failure.code, message, [...run.results, failing]);
}

function commandsOf(body: unknown): string[] {
  const cmds = (body as { params?: { cmds?: unknown } } | null)?.params?.cmds;
  if (!Array.isArray(cmds)) return [];
  return cmds.map((c) => (typeof c === 'string' ? c : typeof c === 'object' && c !== null ? String((c as { cmd?: unknown }).cmd) : ''));
}

/** Starts one simulated device; resolves once it listens. */
export async function startEosSim(opts: EosSimOptions): Promise<EosSim> {
  const username = opts.username ?? 'admin';
  const tls = opts.tls ?? true;
  const host = opts.host ?? '127.0.0.1';
  const device = new EosDevice({
    hostname: opts.hostname,
    model: opts.model ?? DEFAULT_EOS_MODEL,
    version: opts.version ?? DEFAULT_EOS_VERSION,
    serial: opts.serial ?? digest(opts.hostname).slice(0, 32).toUpperCase(),
    systemMac: `00:1c:73:${digest(opts.hostname).slice(0, 6).replace(/(..)(?!$)/g, '$1:')}`,
    username,
    password: opts.password ?? 'admin',
    initialConfig: opts.initialConfig ?? defaultEosConfig(opts.hostname, username),
    faults: { ...DEFAULT_FAULTS, ...opts.faults },
    neighbors: opts.neighbors ?? [],
    clock: opts.clock ?? systemClock,
  });
  let requests = 0;
  let connections = 0;
  const sockets = new Set<Socket>();

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const reply = (): void => {
        if (res.destroyed) return;
        res.writeHead(status, { 'Content-Type': typeof payload === 'string' ? 'text/html' : 'application/json', ...headers });
        res.end(body);
      };
      if (device.faults.latencyMs > 0) setTimeout(reply, device.faults.latencyMs).unref();
      else reply();
    };
    const path = (req.url ?? '').split('?')[0];
    if (path !== EAPI_PATH && path !== `${EAPI_PATH}/`) {
      req.resume();
      send(404, '<html><body>404 Not Found</body></html>');
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      send(405, '<html><body>405 Method Not Allowed</body></html>', { Allow: 'POST' });
      return;
    }
    const user = device.faults.authFail ? undefined : authorizedUser(req, device);
    if (user === undefined) {
      req.resume();
      send(401, 'Unable to authenticate user: Bad username/password combination', { 'WWW-Authenticate': 'Basic realm="eAPI"' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      if (device.faults.dropMidRequest) {
        device.faults.dropMidRequest = false;
        req.socket.destroy();
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        send(200, rpcError(null, -32700, 'Parse error'));
        return;
      }
      requests++;
      const answer = answerRequest(device, body, user);
      const drop = device.faults.dropOnCommand;
      if (drop !== null && commandsOf(body).some((c) => drop.test(c))) {
        // The device acted on the request; the answer never arrives.
        device.faults.dropOnCommand = null;
        req.socket.destroy();
        return;
      }
      send(200, answer);
    });
  };

  const cert = tls ? selfSignedCert(opts.hostname, [host]) : undefined;
  const server: Server = cert === undefined ? createHttpServer(handler) : createHttpsServer({ key: cert.key, cert: cert.cert }, handler);
  server.keepAliveTimeout = 60_000;
  server.on(cert === undefined ? 'connection' : 'secureConnection', () => {
    connections++;
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    hostname: opts.hostname,
    tls,
    certificate: cert?.cert,
    url: `${tls ? 'https' : 'http'}://${urlHost}:${port}${EAPI_PATH}`,
    setFaults: (f) => {
      device.faults = { ...device.faults, ...f };
    },
    runningConfig: () => device.runningText(),
    sessions: () => device.sessionInfo(),
    commitHistory: () => [...device.history],
    configureLocal: (lines) => device.configureLocal(lines),
    requestCount: () => requests,
    connectionCount: () => connections,
    close: async () => {
      device.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
