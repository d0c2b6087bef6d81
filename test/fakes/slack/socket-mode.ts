import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { AckTimeoutError, FakeSlackError } from './errors.js';
import type { AckResult } from './types.js';

/** Envelope types Slack sends over Socket Mode. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** How long close() waits for connections to finish their close handshake. */
const CLOSE_GRACE_MS = 1000;

export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled' | 'too_many_websockets';

/** Every ack frame the app sent, including late ones (after the timeout) and ones for unknown envelopes. */
export interface AckRecord {
  readonly envelopeId: string;
  readonly at: number;
  readonly payload: Record<string, unknown>;
  /** False when no envelope was waiting for it: late, duplicate or unknown id. */
  readonly expected: boolean;
}

interface PendingAck {
  readonly type: EnvelopeType;
  readonly socket: WebSocket;
  readonly sentAt: number;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (result: AckResult) => void;
  readonly reject: (error: Error) => void;
}

export interface SocketModeOptions {
  readonly appId: string;
  readonly ackTimeoutMs: number;
  /** `ws://127.0.0.1:PORT`, known once the HTTP server listens. */
  readonly wsBase: () => string;
}

/**
 * Slack's side of Socket Mode: single-use connection tickets from apps.connections.open, `hello` on
 * connect, envelopes out, acks in (with Slack's 3-second rule), and forced drops for reconnect tests.
 * `ws` answers the SDK's pings by itself, and the fake never pings, so the SDK's server-ping watchdog stays off.
 */
export class SocketModeServer {
  readonly #opts: SocketModeOptions;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #tickets = new Set<string>();
  readonly #sockets: WebSocket[] = [];
  readonly #pending = new Map<string, PendingAck>();
  readonly #acks: AckRecord[] = [];
  readonly #connectWaiters: Array<() => void> = [];
  #connections = 0;
  #closed = false;

  constructor(opts: SocketModeOptions) {
    this.#opts = opts;
    this.#wss.on('connection', (socket) => this.#onConnection(socket));
  }

  /** apps.connections.open: a fresh single-use URL, as Slack's `wss://…/link/?ticket=…&app_id=…`. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.#tickets.add(ticket);
    return `${this.#opts.wsBase()}/link/?ticket=${ticket}&app_id=${this.#opts.appId}`;
  }

  /** HTTP upgrade on /link/: only a ticket issued by apps.connections.open and not yet used may connect. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket');
    if (this.#closed || url.pathname !== '/link/' || ticket === null || !this.#tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  #onConnection(socket: WebSocket): void {
    this.#sockets.push(socket);
    this.#connections += 1;
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.#onAck(data.toString());
    });
    socket.on('close', () => this.#onClose(socket));
    socket.on('error', () => socket.terminate());
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#sockets.length,
        connection_info: { app_id: this.#opts.appId },
        debug_info: { host: `applink-fake-${this.#connections}`, build_number: 1, approximate_connection_time: 3600 },
      }),
    );
    for (const wake of this.#connectWaiters.splice(0)) wake();
  }

  #onAck(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return; // Slack ignores frames it cannot parse; so does the fake
    }
    if (typeof frame !== 'object' || frame === null) return;
    const { envelope_id: envelopeId, payload } = frame as { envelope_id?: unknown; payload?: unknown };
    if (typeof envelopeId !== 'string' && typeof envelopeId !== 'number') return;
    const id = String(envelopeId);
    const body = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
    const pending = this.#pending.get(id);
    this.#acks.push({ envelopeId: id, at: Date.now(), payload: body, expected: pending !== undefined });
    if (pending === undefined) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve({ envelopeId: id, ackMs: performance.now() - pending.sentAt, ackPayload: body });
  }

  #onClose(socket: WebSocket): void {
    const index = this.#sockets.indexOf(socket);
    if (index >= 0) this.#sockets.splice(index, 1);
    for (const [id, pending] of this.#pending) {
      if (pending.socket !== socket) continue;
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new FakeSlackError('socket_closed', `Socket Mode connection closed before envelope ${id} was acked`));
    }
  }

  /** Sends one envelope to the newest connection and resolves with the app's ack; rejects after ackTimeoutMs. */
  send(type: EnvelopeType, payload: Record<string, unknown>, acceptsResponsePayload: boolean): Promise<AckResult> {
    const socket = this.#sockets[this.#sockets.length - 1];
    if (socket === undefined) {
      return Promise.reject(
        new FakeSlackError('no_socket', 'no Socket Mode connection is open: await app.start() (or fake.waitForSocket()) first'),
      );
    }
    const envelopeId = randomUUID();
    return new Promise<AckResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(envelopeId);
        reject(new AckTimeoutError(envelopeId, type, this.#opts.ackTimeoutMs));
      }, this.#opts.ackTimeoutMs);
      this.#pending.set(envelopeId, { type, socket, sentAt: performance.now(), timer, resolve, reject });
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        type,
        accepts_response_payload: acceptsResponsePayload,
        payload,
        ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
      };
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Kills every connection at the TCP level, as a network drop would; the SDK must reconnect. */
  dropSocket(): number {
    const dropped = [...this.#sockets];
    for (const socket of dropped) {
      socket.terminate();
      this.#onClose(socket); // dead at once, not when the close event comes round
    }
    return dropped.length;
  }

  /** Slack's polite variant: a `disconnect` message; the SDK closes and reconnects on its own. */
  sendDisconnect(reason: DisconnectReason): number {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
    for (const socket of this.#sockets) socket.send(message);
    return this.#sockets.length;
  }

  /** Resolves once a connection is open and has been sent `hello`. */
  waitForConnection(timeoutMs: number): Promise<void> {
    if (this.#sockets.length > 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.#connectWaiters.indexOf(wake);
        if (index >= 0) this.#connectWaiters.splice(index, 1);
        reject(new FakeSlackError('wait_timeout', `no Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#connectWaiters.push(wake);
    });
  }

  /** Connections accepted since start (a reconnect adds one). */
  get connectionCount(): number {
    return this.#connections;
  }

  get openConnections(): number {
    return this.#sockets.length;
  }

  acks(): AckRecord[] {
    return [...this.#acks];
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new FakeSlackError('fake_closed', `fake Slack closed before envelope ${id} was acked`));
    }
    this.#pending.clear();
    // Close politely first: an app that has just called stop() is mid close-handshake, and cutting the TCP
    // connection under it makes the SDK log a WebSocket error. Whatever is still open after the grace period is cut.
    const open = [...this.#sockets];
    const closed = open.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    for (const socket of open) socket.close(1001, 'fake Slack closing');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    for (const socket of [...this.#sockets]) socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
