import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { AuditLog } from './db/audit-log.js';
import { openDatabase, type DatabaseHandle } from './db/connect.js';
import { exclusiveFor, type Exclusive } from './db/exclusive.js';
import { Executions } from './db/executions.js';
import { BackupsRepo } from './db/backups-repo.js';
import { NodeFactsRepo } from './db/node-facts.js';
import { RequestThreadsRepo } from './db/request-threads.js';
import { HomeService } from './ops/home.js';
import { nodeKey } from './model/node-ref.js';
import { NodeFactsService } from './ops/node-facts.js';
import { migrateToLatest } from './db/migrate.js';
import type { CloseOptions, DriverFactory } from './drivers/contract.js';
import { SessionPool } from './drivers/pool.js';
import { driverFactoryFor } from './drivers/registry.js';
import { LabRegistry, type InventoryView } from './inventory/registry.js';
import { AgentsRepo } from './agents/agents-repo.js';
import { FleetInventory } from './agents/fleet-inventory.js';
import { localExecDispatcher } from './ops/exec-dispatch.js';
import type { DeviceAccess } from './ops/device-ops.js';
import { findContainerlab, inspectAll } from './inventory/inspect-command.js';
import { createLogger, type Logger } from './log.js';
import { RequestRunner } from './ops/request-runner.js';
import { ChangeService } from './ops/changes/change-service.js';
import type { ChangeView } from './ops/changes/types.js';
import { Scheduler } from './ops/scheduler.js';
import { UserRateLimiter } from './ops/rate-limit.js';
import type { Policy } from './permissions/policy-schema.js';
import { registerSecret } from './redact/index.js';
import type { Settings } from './settings.js';
import type { SharedLimits } from './limits/shared-limits.js';
import { FleetLimits } from './limits/fleet-limits.js';

/** Every long-lived service, built once from Settings. Front ends receive this and nothing else. */
export interface App {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  readonly audit: AuditLog;
  readonly executions: Executions;
  readonly inventory: InventoryView;
  readonly pool: SessionPool;
  readonly scheduler: Scheduler;
  readonly runner: RequestRunner;
  readonly changes: ChangeService;
  readonly facts: NodeFactsService;
  /** A user's overview (the Slack App Home): labs in sight, changes awaiting them, their last requests. */
  readonly home: HomeService;
  /** Background work one replica at a time (a PostgreSQL advisory lock; SQLite: this process alone). */
  readonly exclusive: Exclusive;
  /** With CLAB_BOT_REDIS: the limits shared with the other replicas and agents (src/limits/). */
  readonly shared: SharedLimits | undefined;
  policy(): Policy | null;
  /**
   * At start of a long-running front end, after it subscribed to change transitions: marks changes
   * a crash left `applying` as unknown and expires overdue ones; returns them.
   */
  recoverChanges(): Promise<ChangeView[]>;
  /** Ends every service; `exiting`: the process ends next, so devices are not waited on to say goodbye (CloseOptions). */
  close(options?: CloseOptions): Promise<void>;
}

export interface CreateAppOptions {
  readonly logger?: Logger;
  /** Lab paths that replace settings.labs (the CLI's --labs). */
  readonly labs?: readonly string[];
  readonly driverFactory?: DriverFactory;
  /** Watch lab files and the policy file for changes (the long-running front ends do). */
  readonly watch?: boolean;
}

/** The composition root: the only place that wires services together. */
export async function createApp(settings: Settings, opts: CreateAppOptions = {}): Promise<App> {
  const logger = opts.logger ?? createLogger(settings.logLevel);
  // Secrets known at start are registered so redaction catches them wherever they turn up.
  const { botToken, appToken, signingSecret } = settings.slack;
  for (const secret of [botToken, appToken, signingSecret, urlPassword(settings.db), urlPassword(settings.redis)]) registerSecret(secret);

  // The policy's schemas are built only when there is a policy to read (a one-shot command without one skips them).
  const loadPolicy = settings.policy ? (await import('./permissions/policy-load.js')).loadPolicy : undefined;
  let policy: Policy | null = settings.policy && loadPolicy ? loadPolicy(settings.policy) : null;
  let policyWatcher: FSWatcher | undefined;
  if (opts.watch && settings.policy && loadPolicy) {
    const file = settings.policy;
    let timer: NodeJS.Timeout | undefined;
    policyWatcher = watch(file, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        try {
          policy = loadPolicy(file);
          logger.info({ file }, 'policy reloaded');
        } catch (err) {
          // A broken edit keeps the last good policy in force rather than opening or closing everything.
          logger.error({ err: (err as Error).message, file }, 'policy file is invalid; keeping the previous policy');
        }
      }, 200);
    });
  }

  const database = await openDatabase(settings.db, { onError: (err) => logger.warn({ err: err.message }, 'database connection lost; it will be reopened') });
  try {
    await migrateToLatest(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  const audit = new AuditLog(database.db);
  const executions = new Executions(database.db);

  // With PostgreSQL and Redis the nodes are the agents' (each on its containerlab host); else this host's labs.
  const agents = settings.redis !== undefined && database.dialect === 'postgres' ? await fleetOf(settings, database, opts, logger) : undefined;
  const inventory: InventoryView = agents?.inventory ?? (await localLabs(settings, opts, logger));

  // In the agents mode the work this process drives over remote sessions takes the fleet's shared device slots too.
  const scheduler = new Scheduler(
    { globalConcurrency: settings.limits.global_concurrency, perNodeConcurrency: settings.limits.per_node_concurrency },
    agents?.limits.gate,
  );
  const pool = new SessionPool({
    factory: opts.driverFactory ?? driverFactoryFor({ linux: { settings: settings.linux } }),
    maxOpen: settings.limits.max_sessions,
    idleMs: settings.limits.session_idle_sec * 1000,
  });
  // Where device work runs, chosen once: this process's pool, or the agents (exec as jobs, every
  // other operation on a remote driver session on the node's agent).
  const access: DeviceAccess = { scheduler, withDriver: agents?.sessions.withDriver ?? pool.withDriver.bind(pool) };
  const execDispatch = agents?.dispatcher ?? localExecDispatcher(access);
  const backups = new BackupsRepo(database.db);
  const retention = { keep: settings.backup.keepVersions, keepDays: settings.backup.keepDays };
  const changes = new ChangeService({
    saveBackup: (node, running, origin, takenBy) =>
      backups.save({ lab: node.lab, name: node.name, content: running, secrets: [node.credentials.password], takenBy, reason: origin, ...retention }),
    db: database.db,
    audit,
    withDriver: access.withDriver,
    scheduler,
    logger,
    expiryMinutes: settings.changes.expiryMinutes,
    defaultConfirmMinutes: settings.changes.confirmMinutes,
    resolveNode: (ref) => inventory.nodes().find((n) => n.lab === ref.lab && n.name === ref.name),
  });
  const factsRepo = new NodeFactsRepo(database.db);
  const facts = new NodeFactsService({
    repo: factsRepo,
    access,
    maxAgeMs: settings.facts.maxAgeMinutes * 60_000,
    perNodeTimeoutMs: settings.limits.exec_timeout_sec * 1000,
    logger,
  });
  // After a commit the nodes that committed report new facts (a new version, a hostname): read
  // them again in the background, so the change's result is not held up and a failure here never fails it.
  changes.onTransition((from, _to, change) => {
    if (from !== 'applying') return;
    const committed = new Set(change.targets.filter((t) => t.apply.status === 'committed').map((t) => t.key));
    facts.refreshLater(inventory.nodes().filter((n) => committed.has(nodeKey(n))));
  });
  const runner = new RequestRunner({
    inventory,
    access,
    exec: execDispatch,
    audit,
    executions,
    changes,
    policy: () => policy,
    configsDir: settings.configsDir,
    limits: {
      execTimeoutSec: settings.limits.exec_timeout_sec,
      requestDeadlineSec: settings.limits.request_deadline_sec,
      output: { perNodeBytes: settings.limits.max_output_per_node_mib * MIB, perRequestBytes: settings.limits.max_output_per_request_mib * MIB },
    },
    logger,
    rateLimiter: agents?.shared?.requests ?? new UserRateLimiter(settings.limits.per_user_per_minute),
    nodeRateLimiter:
      agents?.shared?.nodes ?? new UserRateLimiter(settings.limits.per_user_nodes_per_minute, Date.now, `touch ${settings.limits.per_user_nodes_per_minute} nodes`),
    backups: { repo: backups, keepVersions: settings.backup.keepVersions, keepDays: settings.backup.keepDays },
    facts: { service: facts, maxAgeMinutes: settings.facts.maxAgeMinutes },
  });

  const home = new HomeService({ runner, changes, facts: factsRepo, executions, threads: new RequestThreadsRepo(database.db) });

  // A long-running front end owns the background duties: changes left `applying` by a crash
  // become `unknown` (their threads are told through onTransition), and open changes expire.
  // With several replicas on PostgreSQL one of them does each sweep (the others skip it).
  const exclusive = exclusiveFor(database);
  let sweepTimer: NodeJS.Timeout | undefined;
  if (opts.watch) {
    sweepTimer = setInterval(() => {
      exclusive
        .run('change-sweep', async () => {
          await changes.sweeper.expireDue().catch((err: unknown) => logger.error({ err }, 'expiring changes failed'));
          // Another process (a CLI, a replica) that died mid-apply: its lease runs out, its change is resolved here.
          await changes.sweeper.recoverAfterCrash().catch((err: unknown) => logger.error({ err }, 'recovering changes failed'));
        })
        .catch((err: unknown) => logger.error({ err }, 'the change sweep could not take its lock'));
    }, 30_000);
    sweepTimer.unref();
  }

  let closed = false;
  return {
    settings,
    logger,
    database,
    audit,
    executions,
    inventory,
    pool,
    scheduler,
    runner,
    changes,
    facts,
    home,
    exclusive,
    shared: agents?.shared,
    policy: () => policy,
    async recoverChanges() {
      let recovered: ChangeView[] = [];
      let expired: ChangeView[] = [];
      // A replica starting while another sweeps leaves the work to it.
      await exclusive.run('change-sweep', async () => {
        recovered = await changes.sweeper.recoverAfterCrash();
        expired = await changes.sweeper.expireDue();
      });
      if (recovered.length > 0) logger.warn({ changes: recovered.map((c) => c.ref) }, 'changes left applying by a previous run are now unknown');
      return [...recovered, ...expired];
    },
    async close(options: CloseOptions = {}) {
      if (closed) return;
      closed = true;
      clearInterval(sweepTimer);
      policyWatcher?.close();
      // Facts read after a commit are stored before the sessions and the database close.
      await facts.settle();
      await scheduler.stop();
      await execDispatch.close();
      await agents?.sessions.close();
      agents?.link.close();
      await agents?.limits.close();
      await pool.close(options);
      inventory.close();
      await database.close();
    },
  };
}

const MIB = 1024 * 1024;

/** This host's labs: the lab directories, and `containerlab inspect` when it is on PATH. */
async function localLabs(settings: Settings, opts: CreateAppOptions, logger: Logger): Promise<LabRegistry> {
  // containerlab on PATH: its inspect output is a source too (deployed labs outside the lab dirs),
  // unless the caller named the labs to read (the CLI's --labs).
  const clab = opts.labs ? undefined : await findContainerlab();
  const inspectTexts = clab
    ? async () => {
        const r = await inspectAll(clab);
        if (r.problem) logger.warn(r.problem);
        return r.source ? [r.source] : [];
      }
    : undefined;
  const inventory = new LabRegistry(opts.labs ?? settings.labs, {
    // `file:` secrets in clab-bot.yaml are relative to that file, like its other paths.
    ...(settings.configFile ? { baseDir: dirname(settings.configFile) } : {}),
    ...(inspectTexts ? { texts: inspectTexts, inspect: true } : {}),
    overrides: settings.credentials,
    watch: opts.watch ?? false,
    pollIntervalMs: opts.watch ? 5000 : 0,
    onReload: (inv) => {
      for (const node of inv.nodes) registerSecret(node.credentials.password);
      for (const w of inv.warnings) logger.warn({ file: w.file }, w.message);
    },
    onError: (err) => logger.error({ err }, 'lab inventory reload failed; keeping the previous inventory'),
  });
  const first = await inventory.load();
  for (const node of first.nodes) registerSecret(node.credentials.password);
  return inventory;
}

/** The PostgreSQL + Redis mode: the agents' inventories, and exec through their queues. */
async function fleetOf(settings: Settings, database: DatabaseHandle, opts: CreateAppOptions, logger: Logger) {
  const repo = new AgentsRepo(database.db, database.dialect);
  const lostAfterMs = settings.agents.lostAfterSec * 1000;
  const inventory = new FleetInventory(repo, { lostAfterMs });
  await inventory.load();
  if (opts.watch) inventory.refreshEvery(settings.agents.heartbeatSec * 1000, (err) => logger.error({ err }, 'reading the agents failed; keeping the last list'));
  // Loaded only in this mode: the one-process mode and its one-shot verbs never load BullMQ or ioredis.
  const [{ AgentExecDispatcher }, { AgentSessions }, { RedisLink }] = await Promise.all([
    import('./agents/dispatcher.js'),
    import('./agents/remote-driver.js'),
    import('./agents/redis-link.js'),
  ]);
  const link = new RedisLink(settings.redis!, logger);
  const timing = { repo, heartbeatMs: settings.agents.heartbeatSec * 1000, lostAfterMs, logger };
  // A long-running front end (serve) holds rate limits and Slack pacing with the other replicas from the start;
  // a one-shot verb connects them only if it drives a device itself (a remote session).
  const limits = new FleetLimits({ redisUrl: settings.redis!, limits: settings.limits, scope: hostname(), logger });
  const shared = opts.watch ? await limits.open() : undefined;
  return { inventory, link, dispatcher: new AgentExecDispatcher({ link, ...timing }), sessions: new AgentSessions({ link, ...timing }), limits, shared };
}

/** The password of a `postgres://` or `redis://user:PASSWORD@host/…` URL, decoded; undefined for SQLite or none. */
function urlPassword(url: string | undefined): string | undefined {
  if (url === undefined || !/^(postgres(ql)?|rediss?):\/\//.test(url)) return undefined;
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}
