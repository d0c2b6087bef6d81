import type { Generated } from 'kysely';

/** One row per event: request, decision, exec, plan, approval, commit, failure. Append-only. Never secrets. */
export interface AuditLogTable {
  id: Generated<number>;
  /** ISO-8601 UTC; text so SQLite and Postgres sort alike. */
  at: string;
  request_id: string;
  /** Slack user id (U…) or `terminal:<os user>`. */
  actor: string;
  actor_name: string | null;
  /** Slack channel id, or `terminal`. */
  channel: string | null;
  /** request | decision | exec | plan | approve | reject | commit | rollback | failure ... */
  event: string;
  /** The verb of the request (exec, config, ...). */
  verb: string | null;
  /** Canonical request text, redacted. */
  command: string | null;
  /** JSON array of `lab/node`. */
  targets: string;
  /** ok | denied | failed | partial | ... */
  outcome: string;
  /** JSON object, redacted: reason, error codes, counts. */
  detail: string | null;
}

/** One row per node per exec: what ran where, how long, how it ended (output itself is not kept). */
export interface ExecutionsTable {
  id: Generated<number>;
  request_id: string;
  lab: string;
  node: string;
  command: string;
  ok: number;
  error_code: string | null;
  duration_ms: number;
  output_bytes: number;
  started_at: string;
}

/** One change request (DESIGN.md §6). Shown to users as #id. `version` makes every state write compare-and-set. */
export interface ChangeRequestsTable {
  id: Generated<number>;
  request_id: string;
  requester_id: string;
  requester_name: string | null;
  channel: string | null;
  thread_ts: string | null;
  root_ts: string | null;
  /** The message with the proposal's Approve/Reject buttons (migration 0012). */
  decision_ts: string | null;
  /** JSON array of `{lab, node}` (never credentials). */
  targets: string;
  /** text | device-file | rollback | template (path: the template file, sha256: its text's; renderings per node) */
  source_type: string;
  /** The configuration to load, as given: it is what gets committed, so it cannot be redacted. */
  source_content: string | null;
  source_format: string | null;
  source_sha256: string | null;
  source_path: string | null;
  rollback_index: number | null;
  method: string;
  /** 0 commits plainly. */
  confirm_minutes: number;
  check_command: string | null;
  comment: string | null;
  required_approvals: number;
  state: string;
  /** Why it ended where it did (terminal states), redacted. */
  reason: string | null;
  /** The change this one rolls back, if it came from the Rollback button. */
  rollback_of: number | null;
  created_at: string;
  expires_at: string;
  updated_at: string;
  version: number;
  /** The process applying the change (a lease owner id); null when nobody is. */
  owner_id: string | null;
  /** Until when the owner vouches for its apply (ISO-8601 UTC), renewed by its heartbeat. */
  lease_expires_at: string | null;
}

/** One row per target node of a change: its plan, and how its apply ended. Diffs and configs are redacted. */
export interface ChangeNodesTable {
  id: Generated<number>;
  change_id: number;
  lab: string;
  node: string;
  /** pending | ok | failed */
  plan_status: string;
  diff: string | null;
  /** sha256 of the real (unredacted) diff, from the driver: the approval is bound to it. */
  diff_hash: string | null;
  base: string | null;
  check_ok: number | null;
  /** JSON string arrays. */
  check_warnings: string;
  check_errors: string;
  /** JSON `{code, message, deviceErrors}`. */
  plan_error: string | null;
  /** 1 when the driver could commit confirmed at plan time, 0 when not; null on older rows (read as 1). */
  commit_confirmed: number | null;
  /** Running configuration saved just before the commit. */
  before_config: string | null;
  /** pending | committed | unchanged | stale | failed | unknown */
  apply_status: string;
  commit_id: string | null;
  /** Commits this change made on the node: 1 plain, 2 for commit confirmed + its confirm (the rollback number back to before). */
  commits: number;
  apply_error: string | null;
  planned_at: string | null;
  applied_at: string | null;
  /** A template change: this node's rendered text (redacted once the change is finished) and its sha256; null otherwise. */
  source_content: string | null;
  source_sha256: string | null;
}

export interface ChangeApprovalsTable {
  id: Generated<number>;
  change_id: number;
  approver_id: string;
  approver_name: string | null;
  at: string;
}

/** Every transition of every change: from (null when proposed), to, who, when, why. */
export interface ChangeEventsTable {
  id: Generated<number>;
  change_id: number;
  from_state: string | null;
  to_state: string;
  actor_id: string;
  actor_name: string | null;
  at: string;
  /** JSON object, redacted. */
  detail: string | null;
}

/** `lab/node` → the open change holding it. The primary key keeps a node in one open change, across processes. */
export interface ChangeLocksTable {
  lock_key: string;
  change_id: number;
  at: string;
}

/**
 * One saved running configuration of a node. `content` is the REDACTED text (src/redact): no
 * secret reaches the database, so a restored backup needs its secrets entered again.
 */
export interface ConfigBackupsTable {
  id: Generated<number>;
  lab: string;
  node: string;
  /** 1, 2, 3... per node; never reused, also after retention dropped older ones. */
  version: number;
  content: string;
  /** sha256 (hex) of `content` without the device's commit-stamp lines (configHash): what "changed" compares. */
  sha256: string;
  bytes: number;
  taken_at: string;
  taken_by: string;
  /** manual | ... (why it was taken). */
  reason: string;
}

/** The last facts each node reported (driver facts()), and the last failed read after them. */
export interface NodeFactsTable {
  lab: string;
  node: string;
  hostname: string | null;
  vendor: string | null;
  model: string | null;
  version: string | null;
  serial: string | null;
  uptime_seconds: number | null;
  /** ISO-8601 UTC of the read that gave the facts above. */
  read_at: string | null;
  error_code: string | null;
  error_message: string | null;
  error_at: string | null;
}

/** The root message of each chat request's thread, for links from the user's App Home. */
export interface RequestThreadsTable {
  request_id: string;
  user_id: string;
  channel: string;
  ts: string;
  /** The request as typed, redacted. */
  what: string;
  /** ISO-8601 UTC. */
  at: string;
}

/** A `clab-bot agent` on a containerlab host; heartbeat_ms is the database's clock. */
export interface AgentsTable {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  /** bigint: pg returns it as a string. */
  heartbeat_ms: string | number;
  stopped: number;
}

/** One node an agent serves (no credentials: they stay on the agent's host). */
export interface AgentNodesTable {
  agent_id: string;
  lab: string;
  node: string;
  long_name: string;
  kind: string;
  vendor: string;
  driver: string;
  mgmt_ipv4: string | null;
  mgmt_ipv6: string | null;
  /** JSON object. */
  labels: string;
  node_group: string | null;
  image: string | null;
}

/** One run of a scheduled job per cron tick, across replicas (migration 0012). */
export interface ScheduledRunsTable {
  job: string;
  tick: string;
  runner: string;
  at: string;
}

export interface Database {
  audit_log: AuditLogTable;
  executions: ExecutionsTable;
  change_requests: ChangeRequestsTable;
  change_nodes: ChangeNodesTable;
  change_approvals: ChangeApprovalsTable;
  change_events: ChangeEventsTable;
  change_locks: ChangeLocksTable;
  config_backups: ConfigBackupsTable;
  node_facts: NodeFactsTable;
  request_threads: RequestThreadsTable;
  agents: AgentsTable;
  agent_nodes: AgentNodesTable;
  scheduled_runs: ScheduledRunsTable;
}
