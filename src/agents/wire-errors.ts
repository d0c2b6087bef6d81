import {
  AuthFailedError,
  CancelledError,
  ConnectionLostError,
  DriverError,
  LockedError,
  RejectedError,
  StaleError,
  TimeoutError,
  UnreachableError,
  UnsupportedError,
  type DriverErrorCode,
} from '../drivers/errors.js';
import { asClabBotError, ClabBotError } from '../errors.js';

/**
 * An error as it crosses between an agent and the bot: the class (by its stable code), the
 * user's message and hint, and the fields callers branch on (the device's own messages; for a lost
 * connection whether the request had left). The cause stays on the agent (it may hold a stack or a
 * socket); everything a user or a classifier reads travels.
 */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly hint?: string | undefined;
  /** Set for driver errors: the class is the one of `code`. */
  readonly driver?: {
    readonly node: string;
    readonly operation: string;
    readonly deviceErrors: readonly string[];
    /** ConnectionLostError only. */
    readonly requestSent?: boolean;
  };
}

/** Driver error classes by code: the bot rebuilds the agent's error as the same class. */
const DRIVER_CLASSES: Readonly<Record<DriverErrorCode, abstract new (...args: never[]) => DriverError>> = {
  unreachable: UnreachableError,
  auth_failed: AuthFailedError,
  timeout: TimeoutError,
  rejected: RejectedError,
  locked: LockedError,
  stale: StaleError,
  unsupported: UnsupportedError,
  connection_lost: ConnectionLostError,
  agent_lost: ConnectionLostError,
  cancelled: CancelledError,
};

export function errorToWire(err: unknown): WireError {
  const e = asClabBotError(err);
  const base = { code: e.code, message: e.message, ...(e.hint === undefined ? {} : { hint: e.hint }) };
  if (!(e instanceof DriverError)) return base;
  return {
    ...base,
    driver: {
      node: e.node,
      operation: e.operation,
      deviceErrors: e.deviceErrors,
      ...(e instanceof ConnectionLostError ? { requestSent: e.requestSent } : {}),
    },
  };
}

/**
 * The agent's error rebuilt on the bot: a driver error is an instance of its own class with the
 * agent's message, so outcome classification (stale, cancelled, request sent or not) and the
 * words the user reads are the ones of a local driver; anything else is a ClabBotError with its code.
 */
export function errorFromWire(w: WireError): ClabBotError {
  const cls = w.driver === undefined ? undefined : DRIVER_CLASSES[w.code as DriverErrorCode];
  if (cls === undefined || w.driver === undefined) return new ClabBotError(w.code, w.message, w.hint === undefined ? {} : { hint: w.hint });
  // The class's constructor composes its message from parts the wire does not carry (a timeout's
  // milliseconds, a hint): the instance is made from its prototype and given the agent's fields.
  const e = Object.create(cls.prototype as object) as DriverError;
  Object.assign(e, {
    name: cls.name,
    code: w.code,
    message: w.message,
    hint: w.hint,
    node: w.driver.node,
    operation: w.driver.operation,
    deviceErrors: [...w.driver.deviceErrors],
    ...(e instanceof ConnectionLostError ? { requestSent: w.driver.requestSent ?? true } : {}),
  });
  Error.captureStackTrace(e, errorFromWire);
  return e;
}
