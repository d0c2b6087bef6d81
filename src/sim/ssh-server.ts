/**
 * A small SSH server for device simulators: password (and keyboard-interactive) login against one
 * user, subsystem requests and interactive shells (with a pty) handed to the simulator as duplex streams. The host key is generated
 * once per process (never written to disk).
 */
import { generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ServerChannel } from 'ssh2';

let hostKey: string | undefined;

/** ECDSA P-256 host key in the PEM (SEC1) form ssh2 parses; generated at first use. */
export function simHostKey(): string {
  if (hostKey === undefined) {
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      privateKeyEncoding: { type: 'sec1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    hostKey = privateKey;
  }
  return hostKey;
}

export interface SubsystemSession {
  readonly stream: Duplex & { exit?: (code: number) => void };
  readonly username: string;
  /** Destroys the TCP connection at once (no SSH disconnect message): a crash as the client sees it. */
  drop(): void;
  /** Closes the SSH connection cleanly. */
  end(): void;
}

/** The terminal a client requested with `pty-req`. */
export interface ShellPty {
  readonly term: string;
  readonly cols: number;
  readonly rows: number;
}

export interface SshServerOptions {
  readonly host: string;
  readonly port: number;
  /** Checked at every login attempt, so credentials and faults can change while running. */
  readonly checkLogin: (username: string, password: string) => boolean;
  /** Called for each subsystem request; returns false to refuse the subsystem. */
  readonly onSubsystem?: (name: string, session: SubsystemSession) => boolean;
  /**
   * Called for each interactive shell request (CLI simulators); without it shells are refused.
   * `pty` is the terminal the client asked for before the shell, undefined when it asked for none.
   */
  readonly onShell?: (session: SubsystemSession, pty: ShellPty | undefined) => void;
  /** Server identification string, e.g. `OpenSSH_8.6`. */
  readonly ident?: string;
}

export interface SshServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Constant-time comparison of two secrets of possibly different length. */
export function secretEquals(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** Starts listening; resolves once bound (rejects with the listen error, e.g. EACCES or EADDRINUSE). */
export async function startSshServer(opts: SshServerOptions): Promise<SshServer> {
  const sockets = new Map<string, Socket>();
  const server = new ssh2.Server({ hostKeys: [simHostKey()], ident: opts.ident ?? 'OpenSSH_8.6' }, (client: Connection, info) => {
    const socket = sockets.get(`${info.ip}:${info.port}`);
    let username = '';
    client.on('error', () => {
      // Clients vanish mid-handshake (probes, dropped connections): nothing to report.
    });
    client.on('authentication', (ctx: AuthContext) => {
      if (ctx.method === 'password') {
        if (opts.checkLogin(ctx.username, ctx.password)) {
          username = ctx.username;
          ctx.accept();
        } else {
          ctx.reject(['password', 'keyboard-interactive']);
        }
        return;
      }
      if (ctx.method === 'keyboard-interactive') {
        ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
          if (opts.checkLogin(ctx.username, answers[0] ?? '')) {
            username = ctx.username;
            ctx.accept();
          } else {
            ctx.reject(['password', 'keyboard-interactive']);
          }
        });
        return;
      }
      ctx.reject(['password', 'keyboard-interactive']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('subsystem', (acceptSub, _rejectSub, req) => {
          // Accept first, then hand over, so the simulator can write its greeting at once.
          const channel: ServerChannel = acceptSub();
          const sub: SubsystemSession = {
            stream: channel,
            username,
            drop: () => socket?.destroy(),
            end: () => client.end(),
          };
          if (opts.onSubsystem?.(req.name, sub) !== true) channel.close();
        });
        session.on('exec', (_accept, reject) => reject());
        let pty: ShellPty | undefined;
        const onShell = opts.onShell;
        if (onShell === undefined) {
          session.on('shell', (_accept, reject) => reject());
          session.on('pty', (_accept, reject) => reject?.());
        } else {
          session.on('pty', (accept, _reject, info) => {
            pty = { term: info.term, cols: info.cols, rows: info.rows };
            accept?.();
          });
          session.on('window-change', (accept) => accept?.());
          session.on('shell', (accept) => {
            const channel: ServerChannel = accept();
            onShell({ stream: channel, username, drop: () => socket?.destroy(), end: () => client.end() }, pty);
          });
        }
      });
    });
  });
  const net: NetServer = createServer((socket) => {
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    sockets.set(key, socket);
    socket.on('close', () => sockets.delete(key));
    socket.on('error', () => {
      // Reset by the peer: the ssh2 client object reports and cleans up.
    });
    server.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    net.once('error', onError);
    net.listen(opts.port, opts.host, () => {
      net.off('error', onError);
      resolve();
    });
  });
  const address = net.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  return {
    host: opts.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets.values()) s.destroy();
        sockets.clear();
        net.close(() => resolve());
      }),
  };
}
