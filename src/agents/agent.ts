import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ExecResult } from '../drivers/contract.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { SessionPool } from '../drivers/pool.js';
import { driverFactoryFor } from '../drivers/registry.js';
import { ClabBotError, SettingsError } from '../errors.js';
import { LabRegistry } from '../inventory/registry.js';
import { findContainerlab, inspectAll } from '../inventory/inspect-command.js';
import type { LabNode } from '../inventory/types.js';
import type { Logger } from '../log.js';
import { nodeKey } from '../model/node-ref.js';
import { execOnNodes } from '../ops/device-ops.js';
import type { NodeOutcome } from '../ops/outcome.js';
import { Scheduler } from '../ops/scheduler.js';
import { openSharedLimits } from '../limits/shared-limits.js';
import { registerSecret } from '../redact/index.js';
import { describeRedis, type Settings } from '../settings.js';
import { AgentsRepo } from './agents-repo.js';
import { SessionHost } from './session-host.js';
import { AGENT_NAME, agentQueueName, RESULT_STREAM_TTL_SEC, toWire, type ExecJob, type StreamEntry } from './wire.js';

export interface AgentOptions {
  /** The agent's name in the fleet (`HOST` of `HOST:lab/node`); default: this machine's host name. */
  readonly name?: string;
  /** Lab paths that replace settings.labs (--labs). */
  readonly labs?: readonly string[];
  readonly logger: Logger;
}

export interface RunningAgent {
  readonly id: string;
  readonly queue: string;
  readonly nodes: number;
  readonly labs: number;
  stop(): Promise<void>;
}

/** Jobs one agent runs at once; each job's nodes still go through the agent's scheduler limits. */
const JOBS_AT_ONCE = 32;

/**
 * `clab-bot agent`: next to the labs of one containerlab host. It registers its inventory in the
 * shared PostgreSQL database (again whenever its labs change) and renews a heartbeat there, takes
 * exec jobs from its own BullMQ queue, runs them through its own scheduler and session pool (the
 * same fan-out as the one-process mode), and writes each node's result to the job's Redis stream
 * as it finishes. Every other kind of device work reaches it as remote driver sessions
 * (session-host.ts) on the same pool. Every connection is outbound: to PostgreSQL, to Redis, and to its nodes.
 */
export async function startAgent(settings: Settings, opts: AgentOptions): Promise<RunningAgent> {
  const { logger } = opts;
  if (!/^postgres(ql)?:\/\//.test(settings.db)) {
    throw new SettingsError('CLAB_BOT_DB', 'clab-bot agent registers in the shared database: set CLAB_BOT_DB=postgres://user:pass@host/db');
  }
  if (settings.redis === undefined) throw new SettingsError('CLAB_BOT_REDIS', 'clab-bot agent takes its work from Redis: set CLAB_BOT_REDIS=redis://host:6379');
  const redisUrl = settings.redis;
  const name = opts.name ?? hostname();
  if (!AGENT_NAME.test(name)) {
    throw new SettingsError('--name', `"${name}" must be letters, digits, '.', '_' or '-' (at most 63), starting with a letter or digit`);
  }
  for (const url of [settings.db, redisUrl]) {
    try {
      const password = new URL(url).password;
      if (password) registerSecret(decodeURIComponent(password));
    } catch {
      // not a URL with a password
    }
  }

  const database = await openDatabase(settings.db, { onError: (err) => logger.warn({ err: err.message }, 'database connection lost; it will be reopened') });
  const closers: (() => Promise<void> | void)[] = [() => database.close()];
  let closed = false;
  const closeAll = async () => {
    if (closed) return;
    closed = true;
    for (const c of [...closers].reverse()) await Promise.resolve(c()).catch((err: unknown) => logger.warn({ err }, 'agent stop step failed'));
  };
  try {
    await migrateToLatest(database.db);
    const repo = new AgentsRepo(database.db, database.dialect);
    const lostAfterMs = settings.agents.lostAfterSec * 1000;
    const existing = (await repo.agents()).find((a) => a.id === name);
    if (existing && existing.heartbeatAgeMs <= lostAfterMs) {
      throw new ClabBotError('agent_name_taken', `an agent named ${name} is already running (pid ${existing.pid} on its host, heartbeat ${Math.round(existing.heartbeatAgeMs / 1000)} s ago)`, {
        hint: `give this one another --name, or stop the other; a dead one's name is free after agents.lost_after_sec (${settings.agents.lostAfterSec} s)`,
      });
    }

    const register = async (nodes: readonly LabNode[]) => {
      await repo.register({ id: name, host: name, pid: process.pid }, nodes);
      logger.info({ agent: name, nodes: nodes.length }, 'agent inventory registered');
    };
    const clab = opts.labs ? undefined : await findContainerlab();
    const inventory = new LabRegistry(opts.labs ?? settings.labs, {
      ...(settings.configFile ? { baseDir: dirname(settings.configFile) } : {}),
      ...(clab ? { texts: () => inspectSources(clab, logger), inspect: true } : {}),
      overrides: settings.credentials,
      watch: true,
      pollIntervalMs: 5000,
      onReload: (inv) => {
        for (const node of inv.nodes) registerSecret(node.credentials.password);
        register(inv.nodes).catch((err: unknown) => logger.error({ err }, 'registering the new inventory failed'));
      },
      onError: (err) => logger.error({ err }, 'lab inventory reload failed; keeping the previous inventory'),
    });
    closers.push(() => inventory.close());
    const first = await inventory.load();
    for (const node of first.nodes) registerSecret(node.credentials.password);
    await register(first.nodes);
    closers.push(() => repo.deregister(name));

    const heartbeat = setInterval(() => {
      repo
        .heartbeat(name)
        .then((held) => (held ? undefined : register(inventory.nodes())))
        .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'heartbeat failed; retrying'));
    }, settings.agents.heartbeatSec * 1000);
    closers.push(() => clearInterval(heartbeat));

    // The device limits hold across every agent and process on this Redis; the local scheduler keeps this agent's share.
    const shared = await openSharedLimits({ redisUrl, limits: settings.limits, scope: name, logger });
    closers.push(() => shared.close());
    const scheduler = new Scheduler(
      { globalConcurrency: settings.limits.global_concurrency, perNodeConcurrency: settings.limits.per_node_concurrency },
      shared.deviceSlots,
    );
    const pool = new SessionPool({
      factory: driverFactoryFor({ linux: { settings: settings.linux } }),
      maxOpen: settings.limits.max_sessions,
      idleMs: settings.limits.session_idle_sec * 1000,
    });
    closers.push(() => pool.close());
    closers.push(() => scheduler.stop());
    const access = { scheduler, withDriver: pool.withDriver.bind(pool) };

    const redisOptions = { maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 200, 2000) };
    const results = new Redis(redisUrl, redisOptions);
    results.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
    closers.push(() => results.disconnect());
    const publish = async (stream: string, entry: StreamEntry) => {
      await results.multi().xadd(stream, '*', 'e', JSON.stringify(entry)).expire(stream, RESULT_STREAM_TTL_SEC).exec();
    };

    // Running jobs by id: a `cancel-job` on the inbox (the requester was cancelled) aborts one.
    const runningJobs = new Map<string, AbortController>();
    const run = async (job: Job<ExecJob>) => {
      const data = job.data;
      const abort = new AbortController();
      runningJobs.set(data.requestId, abort);
      try {
        await runJob(data, abort.signal);
      } finally {
        runningJobs.delete(data.requestId);
      }
    };
    const runJob = async (data: ExecJob, signal: AbortSignal) => {
      const byKey = new Map(inventory.nodes().map((n) => [nodeKey(n), n]));
      const nodes = data.nodes.map((k) => byKey.get(k)).filter((n): n is LabNode => n !== undefined);
      const writes: Promise<void>[] = [];
      const send = (o: NodeOutcome<ExecResult>) => writes.push(publish(data.resultStream, { type: 'outcome', outcome: toWire(o, nodeKey(o.node)) }));
      for (const key of data.nodes.filter((k) => !byKey.has(k))) {
        const outcome = { code: 'unknown_node', message: `node ${key} is no longer in the labs of agent ${name}`, deviceErrors: [] };
        writes.push(
          publish(data.resultStream, {
            type: 'outcome',
            outcome: { key, status: 'failed', value: undefined, error: outcome, durationMs: 0, startedAt: new Date().toISOString() },
          }),
        );
      }
      await execOnNodes(access, nodes, data.command, data.format, {
        ...(data.perNodeTimeoutMs ? { perNodeTimeoutMs: data.perNodeTimeoutMs } : {}),
        deadlineMs: data.deadlineMs,
        totalNodes: data.totalNodes,
        ...(data.limits ? { limits: data.limits } : {}),
        signal,
        onOutcome: send,
      });
      await Promise.all(writes);
      await publish(data.resultStream, { type: 'done' });
    };
    // BullMQ leaves a connection it is given open on close: ended after the worker (closers run in reverse).
    const workerConnection = new Redis(redisUrl, redisOptions);
    workerConnection.on('error', () => undefined);
    closers.push(() => workerConnection.disconnect());
    const worker = new Worker<ExecJob>(
      agentQueueName(name),
      async (job) => {
        try {
          await run(job);
        } catch (err) {
          await publish(job.data.resultStream, { type: 'failed', message: (err as Error).message }).catch(() => undefined);
          throw err;
        }
      },
      // A job whose agent died is not run again by the next one (maxStalledCount 0): its requester already reported it lost.
      { connection: workerConnection, concurrency: JOBS_AT_ONCE, maxStalledCount: 0 },
    );
    worker.on('error', (err: Error) => logger.warn({ err: err.message }, 'agent queue error'));
    closers.push(() => worker.close());
    await worker.waitUntilReady();

    // Remote driver sessions (config, rollback, backup, facts, drift, recovery from the bot): each on
    // this agent's pooled driver for its node. Stopped first on the way out (closers run in reverse).
    const sessionReader = new Redis(redisUrl, redisOptions);
    sessionReader.on('error', () => undefined);
    const sessions = new SessionHost({
      agentId: name,
      reader: sessionReader,
      writer: results,
      node: (key) => inventory.nodes().find((n) => nodeKey(n) === key),
      withDriver: pool.withDriver.bind(pool),
      cancelJob: (id) => runningJobs.get(id)?.abort(),
      logger,
    });
    await sessions.start();
    closers.push(() => sessions.stop());

    logger.info(
      { agent: name, queue: agentQueueName(name), labs: first.labs.length, nodes: first.nodes.length, redis: describeRedis(redisUrl), db: database.describe },
      `clab-bot agent ${name} ready: ${first.nodes.length} nodes in ${first.labs.length} labs, taking work from ${describeRedis(redisUrl)}`,
    );
    return { id: name, queue: agentQueueName(name), nodes: first.nodes.length, labs: first.labs.length, stop: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

async function inspectSources(clab: string, logger: Logger) {
  const r = await inspectAll(clab);
  if (r.problem) logger.warn(r.problem);
  return r.source ? [r.source] : [];
}
