import type { Redis } from 'ioredis';
import type { Driver } from '../drivers/contract.js';
import { ConnectionLostError, UnsupportedError } from '../drivers/errors.js';
import { ClabBotError } from '../errors.js';
import type { LabNode } from '../inventory/types.js';
import type { Logger } from '../log.js';
import { changeCommits } from '../ops/changes/apply-node.js';
import { redactText } from '../redact/index.js';
import {
  agentInboxKey,
  DEFAULT_SESSION_IDLE_MS,
  isRemoteMethod,
  MAX_SESSION_IDLE_MS,
  REMOTE_METHODS,
  SESSION_KEY_TTL_SEC,
  type InboxMessage,
  type OpenedSession,
  type RemoteMethod,
  type Reply,
} from './session-wire.js';
import { errorToWire } from './wire-errors.js';

type WithDriver = <T>(node: LabNode, fn: (driver: Driver) => Promise<T>, opts?: { signal?: AbortSignal }) => Promise<T>;

export interface SessionHostOptions {
  readonly agentId: string;
  /** A connection of its own: the inbox is read with blocking pops. */
  readonly reader: Redis;
  /** Replies are written with this one. */
  readonly writer: Redis;
  /** The agent's node by `lab/node`, as it knows it now. */
  readonly node: (key: string) => LabNode | undefined;
  /** The agent's session pool. */
  readonly withDriver: WithDriver;
  /** Aborts one of this agent's running exec jobs (a `cancel-job` message). */
  readonly cancelJob?: (jobId: string) => void;
  readonly logger: Logger;
}

/**
 * The agent's inbox: remote driver sessions (the bot's side: remote-driver.ts), and cancels of its
 * exec jobs. Each session is
 * one pool.withDriver lease on the agent's driver for its node, from `open` to `close`, so the
 * calls of one change (running config, apply, check, confirm) run on one device session as they
 * do in one process. A session nobody calls for its idle time ends by itself.
 */
export class SessionHost {
  readonly #o: SessionHostOptions;
  readonly #key: string;
  readonly #sessions = new Map<string, HostedSession>();
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(opts: SessionHostOptions) {
    this.#o = opts;
    this.#key = agentInboxKey(opts.agentId);
  }

  /** Starts reading the inbox. What an earlier run of this agent left there is dropped: its sessions died with it. */
  async start(): Promise<void> {
    await this.#o.writer.del(this.#key);
    this.#running = true;
    this.#loop = this.#read();
  }

  /** Sessions open now (for logs and tests). */
  get open(): number {
    return this.#sessions.size;
  }

  async #read(): Promise<void> {
    while (this.#running) {
      let popped: [string, string] | null;
      try {
        popped = await this.#o.reader.blpop(this.#key, 1);
      } catch (err) {
        if (!this.#running) return;
        this.#o.logger.warn({ err: (err as Error).message }, 'reading the session inbox failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (popped === null) continue;
      let msg: InboxMessage;
      try {
        msg = JSON.parse(popped[1]) as InboxMessage;
      } catch {
        this.#o.logger.warn('a session message that is not JSON was dropped');
        continue;
      }
      this.#handle(msg);
    }
  }

  #handle(msg: InboxMessage): void {
    if (msg.t === 'cancel-job') {
      this.#o.cancelJob?.(String(msg.job));
      return;
    }
    const session = this.#sessions.get(msg.s);
    switch (msg.t) {
      case 'open': {
        if (session !== undefined) return;
        const node = this.#o.node(msg.node);
        if (node === undefined) {
          void this.reply(msg.replyTo, {
            id: msg.id,
            ok: false,
            error: errorToWire(new ClabBotError('unknown_node', `node ${msg.node} is no longer in the labs of agent ${this.#o.agentId}: nothing was sent to it`)),
          });
          return;
        }
        const idleMs = Math.min(Math.max(100, Number(msg.idleMs) || DEFAULT_SESSION_IDLE_MS), MAX_SESSION_IDLE_MS);
        const hosted = new HostedSession(this, msg.s, node, msg.replyTo, idleMs);
        this.#sessions.set(msg.s, hosted);
        void hosted.run(msg.id).finally(() => this.#sessions.delete(msg.s));
        return;
      }
      case 'call':
        if (session === undefined) {
          // The session ended (idle, or this agent restarted): the call never reached a device.
          const ended = new ConnectionLostError({ node: msg.s, operation: String(msg.method) }, `the agent ${this.#o.agentId} has no such session (it ended, or the agent restarted)`, {
            requestSent: false,
          });
          void this.reply(msg.replyTo, { id: msg.id, ok: false, error: errorToWire(ended) });
          return;
        }
        session.call(msg);
        return;
      case 'cancel':
        session?.cancel(msg.id);
        return;
      case 'close':
        session?.end(undefined);
        return;
      default:
        this.#o.logger.warn({ message: (msg as { t?: unknown }).t }, 'an unknown session message was dropped');
    }
  }

  /** Writes a reply; the list expires unless its reader pops it in time. */
  async reply(replyTo: string, reply: Reply): Promise<void> {
    try {
      await this.#o.writer.multi().rpush(replyTo, JSON.stringify(reply)).expire(replyTo, SESSION_KEY_TTL_SEC).exec();
    } catch (err) {
      this.#o.logger.warn({ err: (err as Error).message }, 'a session reply could not be written');
    }
  }

  get options(): SessionHostOptions {
    return this.#o;
  }

  /** Ends every session (its running calls are aborted) and stops reading. */
  async stop(): Promise<void> {
    this.#running = false;
    const ending = [...this.#sessions.values()].map((s) => s.end('the agent is stopping'));
    await Promise.allSettled(ending);
    this.#o.reader.disconnect();
    await this.#loop?.catch(() => undefined);
  }
}

type CallMessage = Extract<InboxMessage, { t: 'call' }>;

/** One session: a lease on the node's pooled driver, taking calls until closed, idle or stopped. */
class HostedSession {
  readonly #host: SessionHost;
  readonly #id: string;
  readonly #node: LabNode;
  readonly #replyTo: string;
  readonly #idleMs: number;
  readonly #queue: CallMessage[] = [];
  readonly #active = new Map<string, AbortController>();
  readonly #calls = new Set<Promise<void>>();
  /** Aborts the lease's acquire when the session ends before the driver is ready. */
  readonly #abort = new AbortController();
  #wake: (() => void) | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  /** Set once ended: why (undefined: closed by the bot). */
  #ended: { readonly why: string | undefined } | undefined;
  #done: Promise<void> = Promise.resolve();

  constructor(host: SessionHost, id: string, node: LabNode, replyTo: string, idleMs: number) {
    this.#host = host;
    this.#id = id;
    this.#node = node;
    this.#replyTo = replyTo;
    this.#idleMs = idleMs;
  }

  run(openId: string): Promise<void> {
    const { withDriver, logger } = this.#host.options;
    let opened = false;
    this.#done = withDriver(
      this.#node,
      async (driver) => {
        opened = true;
        const hello: OpenedSession = {
          capabilities: driver.capabilities,
          traits: driver.traits,
          has: { commitStatus: driver.commitStatus !== undefined, commitHistory: driver.commitHistory !== undefined },
          pid: process.pid,
        };
        await this.#host.reply(this.#replyTo, { id: openId, ok: true, value: hello });
        this.#armIdle();
        for (;;) {
          const next = await this.#next();
          if (next === undefined) break;
          const running = this.#call(driver, next);
          this.#calls.add(running);
          void running.finally(() => this.#calls.delete(running));
        }
        // The lease is released only once no call runs on the driver.
        await Promise.allSettled([...this.#calls]);
      },
      { signal: this.#abort.signal },
    ).then(
      () => {
        if (this.#ended?.why !== undefined) logger.info({ session: this.#id, node: this.#node.name, why: this.#ended.why }, 'remote driver session ended');
      },
      async (err: unknown) => {
        this.#ended ??= { why: 'failed' };
        if (!opened) await this.#host.reply(this.#replyTo, { id: openId, ok: false, error: errorToWire(err) });
        else logger.warn({ session: this.#id, err: (err as Error).message }, 'remote driver session failed');
      },
    );
    return this.#done;
  }

  call(msg: CallMessage): void {
    if (this.#ended !== undefined) {
      const ended = new ConnectionLostError({ node: this.#node.name, operation: String(msg.method) }, `the agent ended this session (${this.#ended.why ?? 'closed'})`, { requestSent: false });
      void this.#host.reply(msg.replyTo, { id: msg.id, ok: false, error: errorToWire(ended) });
      return;
    }
    this.#queue.push(msg);
    this.#wake?.();
  }

  cancel(callId: string): void {
    this.#active.get(callId)?.abort();
    const queued = this.#queue.findIndex((m) => m.id === callId);
    if (queued >= 0) this.#queue.splice(queued, 1);
  }

  /** Ends the session: running calls are aborted (when `why` is given) and the lease is released once they return. */
  end(why: string | undefined): Promise<void> {
    if (this.#ended === undefined) this.#ended = { why };
    clearTimeout(this.#idleTimer);
    if (why !== undefined) for (const c of this.#active.values()) c.abort();
    this.#abort.abort();
    this.#wake?.();
    return this.#done;
  }

  /** The next call, or undefined once the session ended. */
  async #next(): Promise<CallMessage | undefined> {
    for (;;) {
      if (this.#ended !== undefined) return undefined;
      const msg = this.#queue.shift();
      if (msg !== undefined) return msg;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  #armIdle(): void {
    clearTimeout(this.#idleTimer);
    if (this.#active.size > 0 || this.#ended !== undefined) return;
    this.#idleTimer = setTimeout(() => void this.end(`idle for ${Math.round(this.#idleMs / 100) / 10} s`), this.#idleMs);
    this.#idleTimer.unref();
  }

  async #call(driver: Driver, msg: CallMessage): Promise<void> {
    clearTimeout(this.#idleTimer);
    const abort = new AbortController();
    this.#active.set(msg.id, abort);
    try {
      if (!isRemoteMethod(msg.method)) throw new UnsupportedError({ node: this.#node.name, operation: String(msg.method) }, `the method ${String(msg.method)}`);
      const value = await invoke(driver, msg.method, msg.args, abort.signal);
      await this.#host.reply(msg.replyTo, { id: msg.id, ok: true, value: msg.method === 'exec' ? redactedExec(value, this.#node) : value });
    } catch (err) {
      await this.#host.reply(msg.replyTo, { id: msg.id, ok: false, error: errorToWire(err) });
    } finally {
      this.#active.delete(msg.id);
      this.#armIdle();
    }
  }
}

/** Runs one driver method with the bot's arguments and this agent's abort signal. */
function invoke(driver: Driver, method: RemoteMethod, args: readonly unknown[], signal: AbortSignal): Promise<unknown> {
  const arity = REMOTE_METHODS[method];
  const given = args.slice(0, arity - 1);
  const opts = { ...((args[arity - 1] as object | undefined) ?? {}), signal };
  const d = driver as unknown as Record<RemoteMethod, ((...a: unknown[]) => Promise<unknown>) | undefined>;
  if (method === 'commitStatus') {
    // The commit comments are the core's format: the agent runs the same classifier, rebuilt from the change id.
    const changeId = Number((given[0] as { changeId?: unknown } | undefined)?.changeId);
    if (driver.commitStatus === undefined) throw new UnsupportedError({ node: driver.node.name, operation: method }, 'reading the commit history');
    return driver.commitStatus(changeCommits(changeId), opts);
  }
  const fn = d[method];
  if (fn === undefined) throw new UnsupportedError({ node: driver.node.name, operation: method }, method);
  return fn.apply(driver, [...given, opts]);
}

/** exec output leaves the host redacted with the node's own password, as the agent's exec jobs are. */
function redactedExec(value: unknown, node: LabNode): unknown {
  const r = value as { output?: unknown } | undefined;
  if (typeof r?.output !== 'string' || node.credentials.password === '') return value;
  return { ...r, output: redactText(r.output, { secrets: [node.credentials.password] }) };
}
