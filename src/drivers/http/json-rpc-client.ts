import http from 'node:http';
import https from 'node:https';
import type { RequestBudget } from '../deadline.js';
import {
  AuthFailedError,
  CancelledError,
  ConnectionLostError,
  DriverError,
  RejectedError,
  TimeoutError,
  UnreachableError,
  type DriverErrorContext,
} from '../errors.js';
import { UNREACHABLE_CODES } from '../ssh/connect.js';

/** Where an HTTP JSON-RPC API lives and how to trust it. */
export interface HttpEndpoint {
  readonly host: string;
  readonly port: number;
  /** https (true) or plain http (false). */
  readonly tls: boolean;
  /** Request path: `/jsonrpc` (SR Linux), `/command-api` (EOS eAPI). */
  readonly path: string;
  readonly username: string;
  /** Sent as HTTP basic auth; never logged. */
  readonly password: string;
  /** Verify the server certificate (default true). False accepts self-signed certificates. */
  readonly tlsVerify?: boolean;
  /** Extra CA certificates (PEM) to trust, e.g. containerlab's lab CA. */
  readonly ca?: string | readonly string[];
}

export interface JsonRpcClientOptions extends HttpEndpoint {
  /** Node name for error messages. */
  readonly label: string;
  /** Default `application/json`; eAPI uses `application/json-rpc`. */
  readonly contentType?: string;
  /** Kept-alive connections per node. Default 4. */
  readonly maxSockets?: number;
  /** Idle kept-alive sockets close after this. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** Largest response body accepted. Default 64 MiB. */
  readonly maxResponseBytes?: number;
  /**
   * Maps an HTTP status other than 200 to the driver's error (before the default mapping:
   * 401/403 AuthFailed, anything else Rejected with the status and body).
   */
  readonly mapHttpStatus?: (status: number, body: string, ctx: DriverErrorContext) => DriverError | undefined;
}

/** The JSON-RPC 2.0 error object, verbatim. */
export interface JsonRpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** A parsed JSON-RPC 2.0 response: exactly one of result / error (an error is data, not a throw). */
export type JsonRpcResponse =
  | { readonly ok: true; readonly result: unknown; readonly id: unknown }
  | { readonly ok: false; readonly error: JsonRpcErrorObject; readonly id: unknown };

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** TLS verification failures: say how to trust the lab's certificates. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

/**
 * JSON-RPC 2.0 over HTTP(S) POST with basic auth and one kept-alive connection pool per client
 * (the drivers create one client per node). Transport failures throw the driver error tree;
 * a JSON-RPC `error` member is returned as data for the driver to classify.
 */
export class JsonRpcClient {
  readonly #options: JsonRpcClientOptions;
  readonly #agent: http.Agent;
  readonly #auth: string;
  #nextId = 1;
  #closed = false;

  constructor(options: JsonRpcClientOptions) {
    this.#options = options;
    const common = {
      keepAlive: true,
      maxSockets: options.maxSockets ?? 4,
      timeout: options.idleTimeoutMs ?? 30_000,
      scheduling: 'lifo' as const,
    };
    this.#agent = options.tls
      ? new https.Agent({
          ...common,
          rejectUnauthorized: options.tlsVerify ?? true,
          ...(options.ca === undefined ? {} : { ca: typeof options.ca === 'string' ? options.ca : [...options.ca] }),
        })
      : new http.Agent(common);
    this.#auth = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
  }

  /** `http(s)://host:port/path`, for messages. */
  get url(): string {
    const { tls, host, port, path } = this.#options;
    return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  }

  /**
   * Sends one request. A kept-alive socket the server closed while idle is retried once on a fresh
   * one (the request never reached the server); any other failure after sending is ConnectionLost.
   */
  /**
   * `retryStaleSocket: false` is for requests that must never run twice (a commit): a reset on a
   * reused socket cannot tell "closed while idle" from "closed after the server acted", so such a
   * request then fails with ConnectionLost (outcome unknown) instead of being sent again.
   */
  async call(method: string, params: unknown, budget: RequestBudget, opts: { retryStaleSocket?: boolean } = {}): Promise<JsonRpcResponse> {
    const ctx: DriverErrorContext = { node: this.#options.label, operation: budget.operation };
    if (this.#closed) throw new ConnectionLostError(ctx, 'the client is closed', { requestSent: false });
    const id = this.#nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    const started = Date.now();
    try {
      return await this.#post(body, id, ctx, budget);
    } catch (err) {
      if (!(err instanceof StaleSocketError)) throw err;
      if (opts.retryStaleSocket === false) throw new ConnectionLostError({ ...ctx, cause: err.cause }, err.message);
      const left = budget.timeoutMs - (Date.now() - started);
      if (left <= 0) throw new TimeoutError(ctx, budget.timeoutMs);
      try {
        return await this.#post(body, id, ctx, { ...budget, timeoutMs: left });
      } catch (again) {
        if (again instanceof StaleSocketError) throw new ConnectionLostError({ ...ctx, cause: again.cause }, again.message, { requestSent: false });
        throw again;
      }
    }
  }

  /** Drops every pooled connection; later calls fail. Never throws. */
  close(): void {
    this.#closed = true;
    this.#agent.destroy();
  }

  #post(body: string, id: number, ctx: DriverErrorContext, budget: RequestBudget): Promise<JsonRpcResponse> {
    const o = this.#options;
    const where = `${o.host}:${o.port}`;
    const lib = o.tls ? https : http;
    return new Promise<JsonRpcResponse>((resolve, reject) => {
      let settled = false;
      let responded = false;
      // Once the socket is connected the request may have reached the server: failures are then ConnectionLost.
      let connected = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        budget.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const fail = (err: Error) => finish(() => reject(err));
      const req = lib.request({
        host: o.host,
        port: o.port,
        path: o.path,
        method: 'POST',
        agent: this.#agent,
        headers: {
          'content-type': o.contentType ?? 'application/json',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: this.#auth,
        },
      });
      const onAbort = () => {
        fail(new CancelledError(ctx));
        req.destroy();
      };
      const timer = setTimeout(() => {
        fail(new TimeoutError(ctx, budget.timeoutMs));
        req.destroy();
      }, budget.timeoutMs);
      if (budget.signal?.aborted) return onAbort();
      budget.signal?.addEventListener('abort', onAbort, { once: true });

      req.on('socket', (socket) => {
        if (!socket.connecting) connected = true;
        else socket.once(o.tls ? 'secureConnect' : 'connect', () => (connected = true));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        if (req.reusedSocket && !responded && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
          fail(new StaleSocketError(err));
          return;
        }
        fail(this.#transportError(err, ctx, where, connected || responded));
      });
      req.on('response', (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > (o.maxResponseBytes ?? DEFAULT_MAX_BYTES)) {
            fail(new RejectedError(ctx, [`the response from ${where} exceeded ${o.maxResponseBytes ?? DEFAULT_MAX_BYTES} bytes`]));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => fail(new ConnectionLostError({ ...ctx, cause: err }, `${where} broke off the response`)));
        res.on('aborted', () => fail(new ConnectionLostError(ctx, `${where} broke off the response`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          finish(() => {
            try {
              resolve(this.#parse(res.statusCode ?? 0, text, id, ctx, where));
            } catch (err) {
              reject(err);
            }
          });
        });
      });
      req.end(body);
    });
  }

  #parse(status: number, text: string, id: number, ctx: DriverErrorContext, where: string): JsonRpcResponse {
    if (status !== 200) {
      const mapped = this.#options.mapHttpStatus?.(status, text, ctx);
      if (mapped !== undefined) throw mapped;
      if (status === 401 || status === 403) throw new AuthFailedError(ctx, this.#options.username);
      throw new RejectedError(ctx, [`HTTP ${status} from ${this.url}${text.trim() === '' ? '' : `: ${text.trim().slice(0, 500)}`}`]);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new RejectedError(ctx, [`${where} answered with something that is not JSON: ${text.slice(0, 200)}`]);
    }
    if (typeof parsed !== 'object' || parsed === null) throw new RejectedError(ctx, [`${where} answered with a JSON-RPC response that is not an object`]);
    const r = parsed as { id?: unknown; result?: unknown; error?: unknown };
    if (r.id !== undefined && r.id !== null && r.id !== id && String(r.id) !== String(id)) {
      throw new RejectedError(ctx, [`${where} answered request ${id} with the response to ${String(r.id)}`]);
    }
    if (r.error !== undefined && r.error !== null) {
      const e = r.error as { code?: unknown; message?: unknown; data?: unknown };
      const error: JsonRpcErrorObject = {
        code: typeof e.code === 'number' ? e.code : -1,
        message: typeof e.message === 'string' ? e.message : JSON.stringify(r.error),
        ...(e.data === undefined ? {} : { data: e.data }),
      };
      return { ok: false, error, id: r.id };
    }
    if (!('result' in r)) throw new RejectedError(ctx, [`${where} answered without a result or an error`]);
    return { ok: true, result: r.result, id: r.id };
  }

  #transportError(err: NodeJS.ErrnoException, ctx: DriverErrorContext, where: string, sent: boolean): DriverError {
    const withCause = { ...ctx, cause: err };
    const code = err.code ?? '';
    if (TLS_CODES.has(code)) {
      return new UnreachableError(
        withCause,
        `the TLS certificate of ${where} was not accepted (${code}): give containerlab's lab CA (clab-<lab>/.tls/ca/ca.pem) as tls.caFile, or set tls.verify: false for this lab or node in clab-bot.yaml`,
      );
    }
    if (sent && err.message === 'socket hang up') {
      return new ConnectionLostError(
        withCause,
        `${where} closed the connection without answering: if it serves ${this.#options.tls ? 'plain HTTP' : 'HTTPS'}, set tls for this lab or node in clab-bot.yaml`,
      );
    }
    if (sent) return new ConnectionLostError(withCause, `${UNREACHABLE_CODES[code] ?? err.message} (${where})`);
    const known = UNREACHABLE_CODES[code];
    if (known !== undefined) return new UnreachableError(withCause, `${known} (${where})`);
    if (code.startsWith('ERR_SSL') || /wrong version number|ssl/i.test(err.message)) {
      return new UnreachableError(
        withCause,
        `TLS to ${where} failed (${err.message}): is the port serving ${this.#options.tls ? 'plain HTTP' : 'HTTPS'}? set tls for this node in clab-bot.yaml`,
      );
    }
    return new UnreachableError(withCause, `HTTP to ${where} failed: ${err.message}`);
  }
}

/** A kept-alive socket the server had already closed: nothing reached the server. */
class StaleSocketError extends Error {
  constructor(cause: Error) {
    super(`the kept-alive connection was closed by the server (${cause.message})`, { cause });
  }
}
