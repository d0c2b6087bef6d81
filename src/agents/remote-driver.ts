import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  ApplyOptions,
  ApplyResult,
  CallOptions,
  ChangeCommits,
  CommitStatus,
  ConfigMethod,
  DeviceCommit,
  Driver,
  DriverCapabilities,
  DriverTraits,
  ExecResult,
  Facts,
  NodeSource,
  OutputFormat,
  Plan,
} from '../drivers/contract.js';
import { CancelledError, ConnectionLostError } from '../drivers/errors.js';
import { FirstCallTracker } from '../drivers/pool.js';
import type { LabNode } from '../inventory/types.js';
import type { Logger } from '../log.js';
import { nodeKey } from '../model/node-ref.js';
import type { AgentsRepo } from './agents-repo.js';
import { placementOf } from './fleet-inventory.js';
import type { RedisLink } from './redis-link.js';
import {
  agentInboxKey,
  DEFAULT_SESSION_IDLE_MS,
  replyListKey,
  SESSION_KEY_TTL_SEC,
  type InboxMessage,
  type OpenedSession,
  type RemoteMethod,
  type Reply,
} from './session-wire.js';
import { errorFromWire } from './wire-errors.js';

export interface AgentSessionsOptions {
  readonly link: RedisLink;
  readonly repo: AgentsRepo;
  readonly heartbeatMs: number;
  readonly lostAfterMs: number;
  readonly logger: Logger;
  /** How long the agent keeps a session nobody calls (default 60 s). */
  readonly idleMs?: number;
}

/** The agent and call a reply is awaited from. */
interface Pending {
  readonly agentId: string;
  readonly host: string;
  /** The agent's process id once the session opened: a different one means it restarted. */
  pid: number | undefined;
  readonly node: string;
  readonly operation: string;
  /** Whether the request may have reached the device once sent (false for the open). */
  readonly requestSent: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Device work of every kind through the agents: withDriver(node, fn) opens a session on the
 * agent that owns the node and hands `fn` a RemoteDriver whose every call runs on the agent's own
 * pooled driver, all under one lease there (session-host.ts), until `fn` settles. While a reply
 * is awaited the owner's heartbeat is read: an agent silent past lost_after_sec (or restarted)
 * fails the call with a connection_lost error coded `agent_lost`, which counts as "the request may
 * have reached the device" for a commit, exactly like a device connection lost mid-commit.
 */
export class AgentSessions {
  readonly #o: AgentSessionsOptions;
  /** This process's reply list. */
  readonly #replies = replyListKey(randomUUID());
  readonly #pending = new Map<string, Pending>();
  #reader: Redis | undefined;
  #reading = false;
  #closed = false;

  constructor(opts: AgentSessionsOptions) {
    this.#o = opts;
  }

  /**
   * The DeviceAccess / WithDriver shape, with the local pool's rule: when the first call `fn` makes
   * fails because the device session was dead before its request left (or the call is
   * repeatable), `fn` runs once more on a new session. A lost agent is not retried: it is gone.
   */
  withDriver = async <T>(node: LabNode, fn: (driver: Driver) => Promise<T>, opts: { signal?: AbortSignal } = {}): Promise<T> => {
    const first = await this.#session(node, opts.signal);
    const tracker = new FirstCallTracker(first.driver);
    try {
      return await fn(tracker.driver);
    } catch (err) {
      if (!tracker.mayRetry(err) || (err as ConnectionLostError).code === 'agent_lost') throw err;
    } finally {
      first.close();
    }
    const second = await this.#session(node, opts.signal);
    try {
      return await fn(second.driver);
    } finally {
      second.close();
    }
  };

  /** Opens a session on the node's agent: its driver, and the close that releases the agent's lease. */
  async #session(node: LabNode, signal: AbortSignal | undefined): Promise<{ readonly driver: Driver; close(): void }> {
    const opts = { signal };
    const placement = placementOf(node);
    const key = nodeKey({ lab: placement.lab, name: node.name });
    if (opts.signal?.aborted) throw new CancelledError({ node: node.name, operation: 'open' });
    // Redis not answering: refused here, before anything is sent.
    const client = await this.#o.link.reachable();
    if (!placement.alive) throw agentLost(node.name, 'open', placement.host, placement.heartbeatAgeMs, false);
    const session = randomUUID();
    const openId = randomUUID();
    const owner = { agentId: placement.agentId, host: placement.host, node: node.name };
    const opened = this.#expect(openId, { ...owner, pid: undefined, operation: 'open', requestSent: false });
    const idleMs = this.#o.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    await this.#send(client, placement.agentId, { t: 'open', s: session, id: openId, node: key, replyTo: this.#replies, idleMs }, openId);
    let hello: OpenedSession;
    try {
      hello = (await this.#await(opened, openId, client, placement.agentId, session, opts.signal)) as OpenedSession;
    } catch (err) {
      // A session the agent opens after all (its reply came too late) is released at once.
      this.#send(client, placement.agentId, { t: 'close', s: session }, undefined).catch(() => undefined);
      throw err;
    }
    let ended = false;
    const call = async (method: RemoteMethod, args: readonly unknown[], signal: AbortSignal | undefined): Promise<unknown> => {
      if (signal?.aborted) throw new CancelledError({ node: node.name, operation: method });
      if (ended) throw new ConnectionLostError({ node: node.name, operation: method }, 'the remote session has ended', { requestSent: false });
      const id = randomUUID();
      const reply = this.#expect(id, { ...owner, pid: hello.pid, operation: method, requestSent: true });
      await this.#send(client, placement.agentId, { t: 'call', s: session, id, method, args, replyTo: this.#replies }, id);
      return this.#await(reply, id, client, placement.agentId, session, signal);
    };
    return {
      driver: new RemoteDriver(node, hello, call),
      close: () => {
        ended = true;
        // The agent releases its lease; if this message is lost, its idle timer does.
        this.#send(client, placement.agentId, { t: 'close', s: session }, undefined).catch(() => undefined);
      },
    };
  }

  /** Stops waiting: every pending call fails as cancelled. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const [id, p] of [...this.#pending]) {
      this.#pending.delete(id);
      p.reject(new CancelledError({ node: p.node, operation: `${p.operation} (the bot is stopping)` }));
    }
    this.#reader?.disconnect();
    this.#reader = undefined;
  }

  #expect(id: string, p: Omit<Pending, 'resolve' | 'reject'>): Promise<unknown> {
    const promise = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { ...p, resolve, reject }));
    // Awaited by #await; a rejection before that is not unhandled.
    promise.catch(() => undefined);
    this.#startReading();
    return promise;
  }

  /** Pushes a message onto the agent's inbox; `pendingId`'s wait ends if Redis refuses it. */
  async #send(client: Redis, agentId: string, msg: InboxMessage, pendingId: string | undefined): Promise<void> {
    const inbox = agentInboxKey(agentId);
    try {
      await client.multi().rpush(inbox, JSON.stringify(msg)).expire(inbox, SESSION_KEY_TTL_SEC).exec();
    } catch (err) {
      const p = pendingId === undefined ? undefined : this.#pending.get(pendingId);
      if (p === undefined) throw err;
      this.#pending.delete(pendingId!);
      const lost = new ConnectionLostError({ node: p.node, operation: p.operation }, `lost contact with Redis (${(err as Error).message})`, { requestSent: p.requestSent });
      p.reject(lost);
    }
  }

  /** Waits for a reply; the caller's signal sends a cancel to the agent, whose driver then ends the call. */
  async #await(reply: Promise<unknown>, id: string, client: Redis, agentId: string, session: string, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal === undefined) return reply;
    let late: NodeJS.Timeout | undefined;
    const onAbort = () => {
      this.#send(client, agentId, { t: 'cancel', s: session, id }, undefined).catch(() => undefined);
      // An agent that does not answer the cancel within lost_after_sec: the call ends cancelled here.
      late = setTimeout(() => {
        const p = this.#pending.get(id);
        if (p === undefined) return;
        this.#pending.delete(id);
        p.reject(new CancelledError({ node: p.node, operation: p.operation }));
      }, this.#o.lostAfterMs);
      late.unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await reply;
    } finally {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(late);
    }
  }

  #startReading(): void {
    if (this.#reading || this.#closed) return;
    this.#reading = true;
    void this.#read().finally(() => {
      this.#reading = false;
      if (this.#pending.size > 0) this.#startReading();
    });
  }

  /** Pops replies while any is awaited, reading the owners' heartbeats between pops. */
  async #read(): Promise<void> {
    let lastCheck = Date.now();
    const waitSec = Math.max(0.1, Math.min(this.#o.heartbeatMs, 2000) / 1000);
    while (this.#pending.size > 0 && !this.#closed) {
      // A blocking pop holds its connection: one of this process's own, not reconnecting (a lost one fails the waits).
      const client = await this.#o.link.reachable().catch((err: unknown) => err as Error);
      if (client instanceof Error) {
        this.#failAll(`lost contact with Redis (${client.message})`);
        return;
      }
      if (this.#reader === undefined) {
        this.#reader = client.duplicate({ maxRetriesPerRequest: 1, enableOfflineQueue: true, retryStrategy: () => null });
        this.#reader.on('error', () => undefined);
      }
      let popped: [string, string] | null;
      try {
        popped = await this.#reader.blpop(this.#replies, waitSec);
      } catch (err) {
        this.#reader?.disconnect();
        this.#reader = undefined;
        if (this.#closed) return;
        this.#failAll(`lost contact with Redis while waiting for the agent (${(err as Error).message})`);
        return;
      }
      if (popped !== null) this.#settle(popped[1]);
      if (Date.now() - lastCheck >= this.#o.heartbeatMs) {
        lastCheck = Date.now();
        await this.#checkOwners();
      }
    }
  }

  #settle(text: string): void {
    let reply: Reply;
    try {
      reply = JSON.parse(text) as Reply;
    } catch {
      return;
    }
    const p = this.#pending.get(reply.id);
    // A reply nobody waits for any more (cancelled, timed out): dropped.
    if (p === undefined) return;
    this.#pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(errorFromWire(reply.error));
  }

  /** Fails the waits on agents whose heartbeat is older than lost_after_sec, gone from the fleet, or restarted. */
  async #checkOwners(): Promise<void> {
    let agents;
    try {
      agents = new Map((await this.#o.repo.agents()).map((a) => [a.id, a]));
    } catch (err) {
      this.#o.logger.warn({ err: (err as Error).message }, 'reading the agents\' heartbeats failed; still waiting');
      return;
    }
    for (const [id, p] of [...this.#pending]) {
      const a = agents.get(p.agentId);
      const restarted = a !== undefined && p.pid !== undefined && a.pid !== p.pid;
      if (a !== undefined && a.heartbeatAgeMs <= this.#o.lostAfterMs && !restarted) continue;
      this.#pending.delete(id);
      p.reject(agentLost(p.node, p.operation, p.host, restarted ? 'restarted' : a?.heartbeatAgeMs, p.requestSent));
    }
  }

  #failAll(why: string): void {
    for (const [id, p] of [...this.#pending]) {
      this.#pending.delete(id);
      p.reject(new ConnectionLostError({ node: p.node, operation: p.operation }, why, { requestSent: p.requestSent }));
    }
  }
}

/** `r1: connection lost during apply (agent lost: host-a (no heartbeat for 21 s))`. */
function agentLost(node: string, operation: string, host: string, age: number | 'restarted' | undefined, requestSent: boolean): ConnectionLostError {
  const since = age === undefined ? 'it left the fleet' : age === 'restarted' ? 'it restarted' : `no heartbeat for ${Math.round(age / 1000)} s`;
  return new ConnectionLostError({ node, operation }, `agent lost: ${host} (${since})`, { requestSent, code: 'agent_lost' });
}

type Call = (method: RemoteMethod, args: readonly unknown[], signal: AbortSignal | undefined) => Promise<unknown>;

/** Options as they travel: everything but the signal, which stays here and reaches the agent as a cancel. */
function wireOpts<O extends CallOptions>(opts: O | undefined): { rest: Omit<O, 'signal'>; signal: AbortSignal | undefined } {
  const { signal, ...rest } = opts ?? ({} as O);
  return { rest, signal };
}

/**
 * The Driver contract over a remote session: capabilities and traits are the agent's driver's,
 * and each method is one call run there. open and close are the session's (withDriver's), so
 * here they do nothing.
 */
class RemoteDriver implements Driver {
  readonly node: LabNode;
  readonly capabilities: DriverCapabilities;
  readonly traits: DriverTraits;
  readonly commitStatus?: (change: ChangeCommits, opts?: CallOptions) => Promise<CommitStatus>;
  readonly commitHistory?: (opts?: CallOptions) => Promise<readonly DeviceCommit[]>;
  readonly #call: Call;

  constructor(node: LabNode, hello: OpenedSession, call: Call) {
    this.node = node;
    this.capabilities = hello.capabilities;
    this.traits = hello.traits;
    this.#call = call;
    if (hello.has.commitStatus) {
      // The classifier is the core's comment format: only the change id travels, the agent rebuilds it.
      this.commitStatus = (change, opts) => {
        const { rest, signal } = wireOpts(opts);
        return this.#call('commitStatus', [{ changeId: change.changeId }, rest], signal) as Promise<CommitStatus>;
      };
    }
    if (hello.has.commitHistory) this.commitHistory = (opts) => this.#run('commitHistory', [], opts);
  }

  async open(): Promise<void> {}
  isAlive(): boolean {
    return true;
  }
  async close(): Promise<void> {}

  exec(command: string, opts?: CallOptions & { format?: OutputFormat }): Promise<ExecResult> {
    return this.#run('exec', [command], opts);
  }
  plan(source: NodeSource, method: ConfigMethod, opts?: CallOptions): Promise<Plan> {
    return this.#run('plan', [source, method], opts);
  }
  apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult> {
    return this.#run('apply', [source], opts);
  }
  confirm(opts?: CallOptions & { comment?: string }): Promise<void> {
    return this.#run('confirm', [], opts);
  }
  rollback(index: number, opts?: CallOptions & { comment?: string }): Promise<ApplyResult> {
    return this.#run('rollback', [index], opts);
  }
  undoLastCommit(opts?: CallOptions & { comment?: string }): Promise<ApplyResult> {
    return this.#run('undoLastCommit', [], opts);
  }
  facts(opts?: CallOptions): Promise<Facts> {
    return this.#run('facts', [], opts);
  }
  runningConfig(opts?: CallOptions): Promise<string> {
    return this.#run('runningConfig', [], opts);
  }

  #run<T>(method: RemoteMethod, args: readonly unknown[], opts: CallOptions | undefined): Promise<T> {
    const { rest, signal } = wireOpts(opts);
    return this.#call(method, [...args, rest], signal) as Promise<T>;
  }
}
