import {
  CancelledError,
  ConnectionLostError,
  TimeoutError,
  UnreachableError,
  type DriverError,
} from '../errors.js';
import { encodeEom, encodeMessage, FramingError, MessageReader, type Framing } from './framing.js';
import { buildClientHello, DEFAULT_CLIENT_CAPABILITIES, NETCONF_BASE_NS, negotiateFraming, parseServerHello } from './hello.js';
import { parseRpcReply, ReplyParseError, type RpcReply } from './reply.js';
import { stripProlog } from './xml-tree.js';

/**
 * The smallest surface of a byte stream the session needs: an ssh2 channel satisfies it, and so
 * does a test double that feeds bytes by hand.
 */
export interface ByteStream {
  write(data: Buffer): unknown;
  end(): unknown;
  destroy(): unknown;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'close' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface SessionOptions {
  /** Node name used in error messages. */
  readonly label: string;
  /** How long the server may take to send its hello. Default 15 s. */
  readonly helloTimeoutMs?: number;
  /** Timeout for an rpc() called without one. Default 60 s. */
  readonly defaultRpcTimeoutMs?: number;
  readonly clientCapabilities?: readonly string[];
  readonly signal?: AbortSignal;
  /** Called once when the session ends, for whatever reason (lets the transport close the SSH connection). */
  readonly onClosed?: () => void;
}

export interface RpcOptions {
  /** Whole-RPC timeout: when it fires the session is closed (a half-read channel is never reused). */
  readonly timeoutMs?: number;
  /** Aborting also closes the session, for the same reason. */
  readonly signal?: AbortSignal;
  /** Names the caller's operation in errors ("exec", "plan"); defaults to the RPC's element name. */
  readonly operation?: string;
}

interface Pending {
  readonly id: string;
  readonly operation: string;
  readonly resolve: (reply: RpcReply) => void;
  readonly reject: (err: DriverError) => void;
  readonly cleanup: () => void;
}

/**
 * One NETCONF session over a byte stream: hello exchange, framing chosen by negotiation,
 * message-id correlation, many RPCs in flight (replies arrive in request order, RFC 6241 §4.1).
 * Knows nothing about any vendor. Any timeout, abort or protocol breach ends the session.
 */
export class NetconfSession {
  readonly #stream: ByteStream;
  readonly #label: string;
  readonly #defaultTimeoutMs: number;
  readonly #onClosed: (() => void) | undefined;
  readonly #reader = new MessageReader();
  readonly #pending: Pending[] = [];
  #framing: Framing = 'eom';
  #nextId = 1;
  #closed = false;
  #closing = false;
  #closeReason = '';
  #serverCapabilities: readonly string[] = [];
  #sessionId: string | undefined;
  /** Set while the hello exchange runs: the next message is the server's hello. */
  #onHello: ((document: string) => void) | undefined;
  #helloFailed: ((detail: string) => void) | undefined;
  #helloDone = false;

  private constructor(stream: ByteStream, options: SessionOptions) {
    this.#stream = stream;
    this.#label = options.label;
    this.#defaultTimeoutMs = options.defaultRpcTimeoutMs ?? 60_000;
    this.#onClosed = options.onClosed;
    stream.on('data', (data) => this.#onData(data));
    stream.on('error', (err) => this.#terminate(`stream error: ${err.message}`));
    stream.on('end', () => this.#terminate(DEVICE_CLOSED));
    stream.on('close', () => this.#terminate(DEVICE_CLOSED));
  }

  /**
   * Exchanges hellos over `stream` and returns a ready session. Throws UnreachableError when the
   * stream ends before a valid hello, TimeoutError when none arrives in time, CancelledError on abort.
   */
  static async start(stream: ByteStream, options: SessionOptions): Promise<NetconfSession> {
    const session = new NetconfSession(stream, options);
    await session.#exchangeHellos(options);
    return session;
  }

  get framing(): Framing {
    return this.#framing;
  }
  get serverCapabilities(): readonly string[] {
    return this.#serverCapabilities;
  }
  get sessionId(): string | undefined {
    return this.#sessionId;
  }
  /** RPCs sent and not yet answered. */
  get inFlight(): number {
    return this.#pending.length;
  }

  isAlive(): boolean {
    return !this.#closed && !this.#closing;
  }

  /**
   * Sends `<rpc>` around `body` (which the caller built with escaped text) and resolves with the
   * parsed reply. Device errors are data in the reply (`errors`, `warnings`), not a throw.
   * Throws TimeoutError, CancelledError or ConnectionLostError. A timeout or abort while the RPC is
   * in flight closes the session; ConnectionLostError.requestSent says whether anything was sent.
   */
  rpc(body: string, options: RpcOptions = {}): Promise<RpcReply> {
    if (!this.isAlive()) {
      const ctx = { node: this.#label, operation: options.operation ?? rpcName(body) };
      return Promise.reject(new ConnectionLostError(ctx, this.#closeReason, { requestSent: false }));
    }
    return this.#send(body, options);
  }

  #send(body: string, options: RpcOptions): Promise<RpcReply> {
    const operation = options.operation ?? rpcName(body);
    const ctx = { node: this.#label, operation };
    if (this.#closed) return Promise.reject(new ConnectionLostError(ctx, this.#closeReason, { requestSent: false }));
    if (options.signal?.aborted) return Promise.reject(new CancelledError(ctx));
    const id = String(this.#nextId++);
    const message = `<rpc message-id="${id}" xmlns="${NETCONF_BASE_NS}">${body}</rpc>`;
    const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;

    return new Promise<RpcReply>((resolve, reject) => {
      // setTimeout fires at once beyond 2^31-1 ms; clamp so a huge budget means "very long", not "now".
      const timer = setTimeout(() => this.#abandon(id, new TimeoutError(ctx, timeoutMs)), Math.min(Math.max(0, timeoutMs), 2_147_483_647));
      const onAbort = () => this.#abandon(id, new CancelledError(ctx));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      this.#pending.push({ id, operation, resolve, reject, cleanup });
      try {
        this.#stream.write(encodeMessage(message, this.#framing));
      } catch (err) {
        this.#pending.pop();
        cleanup();
        reject(new ConnectionLostError(ctx, `write failed: ${(err as Error).message}`, { requestSent: false }));
        this.#terminate('write failed');
      }
    });
  }

  /**
   * Sends `<close-session/>`, waits for its answer (bounded; `awaitReply: false` does not wait: the
   * request is on the wire in order behind anything sent before), then ends the stream. Never throws.
   */
  async close(options: { timeoutMs?: number; awaitReply?: boolean } = {}): Promise<void> {
    if (this.#closed || this.#closing) return;
    this.#closing = true;
    this.#closeReason = 'the session is closing';
    // The session is going away either way; a device that does not answer close-session is not an error.
    const reply = this.#send('<close-session/>', { timeoutMs: options.timeoutMs ?? 5_000, operation: 'close-session' }).catch(() => undefined);
    if (options.awaitReply !== false) await reply;
    try {
      this.#stream.end();
    } catch {
      // Already torn down.
    }
    this.#terminate('session closed by the client');
  }

  /** Ends the session at once: every RPC in flight fails with ConnectionLostError. */
  kill(reason = 'session killed'): void {
    this.#terminate(reason);
  }

  async #exchangeHellos(options: SessionOptions): Promise<void> {
    const ctx = { node: this.#label, operation: 'open' };
    const helloTimeoutMs = options.helloTimeoutMs ?? 15_000;
    const clientCaps = options.clientCapabilities ?? DEFAULT_CLIENT_CAPABILITIES;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: DriverError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#onHello = undefined;
        this.#helloFailed = undefined;
        if (err === undefined) {
          resolve();
        } else {
          this.#terminate(err.message);
          reject(err);
        }
      };
      const timer = setTimeout(() => finish(new TimeoutError({ ...ctx, operation: 'NETCONF hello' }, helloTimeoutMs)), helloTimeoutMs);
      const onAbort = () => finish(new CancelledError(ctx));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) return finish(new CancelledError(ctx));
      this.#helloFailed = (detail) => finish(new UnreachableError(ctx, detail));
      this.#onHello = (document) => {
        try {
          const hello = parseServerHello(document);
          this.#serverCapabilities = hello.capabilities;
          this.#sessionId = hello.sessionId;
          this.#framing = negotiateFraming(clientCaps, hello.capabilities);
          this.#reader.setFraming(this.#framing);
          this.#helloDone = true;
          finish();
        } catch (err) {
          finish(new UnreachableError(ctx, `the NETCONF server sent an invalid hello (${(err as Error).message})`));
        }
      };
      try {
        this.#stream.write(encodeEom(buildClientHello(clientCaps)));
      } catch (err) {
        finish(new UnreachableError(ctx, `could not send the NETCONF hello (${(err as Error).message})`));
      }
      // Bytes may have arrived before the listeners were armed (a test stream, a fast device).
      this.#drain();
    });
  }

  #onData(data: Buffer): void {
    if (this.#closed) return;
    try {
      this.#reader.push(data);
    } catch (err) {
      this.#terminate(`protocol error: ${(err as Error).message}`);
      return;
    }
    // Until the hello handler is armed, bytes wait in the reader.
    if (this.#helloDone || this.#onHello !== undefined) this.#drain();
  }

  /** Hands every complete message to its consumer; stops at the first protocol breach. */
  #drain(): void {
    for (;;) {
      if (this.#closed) return;
      let message: Buffer | undefined;
      try {
        message = this.#reader.next();
      } catch (err) {
        this.#terminate(err instanceof FramingError ? `framing error: ${err.message}` : String(err));
        return;
      }
      if (message === undefined) return;
      const document = message.toString('utf8');
      if (!this.#helloDone) {
        this.#onHello?.(document);
        continue;
      }
      if (document.trim() === '') continue;
      this.#onMessage(document);
    }
  }

  #onMessage(document: string): void {
    // Notifications are not requested by this client; skip any a server sends anyway.
    if (/^<(?:[\w.-]+:)?notification\b/.test(stripProlog(document))) return;
    const head = this.#pending[0];
    if (head === undefined) {
      this.#terminate('protocol error: a reply arrived with no request outstanding');
      return;
    }
    let reply: RpcReply;
    try {
      reply = parseRpcReply(document);
    } catch (err) {
      const detail = err instanceof ReplyParseError ? err.message : String(err);
      this.#terminate(`protocol error: ${detail}`);
      return;
    }
    // Some servers omit message-id; replies are in request order (RFC 6241 §4.1), so order decides.
    if (reply.messageId !== undefined && reply.messageId !== head.id) {
      this.#terminate(`protocol error: reply message-id ${reply.messageId} does not match request ${head.id}`);
      return;
    }
    this.#pending.shift();
    head.cleanup();
    head.resolve(reply);
  }

  /** A timeout or abort on one RPC: that RPC gets `err`, the session ends, the others lose their connection. */
  #abandon(id: string, err: DriverError): void {
    const index = this.#pending.findIndex((p) => p.id === id);
    if (index < 0) return;
    const [pending] = this.#pending.splice(index, 1);
    pending?.cleanup();
    pending?.reject(err);
    this.#terminate(`closed after ${err.code === 'timeout' ? 'a timeout' : 'a cancelled call'} (${err.operation})`);
  }

  #terminate(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing = true;
    this.#closeReason = reason;
    const pending = this.#pending.splice(0);
    for (const p of pending) {
      p.cleanup();
      p.reject(new ConnectionLostError({ node: this.#label, operation: p.operation }, reason));
    }
    this.#helloFailed?.(
      reason === DEVICE_CLOSED ? 'the device closed the NETCONF channel before its hello: is NETCONF over SSH enabled on it?' : reason,
    );
    try {
      this.#stream.destroy();
    } catch {
      // Already destroyed.
    }
    this.#onClosed?.();
  }
}

const DEVICE_CLOSED = 'the device closed the session';

/** The first element name in an RPC body, for error messages. */
function rpcName(body: string): string {
  const match = /^\s*<([A-Za-z_][\w.:-]*)/.exec(body);
  return match?.[1] ?? 'rpc';
}
