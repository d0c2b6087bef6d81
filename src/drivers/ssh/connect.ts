import ssh2 from 'ssh2';
import type { Client as SshClient, ConnectConfig } from 'ssh2';
import { AuthFailedError, CancelledError, TimeoutError, UnreachableError, type DriverError } from '../errors.js';

const { Client } = ssh2;

export type { SshClient };

export interface SshConnectOptions {
  /** Node name for error messages. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Used for `password` and, when the server asks, `keyboard-interactive` auth. Never logged. */
  readonly password: string;
  /** TCP connect plus SSH handshake and auth. Default 15 s. */
  readonly connectTimeoutMs?: number;
  /** SSH-level keepalive so a dead peer is noticed while the session idles in the pool. Default 15 s; 0 disables. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection is dropped. Default 3. */
  readonly keepaliveCountMax?: number;
  readonly signal?: AbortSignal;
}

/** An authenticated SSH connection, ready for a channel. */
export interface SshConnection {
  readonly client: SshClient;
  /** host:port, for messages. */
  readonly where: string;
  /** Ends the SSH connection (idempotent). */
  end(): void;
}

/**
 * Opens SSH to host:port and authenticates. Lab devices are trusted on first use, as PyEZ and
 * netmiko do by default: their keys change with every redeploy. ssh2 errors are translated here and
 * never escape: UnreachableError, AuthFailedError, TimeoutError (connected but too slow), CancelledError. After it resolves, later
 * connection errors surface through the caller's channel closing.
 */
export function connectSsh(options: SshConnectOptions, what = 'the session'): Promise<SshConnection> {
  const ctx = { node: options.label, operation: 'open' };
  const where = `${options.host}:${options.port}`;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const client = new Client();

  return new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      client.end();
    };
    const fail = (err: DriverError) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      // Destroyed, not ended: a peer that never speaks never closes its side either, so a polite
      // end would leave the socket and ssh2's handshake timer holding the process for connectTimeoutMs.
      ended = true;
      client.destroy();
      reject(err);
    };
    const onAbort = () => fail(new CancelledError(ctx));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // A device that accepted TCP but stalls in SSH is up and slow (busy, overloaded), not unreachable.
    let tcpConnected = false;
    client.on('connect', () => {
      tcpConnected = true;
    });
    client.on('error', (err) => fail(translateSshError(err, ctx, where, options.username, connectTimeoutMs, tcpConnected)));
    client.on('close', () => fail(new UnreachableError(ctx, `${where} closed the SSH connection before ${what} started`)));
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      // Devices that only offer keyboard-interactive ask for the password once.
      finish(prompts.map(() => options.password));
    });
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      // Keep ssh2 from throwing on an unhandled 'error' once the caller owns the connection.
      client.removeAllListeners('error');
      client.removeAllListeners('close');
      client.on('error', () => undefined);
      resolve({ client, where, end });
    });

    const config: ConnectConfig = {
      host: options.host,
      port: options.port,
      username: options.username,
      password: options.password,
      tryKeyboard: true,
      readyTimeout: connectTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      hostVerifier: () => true,
    };
    try {
      client.connect(config);
    } catch (err) {
      fail(translateSshError(err, ctx, where, options.username, connectTimeoutMs));
    }
  });
}

/** Socket error codes meaning "nobody answered there" (SSH and HTTP transports share them). */
export const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host is down',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EADDRNOTAVAIL: 'address not available',
};

/** The one place that reads ssh2's error shapes (`level`, Node's `code`). */
export function translateSshError(
  err: unknown,
  ctx: { node: string; operation: string },
  where: string,
  username: string,
  timeoutMs: number,
  tcpConnected = false,
): DriverError {
  const fields = (typeof err === 'object' && err !== null ? err : {}) as { level?: unknown; code?: unknown; message?: unknown };
  const withCause = { ...ctx, cause: err };
  if (fields.level === 'client-authentication') return new AuthFailedError(withCause, username);
  if (fields.level === 'client-timeout') {
    if (tcpConnected) {
      return new TimeoutError(
        { ...withCause, operation: 'the SSH login' },
        timeoutMs,
        `${where} accepted the TCP connection, so the device is up but too slow to answer (busy or overloaded); try again or raise the timeout`,
      );
    }
    return new UnreachableError(withCause, `no SSH answer from ${where} within ${Math.round(timeoutMs / 100) / 10} s`);
  }
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const known = code === undefined ? undefined : UNREACHABLE_CODES[code];
  if (known !== undefined) return new UnreachableError(withCause, `${known} (${where})`);
  const message = typeof fields.message === 'string' ? fields.message : String(err);
  return new UnreachableError(withCause, `SSH to ${where} failed: ${message}`);
}
