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

/** One delivery of an envelope to one connection, as the fake saw it go. */
export interface DeliveryRecord {
  readonly envelopeId: string;
  readonly type: EnvelopeType;
  /** 0 for the first delivery; then the envelope's `retry_attempt`. */
  readonly attempt: number;
  /** The connection it went to: 1 for the first accepted since start, 2 for the next, … */
  readonly connection: number;
  readonly at: number;
  /** `connection_closed`: the connection went away before the ack (a killed app). */
  outcome: 'pending' | 'acked' | 'timeout' | 'connection_closed';
}

/** An envelope Slack has to get acked: one payload, delivered once and then redelivered until acked or out of retries. */
interface Envelope {
  readonly type: EnvelopeType;
  readonly payload: Record<string, unknown>;
  readonly acceptsResponsePayload: boolean;
  readonly firstSentAt: number;
  attempt: number;
  /** The delivery waiting for its ack. */
  current: { readonly id: string; readonly socket: WebSocket; readonly timer: NodeJS.Timeout; readonly record: DeliveryRecord } | undefined;
  /** The latest delivery's envelope_id, for the error when none was acked. */
  lastId: string;
  settled: boolean;
  readonly resolve: (result: AckResult) => void;
  readonly reject: (error: Error) => void;
}

interface Connection {
  readonly number: number;
  /** Sent a `disconnect`: Slack sends it nothing more. */
  draining: boolean;
}

export interface SocketModeOptions {
  readonly appId: string;
  readonly ackTimeoutMs: number;
  /** Redeliveries of an envelope not acked in time or whose connection closed (0: none). */
  readonly retries: number;
  /** `ws://127.0.0.1:PORT`, known once the HTTP server listens. */
  readonly wsBase: () => string;
}

/**
 * Slack's side of Socket Mode: single-use connection tickets from apps.connections.open, `hello` on
 * connect, envelopes out (spread round-robin over the app's open connections, as Slack may deliver
 * any payload to any of them), acks in (with Slack's 3-second rule), redelivery of unacked envelopes
 * on another connection when `retries` allows, and forced drops for reconnect tests.
 * `ws` answers the SDK's pings by itself, and the fake never pings, so the SDK's server-ping watchdog stays off.
 */
export class SocketModeServer {
  readonly #opts: SocketModeOptions;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #tickets = new Set<string>();
  readonly #sockets: WebSocket[] = [];
  readonly #connectionOf = new Map<WebSocket, Connection>();
  /** By delivery envelope_id: the envelope that delivery carries. */
  readonly #pending = new Map<string, Envelope>();
  readonly #acks: AckRecord[] = [];
  readonly #deliveries: DeliveryRecord[] = [];
  readonly #connectWaiters: Array<() => void> = [];
  #connections = 0;
  #turn = 0;
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
    this.#connectionOf.set(socket, { number: this.#connections, draining: false });
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
    const envelope = this.#pending.get(id);
    this.#acks.push({ envelopeId: id, at: Date.now(), payload: body, expected: envelope !== undefined });
    if (envelope === undefined) return;
    this.#pending.delete(id);
    const current = envelope.current;
    if (current === undefined || current.id !== id) return;
    clearTimeout(current.timer);
    current.record.outcome = 'acked';
    envelope.current = undefined;
    envelope.settled = true;
    envelope.resolve({ envelopeId: id, attempt: envelope.attempt, ackMs: performance.now() - envelope.firstSentAt, ackPayload: body });
  }

  #onClose(socket: WebSocket): void {
    const index = this.#sockets.indexOf(socket);
    if (index >= 0) this.#sockets.splice(index, 1);
    for (const [id, envelope] of this.#pending) {
      const current = envelope.current;
      if (current?.socket !== socket || current.id !== id) continue;
      this.#pending.delete(id);
      clearTimeout(current.timer);
      current.record.outcome = 'connection_closed';
      envelope.current = undefined;
      this.#failed(envelope, 'connection_closed');
    }
  }

  /**
   * Sends one envelope to the next open connection (round-robin) and resolves with the app's ack.
   * Without retries it rejects after ackTimeoutMs (AckTimeoutError) or when its connection closes;
   * with them, each failure sends it again elsewhere until the retries are used up.
   */
  send(type: EnvelopeType, payload: Record<string, unknown>, acceptsResponsePayload: boolean): Promise<AckResult> {
    if (this.#opts.retries === 0 && this.#openSockets().length === 0) {
      return Promise.reject(
        new FakeSlackError('no_socket', 'no Socket Mode connection is open: await app.start() (or fake.waitForSocket()) first'),
      );
    }
    return new Promise<AckResult>((resolve, reject) => {
      const envelope: Envelope = {
        type,
        payload,
        acceptsResponsePayload,
        firstSentAt: performance.now(),
        attempt: 0,
        current: undefined,
        lastId: '?',
        settled: false,
        resolve,
        reject,
      };
      this.#deliver(envelope, undefined);
    });
  }

  /** Open connections Slack still sends to (not told to disconnect). */
  #openSockets(): WebSocket[] {
    return this.#sockets.filter((s) => this.#connectionOf.get(s)?.draining !== true);
  }

  /** One delivery on the next connection in turn, avoiding `avoid` (the one that just failed) when another is open. */
  #deliver(envelope: Envelope, avoid: WebSocket | undefined): void {
    if (envelope.settled || this.#closed) return;
    const open = this.#openSockets();
    const candidates = open.length > 1 ? open.filter((s) => s !== avoid) : open;
    const socket = candidates[this.#turn++ % Math.max(1, candidates.length)];
    if (socket === undefined) {
      this.#failed(envelope, 'no_socket');
      return;
    }
    const id = randomUUID();
    const record: DeliveryRecord = {
      envelopeId: id,
      type: envelope.type,
      attempt: envelope.attempt,
      connection: this.#connectionOf.get(socket)?.number ?? 0,
      at: Date.now(),
      outcome: 'pending',
    };
    this.#deliveries.push(record);
    const timer = setTimeout(() => {
      this.#pending.delete(id);
      record.outcome = 'timeout';
      envelope.current = undefined;
      this.#failed(envelope, 'timeout', socket);
    }, this.#opts.ackTimeoutMs);
    envelope.current = { id, socket, timer, record };
    envelope.lastId = id;
    this.#pending.set(id, envelope);
    // Slack's documented envelope carries retry fields on events_api; a redelivery of any type carries them here so a test can see it.
    const retried = envelope.attempt > 0;
    const frame: Record<string, unknown> = {
      envelope_id: id,
      type: envelope.type,
      accepts_response_payload: envelope.acceptsResponsePayload,
      payload: envelope.payload,
      ...(envelope.type === 'events_api' || retried ? { retry_attempt: envelope.attempt, retry_reason: retried ? 'timeout' : '' } : {}),
    };
    socket.send(JSON.stringify(frame));
  }

  /** A delivery failed: send it again if retries are left (waiting for a connection if none is open), else reject. */
  #failed(envelope: Envelope, why: 'timeout' | 'connection_closed' | 'no_socket', socket?: WebSocket): void {
    if (envelope.settled) return;
    if (envelope.attempt < this.#opts.retries && !this.#closed) {
      envelope.attempt += 1;
      if (this.#openSockets().length > 0) {
        this.#deliver(envelope, socket);
        return;
      }
      this.waitForConnection(this.#opts.ackTimeoutMs).then(
        () => this.#deliver(envelope, undefined),
        () => this.#failed(envelope, 'no_socket'),
      );
      return;
    }
    envelope.settled = true;
    if (why === 'timeout') envelope.reject(new AckTimeoutError(envelope.lastId, envelope.type, this.#opts.ackTimeoutMs));
    else if (why === 'connection_closed') {
      envelope.reject(new FakeSlackError('socket_closed', `Socket Mode connection closed before envelope ${envelope.lastId} was acked`));
    } else envelope.reject(new FakeSlackError('no_socket', 'no Socket Mode connection is open: await app.start() (or fake.waitForSocket()) first'));
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
    for (const socket of this.#sockets) {
      socket.send(message);
      const connection = this.#connectionOf.get(socket);
      if (connection !== undefined) connection.draining = true;
    }
    return this.#sockets.length;
  }

  /** Resolves once a connection is open (and not told to disconnect) and has been sent `hello`. */
  waitForConnection(timeoutMs: number): Promise<void> {
    if (this.#openSockets().length > 0) return Promise.resolve();
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

  /** Every delivery sent, retries included, with where it went and how it ended. */
  deliveries(): DeliveryRecord[] {
    return this.#deliveries.map((d) => ({ ...d }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const [id, envelope] of this.#pending) {
      if (envelope.current !== undefined) clearTimeout(envelope.current.timer);
      if (envelope.settled) continue;
      envelope.settled = true;
      envelope.reject(new FakeSlackError('fake_closed', `fake Slack closed before envelope ${id} was acked`));
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
