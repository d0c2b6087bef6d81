/**
 * Runs programs on a linux node over SSH exec channels (never an interactive shell): one
 * connection, one channel per command, the argv quoted for the remote shell by shellCommandLine.
 * The connection (host-key check, password or key login) is the shared connectSsh.
 */
import type { ClientChannel } from 'ssh2';
import type { DriverErrorContext } from '../errors.js';
import { CancelledError, ConnectionLostError, RejectedError, TimeoutError } from '../errors.js';
import { connectSsh, type HostKey, type HostKeyPolicy, type KnownHosts, type SshClient } from '../ssh/connect.js';
import { killArgv, pidFrom, stripPidLine, WRAPPER } from './killable.js';
import { shellCommandLine } from './shell-words.js';
import { MAX_OUTPUT_BYTES, type LinuxTransport, type RunRequest, type RunResult } from './transport.js';

export const SSH_PORT = 22;

export interface SshExecOptions {
  /** Node name for messages. */
  readonly node: string;
  /** `lab/node`: the key host keys are recorded under. */
  readonly nodeKey: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Never logged. Empty when a key is used. */
  readonly password: string;
  /** A private key file (OpenSSH or PEM), read at connect time. */
  readonly identityFile?: string;
  readonly knownHosts: KnownHosts;
  readonly hostKeyPolicy: HostKeyPolicy;
  /** A key pinned in settings for this node. */
  readonly pinnedHostKey?: HostKey;
  readonly keepaliveIntervalMs?: number;
}

export class SshExecTransport implements LinuxTransport {
  readonly name = 'ssh' as const;
  readonly where: string;
  readonly #options: SshExecOptions;
  #client: SshClient | undefined;
  #alive = false;

  constructor(options: SshExecOptions) {
    this.#options = options;
    this.where = `${options.username}@${options.host}:${options.port}`;
  }

  async open(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    const o = this.#options;
    const connection = await connectSsh(
      {
        label: o.node,
        host: o.host,
        port: o.port,
        username: o.username,
        password: o.password,
        ...(o.identityFile === undefined ? {} : { identityFile: o.identityFile }),
        hostKeys: {
          knownHosts: o.knownHosts,
          policy: o.hostKeyPolicy,
          nodeKey: o.nodeKey,
          settingsSection: 'linux',
          ...(o.pinnedHostKey === undefined ? {} : { pinned: o.pinnedHostKey }),
        },
        connectTimeoutMs: opts.timeoutMs,
        ...(o.keepaliveIntervalMs === undefined ? {} : { keepaliveIntervalMs: o.keepaliveIntervalMs }),
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      },
      'the first command',
    );
    const client = connection.client;
    const lost = () => {
      if (this.#client === client) this.#alive = false;
    };
    client.on('error', lost);
    client.on('close', lost);
    this.#client = client;
    this.#alive = true;
  }

  isAlive(): boolean {
    return this.#alive;
  }

  /** Runs argv through the pid-printing wrapper; a timeout or cancel kills the program over a second channel. */
  async run(request: RunRequest): Promise<RunResult> {
    const stderrSeen: Buffer[] = [];
    try {
      const result = await this.#exec([...WRAPPER, ...request.argv], request, stderrSeen);
      return { ...result, stderr: stripPidLine(result.stderr) };
    } catch (err) {
      const pid = pidFrom(Buffer.concat(stderrSeen).toString('utf8'));
      if (pid !== undefined && (err instanceof TimeoutError || err instanceof CancelledError)) {
        await this.#exec(killArgv(pid), { argv: [], timeoutMs: 5_000, operation: request.operation }, []).catch(() => undefined);
      }
      throw err;
    }
  }

  #exec(argv: readonly string[], request: RunRequest, stderrSeen: Buffer[]): Promise<RunResult> {
    const ctx = this.#ctx(request.operation);
    const client = this.#client;
    if (client === undefined || !this.#alive) {
      return Promise.reject(new ConnectionLostError(ctx, 'the SSH connection is not open', { requestSent: false }));
    }
    let line: string;
    try {
      line = shellCommandLine(argv);
    } catch (err) {
      return Promise.reject(new RejectedError({ ...ctx, cause: err }, [(err as Error).message]));
    }
    return new Promise<RunResult>((resolve, reject) => {
      let channel: ClientChannel | undefined;
      let settled = false;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let bytes = 0;
      let exitCode: number | undefined;
      const finish = (err: Error | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (err !== undefined) {
          channel?.close();
          reject(err);
          return;
        }
        resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), exitCode: exitCode ?? -1 });
      };
      const timer = setTimeout(() => finish(new TimeoutError(ctx, request.timeoutMs)), request.timeoutMs);
      const onAbort = () => finish(new CancelledError(ctx));
      if (request.signal?.aborted) return onAbort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_OUTPUT_BYTES) finish(new RejectedError(ctx, [`the command printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB; narrow it down`]));
        else into.push(chunk);
      };
      client.exec(line, (err, ch) => {
        if (err) {
          finish(new ConnectionLostError({ ...ctx, cause: err }, `the node refused an exec channel (${err.message})`, { requestSent: false }));
          return;
        }
        channel = ch;
        if (settled) {
          ch.close();
          return;
        }
        ch.on('data', collect(stdout));
        ch.stderr.on('data', collect(stderr));
        ch.stderr.on('data', (chunk: Buffer) => {
          if (stderrSeen.length < 4) stderrSeen.push(chunk);
        });
        ch.on('exit', (code: number | null, signalName?: string) => {
          exitCode = code ?? (signalName === undefined ? -1 : 128);
        });
        ch.on('close', () => {
          if (!this.#alive) finish(new ConnectionLostError(ctx, 'the SSH connection dropped while the command ran'));
          else finish(undefined);
        });
      });
    });
  }

  async close(): Promise<void> {
    this.#alive = false;
    this.#client?.end();
    this.#client = undefined;
  }

  #ctx(operation: string): DriverErrorContext {
    return { node: this.#options.node, operation };
  }
}
