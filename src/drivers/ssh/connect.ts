import { readFileSync } from 'node:fs';
import type { Client as SshClient, ConnectConfig } from 'ssh2';
import { AuthFailedError, CancelledError, TimeoutError, UnreachableError, type DriverError } from '../errors.js';
import { hostKeyFromBlob, type HostKey, type HostKeyPolicy, type KnownHosts } from './known-hosts.js';

type Ssh2 = typeof import('ssh2');
let ssh2: Promise<Ssh2> | undefined;
/** ssh2 loads on the first connection: one-shot verbs that reach no device (`nodes`, `labs`) never pay for it. */
const loadSsh2 = (): Promise<Ssh2> => (ssh2 ??= import('ssh2').then((m) => (m as Ssh2 & { default?: Ssh2 }).default ?? m));

export type { SshClient };
export { fingerprint, HOST_KEY_POLICIES, KnownHosts, parseHostKeyLine, type HostKey, type HostKeyPolicy } from './known-hosts.js';

/** How the key a node presents is checked: see KnownHosts.check. */
export interface HostKeyCheck {
  readonly knownHosts: KnownHosts;
  readonly policy: HostKeyPolicy;
  /** `lab/node`: what the key is recorded under (containerlab reuses addresses across labs). */
  readonly nodeKey: string;
  /** Where this node's SSH settings live in clab-bot.yaml (`linux`), so a refusal names the key to change. */
  readonly settingsSection: string;
  /** The one key this node may present (settings); wins over the file. */
  readonly pinned?: HostKey;
}

export interface SshConnectOptions {
  /** Node name for error messages. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /**
   * Used for `password` and, when the server asks, `keyboard-interactive` auth. Never logged.
   * Empty or absent: key login only.
   */
  readonly password?: string;
  /** A private key file (OpenSSH or PEM, unencrypted), read at connect time; its content is never logged. */
  readonly identityFile?: string;
  /** Absent: any host key is accepted and nothing is recorded (lab simulators whose keys change every run). */
  readonly hostKeys?: HostKeyCheck;
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
 * Opens SSH to host:port and authenticates with the password and/or the identity file. The host key
 * is checked by `hostKeys` before any credential is sent; without it every key is accepted, as PyEZ
 * and netmiko do by default. ssh2 errors are translated here and never escape: UnreachableError
 * (also a refused host key or an unreadable identity file, with the fix), AuthFailedError,
 * TimeoutError (connected but too slow), CancelledError. After it resolves, later connection errors
 * surface through the caller's channel closing (or listeners the caller adds to `client`).
 */
export async function connectSsh(options: SshConnectOptions, what = 'the session'): Promise<SshConnection> {
  const { Client, utils } = await loadSsh2();
  const ctx = { node: options.label, operation: 'open' };
  const where = `${options.host}:${options.port}`;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const password = options.password ?? '';
  let privateKey: Buffer | undefined;
  if (options.identityFile !== undefined) {
    const key = readIdentityFile(options.identityFile, ctx, utils);
    if (key instanceof UnreachableError) return Promise.reject(key);
    privateKey = key;
  }
  const check = options.hostKeys;
  let hostKeyRefusal: string | undefined;
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
    client.on('error', (err) => {
      if (hostKeyRefusal !== undefined) fail(new UnreachableError({ ...ctx, cause: err }, hostKeyRefusal));
      else fail(translateSshError(err, ctx, where, options.username, connectTimeoutMs, tcpConnected));
    });
    client.on('close', () => fail(new UnreachableError(ctx, hostKeyRefusal ?? `${where} closed the SSH connection before ${what} started`)));
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      // Devices that only offer keyboard-interactive ask for the password once.
      finish(prompts.map(() => password));
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
      ...(password === '' ? {} : { password }),
      ...(privateKey === undefined ? {} : { privateKey }),
      tryKeyboard: password !== '',
      readyTimeout: connectTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      hostVerifier: (blob: Buffer) => {
        if (check === undefined) return true;
        const verdict = check.knownHosts.check(check.nodeKey, hostKeyFromBlob(blob), check.policy, check.settingsSection, check.pinned);
        if (!verdict.ok) hostKeyRefusal = verdict.reason;
        return verdict.ok;
      },
    };
    try {
      client.connect(config);
    } catch (err) {
      fail(translateSshError(err, ctx, where, options.username, connectTimeoutMs));
    }
  });
}

/**
 * The private key at `path`, parsed here so a wrong file or a passphrase-protected key is named
 * before connecting (ssh2 would otherwise throw from connect). Messages name the path, never the content.
 */
function readIdentityFile(path: string, ctx: { node: string; operation: string }, utils: Ssh2['utils']): Buffer | UnreachableError {
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return new UnreachableError(
      { ...ctx, cause: err },
      `cannot read the SSH identity file ${path} (${code}): check identity_file in clab-bot.yaml and that the bot's user may read it`,
    );
  }
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) {
    const encrypted = /passphrase|encrypted/i.test(parsed.message);
    const why = encrypted
      ? 'it is protected by a passphrase; use an unencrypted key for the bot (ssh-keygen -p -N "" -f FILE on a copy)'
      : 'it is not an OpenSSH or PEM private key';
    return new UnreachableError(ctx, `cannot use the SSH identity file ${path}: ${why}`);
  }
  return key;
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
