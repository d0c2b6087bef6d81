import type { DriverCapabilities, DriverTraits } from '../drivers/contract.js';
import type { WireError } from './wire-errors.js';

/**
 * A remote driver session between the bot and an agent. The bot pushes messages onto the agent's
 * inbox (a Redis list the agent pops); the agent pushes replies onto the bot process's reply list.
 * Every key lives SESSION_KEY_TTL_SEC after its last push and every element is popped once read:
 * replies carry running configurations (with their secrets) in transit, and none outlives its reader.
 */
export type InboxMessage =
  /** Open a session on `node` (`lab/node` as the agent names it): one lease on the agent's pooled driver until `close`. */
  | { readonly t: 'open'; readonly s: string; readonly id: string; readonly node: string; readonly replyTo: string; readonly idleMs: number }
  /** One driver call: `args` are the method's arguments, its options last (without the signal). */
  | { readonly t: 'call'; readonly s: string; readonly id: string; readonly method: RemoteMethod; readonly args: readonly unknown[]; readonly replyTo: string }
  /** Abort call `id` of session `s` (the bot's signal fired). */
  | { readonly t: 'cancel'; readonly s: string; readonly id: string }
  /** The bot's work with the session is over: the lease is released. */
  | { readonly t: 'close'; readonly s: string }
  /** Abort exec job `job` (its requester was cancelled): its nodes still running end cancelled. */
  | { readonly t: 'cancel-job'; readonly job: string };

export type Reply =
  | { readonly id: string; readonly ok: true; readonly value: unknown }
  | { readonly id: string; readonly ok: false; readonly error: WireError };

/** What the agent says when a session opens: the driver as the bot's code sees it. */
export interface OpenedSession {
  readonly capabilities: DriverCapabilities;
  readonly traits: DriverTraits;
  /** The optional methods the agent's driver has. */
  readonly has: { readonly commitStatus: boolean; readonly commitHistory: boolean };
  /** The agent's process id: a different one in the agents table later means the agent restarted. */
  readonly pid: number;
}

/** Driver methods that run on the agent, with their argument counts (the options are the last argument). */
export const REMOTE_METHODS = {
  exec: 2,
  plan: 3,
  apply: 2,
  confirm: 1,
  rollback: 2,
  undoLastCommit: 1,
  facts: 1,
  commitStatus: 2,
  runningConfig: 1,
  commitHistory: 1,
} as const;
export type RemoteMethod = keyof typeof REMOTE_METHODS;

export function isRemoteMethod(m: unknown): m is RemoteMethod {
  return typeof m === 'string' && Object.hasOwn(REMOTE_METHODS, m);
}

/** The list an agent takes session messages from. */
export function agentInboxKey(agentId: string): string {
  return `clab-bot:agent:${agentId}:inbox`;
}

/** The list one bot process (a serve replica, a terminal verb) takes its replies from. */
export function replyListKey(processId: string): string {
  return `clab-bot:replies:${processId}`;
}

/** Inbox and reply lists expire this long after their last push: nothing waits in Redis for a reader that is gone. */
export const SESSION_KEY_TTL_SEC = 60;

/** An agent ends a session nobody called for this long (the bot died, or forgot to close it). */
export const DEFAULT_SESSION_IDLE_MS = 60_000;
/** The longest idle time a bot may ask for. */
export const MAX_SESSION_IDLE_MS = 600_000;
