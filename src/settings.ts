import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve, dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Cron } from 'croner';
import * as z from 'zod';
import { SettingsError } from './errors.js';

/** Per lab / kind / node overrides of credentials and address. Secrets may be `env:VAR` or `file:PATH`. */
const overrideSchema = z
  .object({
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
  })
  .strict();

/** How the linux driver reaches a lab or node (README "Linux and FRR nodes"). */
const linuxNodeSchema = z
  .object({
    transport: z.enum(['auto', 'docker', 'ssh']).optional(),
    host_keys: z.enum(['record', 'pinned', 'accept']).optional(),
    identity_file: z.string().min(1).optional(),
    host_key: z.string().regex(/^\S+ [A-Za-z0-9+/]+=*$/, 'must be an OpenSSH public key line like "ssh-ed25519 AAAA..."').optional(),
  })
  .strict();

const linuxSchema = z
  .object({
    transport: z.enum(['auto', 'docker', 'ssh']).default('auto'),
    docker_host: z.string().regex(/^unix:\/\/\/.+/, 'must be unix:///path/to/docker.sock').optional(),
    known_hosts: z.string().min(1).optional(),
    host_keys: z.enum(['record', 'pinned', 'accept']).default('record'),
    identity_file: z.string().min(1).optional(),
    labs: z.record(z.string(), linuxNodeSchema.omit({ host_key: true })).default({}),
    nodes: z.record(z.string(), linuxNodeSchema).default({}),
  })
  .strict();

const limitsSchema = z
  .object({
    /** Operations in flight across all nodes. */
    global_concurrency: z.number().int().min(1).max(10_000).default(64),
    /** Operations at once on one node (devices dislike parallel NETCONF edits). */
    per_node_concurrency: z.number().int().min(1).max(16).default(1),
    /** Requests a user may start per minute before "slow down" (every verb but help and whoami, denied ones included). */
    per_user_per_minute: z.number().int().min(1).max(10_000).default(30),
    /** Nodes a user's requests may touch per minute: an exec or config costs one unit per target node. */
    per_user_nodes_per_minute: z.number().int().min(1).max(1_000_000).default(1000),
    exec_timeout_sec: z.number().min(1).max(3600).default(30),
    request_deadline_sec: z.number().min(1).max(7200).default(300),
    max_sessions: z.number().int().min(1).max(10_000).default(500),
    session_idle_sec: z.number().min(1).max(86_400).default(300),
    /** With Redis: a device slot of a killed process is given back this long after its last renewal. */
    shared_slot_lease_sec: z.number().min(1).max(3600).default(30),
    /** With Redis: longest wait for a device slot shared with the other agents and replicas. */
    shared_slot_wait_sec: z.number().min(1).max(7200).default(300),
    /** Slack Web API calls per second per channel (Slack allows about 1 message/s/channel). */
    slack_calls_per_sec_per_channel: z.number().min(0.1).max(100).default(1),
    /** Exec output kept per node; the rest is cut, and the result says so. */
    max_output_per_node_mib: z.number().min(0.01).max(256).default(16),
    /** Exec output kept per request, shared equally by its nodes (each keeps at most the per-node limit). */
    max_output_per_request_mib: z.number().min(0.01).max(1024).default(64),
  })
  .strict();

/** A five- or six-field cron pattern as croner reads it (checked here, so a typo fails at start, naming the key). */
const cronSchema = z.string().superRefine((pattern, ctx) => {
  try {
    new Cron(pattern, { paused: true, timezone: 'UTC' }).stop();
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a cron schedule like "0 2 * * *" (minute hour day month weekday): ${(err as Error).message}` });
  }
});

/** A Slack channel id (C…, G… or D…), the form the Web API takes. */
const channelSchema = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id like C0123ABCD (channel details, at the bottom)');

const fileSchema = z
  .object({
    labs: z.array(z.string().min(1)).default([]),
    configs_dir: z.string().min(1).optional(),
    db: z.string().min(1).optional(),
    /** redis://[user:pass@]host:port[/db]: the agents' job queues (with a postgres:// db). */
    redis: z.string().min(1).optional(),
    agents: z
      .object({
        /** How often an agent renews its row (and the leases it holds). */
        heartbeat_sec: z.number().min(0.2).max(300).default(5),
        /** An agent whose heartbeat is older than this is lost: its nodes' work ends "agent lost". */
        lost_after_sec: z.number().min(0.5).max(3600).default(20),
      })
      .strict()
      .default({ heartbeat_sec: 5, lost_after_sec: 20 }),
    policy: z.string().min(1).optional(),
    terminal_subject: z
      .string()
      .regex(/^user:[A-Z0-9]+$/i, 'must look like user:U0123ABC')
      .optional(),
    credentials: z
      .object({
        labs: z.record(z.string(), overrideSchema).default({}),
        kinds: z.record(z.string(), overrideSchema).default({}),
        nodes: z.record(z.string(), overrideSchema).default({}),
      })
      .strict()
      .default({ labs: {}, kinds: {}, nodes: {} }),
    limits: limitsSchema.default(limitsSchema.parse({})),
    linux: linuxSchema.default(linuxSchema.parse({})),
    changes: z
      .object({
        expiry_minutes: z.number().min(1).max(7 * 24 * 60).default(60),
        confirm_minutes: z.number().int().min(1).max(60).default(5),
      })
      .strict()
      .default({ expiry_minutes: 60, confirm_minutes: 5 }),
    backup: z
      .object({
        /** Versions kept per node; the oldest are dropped when a new one is saved. */
        keep_versions: z.number().int().min(1).max(10000).default(50),
        /** Versions older than this many days are dropped too (the newest never); unset keeps them by count only. */
        keep_days: z.number().int().min(1).max(36_500).optional(),
        /** `serve` backs up every node on this cron schedule (UTC), e.g. "0 2 * * *". */
        schedule: cronSchema.optional(),
        /** Where the scheduled backup posts its summary (a Slack channel id). */
        channel: channelSchema.optional(),
      })
      .strict()
      .refine((b) => b.schedule === undefined || b.channel !== undefined, { message: 'backup.schedule needs backup.channel: the channel its summary goes to', path: ['channel'] })
      .default({ keep_versions: 50 }),
    drift: z
      .object({
        /** `serve` checks every node for drift on this cron schedule (UTC), e.g. "0,30 * * * *". */
        schedule: cronSchema.optional(),
        /** The channel drifted nodes of a lab are posted to, by lab name; `channel` for labs not named here. */
        lab_channels: z.record(z.string(), channelSchema).default({}),
        channel: channelSchema.optional(),
      })
      .strict()
      .refine((d) => d.schedule === undefined || d.channel !== undefined || Object.keys(d.lab_channels).length > 0, {
        message: 'drift.schedule needs drift.channel or drift.lab_channels: where drifted nodes are posted',
        path: ['channel'],
      })
      .default({ lab_channels: {} }),
    facts: z
      .object({
        /** Node facts older than this are shown stale (`nodes --facts`). */
        max_age_minutes: z.number().min(0).max(365 * 24 * 60).default(60),
      })
      .strict()
      .default({ max_age_minutes: 60 }),
    slack: z
      .object({
        mode: z.enum(['socket', 'http']).optional(),
        port: z.number().int().min(0).max(65535).default(3000),
        api_url: z.string().url().optional(),
      })
      .strict()
      .default({ port: 3000 }),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export type CredentialOverride = z.infer<typeof overrideSchema>;
export type Limits = z.infer<typeof limitsSchema>;

export interface LinuxNodeSettings {
  readonly transport?: 'auto' | 'docker' | 'ssh';
  readonly hostKeys?: 'record' | 'pinned' | 'accept';
  /** Absolute path. */
  readonly identityFile?: string;
  readonly hostKey?: string;
}

/** Settings as resolved once at start (file, then environment on top). Nothing else reads env. */
export interface Settings {
  readonly configFile: string | undefined;
  readonly labs: readonly string[];
  readonly configsDir: string | undefined;
  readonly db: string;
  /** The Redis URL of the agents' queues (may hold a password: log it through describeRedis). */
  readonly redis: string | undefined;
  readonly agents: { readonly heartbeatSec: number; readonly lostAfterSec: number };
  readonly policy: string | undefined;
  readonly terminalSubject: string | undefined;
  readonly credentials: {
    readonly labs: Readonly<Record<string, CredentialOverride>>;
    readonly kinds: Readonly<Record<string, CredentialOverride>>;
    readonly nodes: Readonly<Record<string, CredentialOverride>>;
  };
  readonly limits: Limits;
  /** linux driver: transport per lab/node, Docker socket, SSH keys and host-key policy. */
  readonly linux: LinuxNodeSettings & {
    readonly dockerHost: string | undefined;
    /** Absolute path of the file where SSH host keys of linux nodes are recorded. */
    readonly knownHostsFile: string;
    readonly labs: Readonly<Record<string, LinuxNodeSettings>>;
    readonly nodes: Readonly<Record<string, LinuxNodeSettings>>;
  };
  readonly changes: { readonly expiryMinutes: number; readonly confirmMinutes: number };
  readonly backup: {
    readonly keepVersions: number;
    readonly keepDays: number | undefined;
    /** Cron pattern (UTC) of `serve`'s scheduled backup, and the channel for its summary. */
    readonly schedule: string | undefined;
    readonly channel: string | undefined;
  };
  readonly drift: {
    /** Cron pattern (UTC) of `serve`'s scheduled drift check. */
    readonly schedule: string | undefined;
    /** Channel id per lab name; `channel` for the others (undefined: not posted). */
    readonly labChannels: Readonly<Record<string, string>>;
    readonly channel: string | undefined;
  };
  /** `nodes --facts`: facts older than maxAgeMinutes are shown stale. */
  readonly facts: { readonly maxAgeMinutes: number };
  readonly slack: {
    readonly mode: 'socket' | 'http';
    readonly port: number;
    readonly apiUrl: string | undefined;
    readonly botToken: string | undefined;
    readonly appToken: string | undefined;
    readonly signingSecret: string | undefined;
  };
  readonly logLevel: z.infer<typeof fileSchema>['log_level'];
}

export interface LoadSettingsOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Explicit file; else CLAB_BOT_CONFIG; else ./clab-bot.yaml when it exists. */
  readonly configPath?: string;
  readonly cwd?: string;
}

/**
 * Where the SQLite file lives unless settings say otherwise: the user's state directory
 * ($XDG_STATE_HOME/clab-bot, else ~/.local/state/clab-bot), never the current directory, so any
 * verb runs from anywhere (a read-only checkout, /) and every run finds the same changes.
 */
function defaultDatabasePath(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_STATE_HOME;
  const state = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'clab-bot', 'clab-bot.db');
}

/** Reads clab-bot.yaml and the environment; a bad key throws SettingsError naming the key and the reason. */
export function loadSettings(opts: LoadSettingsOptions = {}): Settings {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const explicit = opts.configPath ?? env.CLAB_BOT_CONFIG;
  const configFile = explicit ? resolve(cwd, explicit) : existsSync(resolve(cwd, 'clab-bot.yaml')) ? resolve(cwd, 'clab-bot.yaml') : undefined;

  let raw: unknown = {};
  if (configFile) {
    let text: string;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (err) {
      throw new SettingsError('CLAB_BOT_CONFIG', `cannot read ${configFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (err) {
      throw new SettingsError(configFile, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new SettingsError(configFile, 'must be a YAML mapping of settings');
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys].join('.') : issue.path.join('.');
    const reason = issue.code === 'unrecognized_keys' ? 'unknown setting (check the spelling against README "Configuration")' : issue.message;
    throw new SettingsError(key || '(root)', reason);
  }
  const file = parsed.data;
  const base = configFile ? dirname(configFile) : cwd;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));

  const envLabs = (env.CLAB_LABS ?? '').split(':').filter(Boolean).map((p) => resolve(cwd, p));
  const slackMode = file.slack.mode ?? (env.SLACK_APP_TOKEN ? 'socket' : env.SLACK_SIGNING_SECRET ? 'http' : 'socket');
  const apiUrl = env.SLACK_API_URL ?? file.slack.api_url;
  if (apiUrl !== undefined && !/^https?:\/\/.+\/$/.test(apiUrl)) {
    throw new SettingsError('SLACK_API_URL', `must be an http(s) URL ending in "/" like https://slack.com/api/ (got ${apiUrl})`);
  }
  const db =
    env.CLAB_BOT_DB || (file.db ? (file.db.startsWith('sqlite:') ? `sqlite:${abs(file.db.slice(7))}` : file.db) : `sqlite:${defaultDatabasePath(env)}`);
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(db)) {
    throw new SettingsError('CLAB_BOT_DB', `must be sqlite:PATH or postgres://user:pass@host/db (got ${db.replace(/:[^:@/]*@/, ':***@')})`);
  }
  const redis = env.CLAB_BOT_REDIS || file.redis || undefined;
  if (redis !== undefined && !/^rediss?:\/\/[^/]/.test(redis)) {
    throw new SettingsError('CLAB_BOT_REDIS', `must be redis://[user:password@]host:port (got ${describeRedis(redis)})`);
  }
  if (redis !== undefined && db.startsWith('sqlite:')) {
    throw new SettingsError('CLAB_BOT_REDIS', 'the agents register in a shared database: set CLAB_BOT_DB=postgres://... too (or unset CLAB_BOT_REDIS for the one-process mode on SQLite)');
  }
  const heartbeatSec = env.CLAB_BOT_AGENT_HEARTBEAT_SEC ? Number(env.CLAB_BOT_AGENT_HEARTBEAT_SEC) : file.agents.heartbeat_sec;
  const lostAfterSec = env.CLAB_BOT_AGENT_LOST_AFTER_SEC ? Number(env.CLAB_BOT_AGENT_LOST_AFTER_SEC) : file.agents.lost_after_sec;
  if (!(heartbeatSec >= 0.2 && heartbeatSec <= 300)) throw new SettingsError('CLAB_BOT_AGENT_HEARTBEAT_SEC', 'must be a number of seconds from 0.2 to 300');
  if (!(lostAfterSec >= 2 * heartbeatSec && lostAfterSec <= 3600)) {
    throw new SettingsError('agents.lost_after_sec', `must be at least twice the heartbeat (${heartbeatSec} s) and at most 3600`);
  }
  const policy = env.CLAB_BOT_POLICY ? resolve(cwd, env.CLAB_BOT_POLICY) : file.policy ? abs(file.policy) : undefined;
  const logLevel = (env.CLAB_BOT_LOG_LEVEL as Settings['logLevel'] | undefined) ?? file.log_level;
  if (!fileSchema.shape.log_level.safeParse(logLevel).success) {
    throw new SettingsError('CLAB_BOT_LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent');
  }

  const linuxNode = (raw: z.infer<typeof linuxNodeSchema>): LinuxNodeSettings => ({
    ...(raw.transport === undefined ? {} : { transport: raw.transport }),
    ...(raw.host_keys === undefined ? {} : { hostKeys: raw.host_keys }),
    ...(raw.identity_file === undefined ? {} : { identityFile: abs(raw.identity_file) }),
    ...(raw.host_key === undefined ? {} : { hostKey: raw.host_key }),
  });
  const mapValues = <T>(record: Record<string, T>, fn: (v: T) => LinuxNodeSettings) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
  const dockerHost = file.linux.docker_host ?? env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== '' && !/^unix:\/\/\/.+/.test(dockerHost)) {
    throw new SettingsError('DOCKER_HOST', `must be unix:///path/to/docker.sock: run clab-bot on the containerlab host (got ${dockerHost})`);
  }
  const linux: Settings['linux'] = {
    // CLAB_BOT_SSH_IDENTITY wins over the file's global identity_file; per-lab and per-node keys still win over both.
    ...linuxNode({
      transport: file.linux.transport,
      host_keys: file.linux.host_keys,
      ...(file.linux.identity_file === undefined ? {} : { identity_file: file.linux.identity_file }),
    }),
    ...(env.CLAB_BOT_SSH_IDENTITY ? { identityFile: resolve(cwd, env.CLAB_BOT_SSH_IDENTITY) } : {}),
    dockerHost: dockerHost === '' ? undefined : dockerHost,
    knownHostsFile: file.linux.known_hosts ? abs(file.linux.known_hosts) : resolve(base, 'clab-bot-known-hosts'),
    labs: mapValues(file.linux.labs, linuxNode),
    nodes: mapValues(file.linux.nodes, linuxNode),
  };

  return {
    configFile,
    labs: [...envLabs, ...file.labs.map(abs)],
    configsDir: file.configs_dir ? abs(file.configs_dir) : undefined,
    db,
    redis,
    agents: { heartbeatSec, lostAfterSec },
    policy,
    terminalSubject: file.terminal_subject,
    credentials: file.credentials,
    limits: file.limits,
    linux,
    changes: { expiryMinutes: file.changes.expiry_minutes, confirmMinutes: file.changes.confirm_minutes },
    backup: { keepVersions: file.backup.keep_versions, keepDays: file.backup.keep_days, schedule: file.backup.schedule, channel: file.backup.channel },
    drift: { schedule: file.drift.schedule, labChannels: file.drift.lab_channels, channel: file.drift.channel },
    facts: { maxAgeMinutes: file.facts.max_age_minutes },
    slack: {
      mode: slackMode,
      port: env.PORT ? Number(env.PORT) : file.slack.port,
      apiUrl,
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
    },
    logLevel,
  };
}

/** A Redis URL with its password masked: safe for logs and messages. */
export function describeRedis(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
