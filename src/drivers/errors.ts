import { ClabBotError } from '../errors.js';

export type DriverErrorCode =
  | 'unreachable'
  | 'auth_failed'
  | 'timeout'
  | 'rejected'
  | 'locked'
  | 'stale'
  | 'unsupported'
  | 'connection_lost'
  | 'agent_lost'
  | 'cancelled';

export interface DriverErrorContext {
  readonly node: string;
  readonly operation: string;
  readonly cause?: unknown;
}

/** Base of every driver failure: carries the node, the operation and the original cause. */
export class DriverError extends ClabBotError {
  declare readonly code: DriverErrorCode;
  readonly node: string;
  readonly operation: string;
  /** The device's own error messages, verbatim (rpc-error/error-message, JSON-RPC error text). */
  readonly deviceErrors: readonly string[];

  constructor(code: DriverErrorCode, message: string, ctx: DriverErrorContext, deviceErrors: readonly string[] = []) {
    super(code, message, ctx.cause === undefined ? {} : { cause: ctx.cause });
    this.node = ctx.node;
    this.operation = ctx.operation;
    this.deviceErrors = deviceErrors;
  }
}

export class UnreachableError extends DriverError {
  constructor(ctx: DriverErrorContext, detail: string) {
    super('unreachable', `${ctx.node} is unreachable: ${detail}`, ctx);
  }
}
export class AuthFailedError extends DriverError {
  constructor(ctx: DriverErrorContext, username: string) {
    super('auth_failed', `${ctx.node} refused the login for user ${username}: check the credentials in the nornir inventory or clab-bot.yaml`, ctx);
  }
}
export class TimeoutError extends DriverError {
  /** `hint` continues the sentence with what the timeout means (e.g. that the device is up but slow). */
  constructor(ctx: DriverErrorContext, ms: number, hint?: string) {
    super('timeout', `${ctx.node} did not answer ${ctx.operation} within ${Math.round(ms / 100) / 10} s${hint === undefined ? '' : `: ${hint}`}`, ctx);
  }
}
export class RejectedError extends DriverError {
  constructor(ctx: DriverErrorContext, deviceErrors: readonly string[]) {
    super('rejected', `${ctx.node} rejected ${ctx.operation}: ${deviceErrors.join('; ') || 'no reason given'}`, ctx, deviceErrors);
  }
}
export class LockedError extends DriverError {
  constructor(ctx: DriverErrorContext, detail: string) {
    super('locked', `${ctx.node}: configuration is locked (${detail})`, ctx);
  }
}
export class StaleError extends DriverError {
  constructor(ctx: DriverErrorContext) {
    super('stale', `${ctx.node}: the configuration changed since the plan was approved; re-plan and approve again`, ctx);
  }
}
export class UnsupportedError extends DriverError {
  constructor(ctx: DriverErrorContext, what: string) {
    super('unsupported', `${ctx.node}: ${what} is not supported by this driver`, ctx);
  }
}
/** The session died mid-call: the outcome on the device is unknown (never retried for config). */
export class ConnectionLostError extends DriverError {
  /**
   * False only when the session was already gone before the request left this process: nothing
   * reached the device, so the call may be retried on a new session. True (the default) means unknown.
   */
  readonly requestSent: boolean;
  /** `agent_lost`: the link that died is the one to the agent holding the session (src/agents), not the device's own. */
  constructor(ctx: DriverErrorContext, detail: string, options: { requestSent?: boolean; code?: 'connection_lost' | 'agent_lost' } = {}) {
    super(options.code ?? 'connection_lost', `${ctx.node}: connection lost during ${ctx.operation} (${detail})`, ctx);
    this.requestSent = options.requestSent ?? true;
  }
}
export class CancelledError extends DriverError {
  constructor(ctx: DriverErrorContext) {
    super('cancelled', `${ctx.node}: ${ctx.operation} was cancelled`, ctx);
  }
}
