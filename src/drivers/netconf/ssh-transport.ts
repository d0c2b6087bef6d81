import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import { AuthFailedError, CancelledError, UnreachableError, type DriverError } from '../errors.js';
import type { ByteStream } from './session.js';

const { Client } = ssh2;

export const NETCONF_PORT = 830;

export interface SshTransportOptions {
  /** Node name for error messages. */
  readonly label: string;
  readonly host: string;
  readonly port?: number;
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

/** An open `netconf` subsystem channel and the SSH connection under it. */
export interface SshNetconfChannel {
  readonly stream: ByteStream;
  /** Ends the SSH connection (idempotent). */
  end(): void;
}

/**
 * Opens SSH to host:port and starts the `netconf` subsystem. Lab devices are trusted on first use,
 * as PyEZ does by default (hostkey_verify=False): their keys change with every redeploy.
 * ssh2 errors are translated here and never escape: UnreachableError, AuthFailedError, CancelledError.
 */
export function openSshNetconfChannel(options: SshTransportOptions): Promise<SshNetconfChannel> {
  const port = options.port ?? NETCONF_PORT;
  const ctx = { node: options.label, operation: 'open' };
  const where = `${options.host}:${port}`;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const client = new Client();

  return new Promise<SshNetconfChannel>((resolve, reject) => {
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
      end();
      reject(err);
    };
    const onAbort = () => fail(new CancelledError(ctx));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    client.on('error', (err) => fail(translateSshError(err, ctx, where, options.username, connectTimeoutMs)));
    client.on('close', () => fail(new UnreachableError(ctx, `${where} closed the SSH connection before NETCONF started`)));
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      // Devices that only offer keyboard-interactive ask for the password once.
      finish(prompts.map(() => options.password));
    });
    client.on('ready', () => {
      client.subsys('netconf', (err, channel: ClientChannel) => {
        if (err) {
          fail(new UnreachableError(ctx, `${where} refused the netconf SSH subsystem (${err.message}): enable \`system services netconf ssh\``));
          return;
        }
        if (settled) {
          channel.destroy();
          return;
        }
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        // Later errors surface through the channel closing; keep ssh2 from throwing on an unhandled 'error'.
        client.removeAllListeners('error');
        client.on('error', () => undefined);
        resolve({ stream: channel, end });
      });
    });

    const config: ConnectConfig = {
      host: options.host,
      port,
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

/** Socket error codes meaning "nobody answered there". */
const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
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
): DriverError {
  const fields = (typeof err === 'object' && err !== null ? err : {}) as { level?: unknown; code?: unknown; message?: unknown };
  const withCause = { ...ctx, cause: err };
  if (fields.level === 'client-authentication') return new AuthFailedError(withCause, username);
  if (fields.level === 'client-timeout') {
    return new UnreachableError(withCause, `no SSH answer from ${where} within ${Math.round(timeoutMs / 100) / 10} s`);
  }
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const known = code === undefined ? undefined : UNREACHABLE_CODES[code];
  if (known !== undefined) return new UnreachableError(withCause, `${known} (${where})`);
  const message = typeof fields.message === 'string' ? fields.message : String(err);
  return new UnreachableError(withCause, `SSH to ${where} failed: ${message}`);
}
