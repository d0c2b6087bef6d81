import { LockedError, RejectedError, type DriverError, type DriverErrorContext } from '../errors.js';
import type { RpcError } from '../netconf/reply.js';
import { describeRpcError } from '../netconf/reply.js';

/** RFC 6241 Appendix A error-tags meaning "someone else holds the configuration". */
const LOCK_TAGS: ReadonlySet<string> = new Set(['lock-denied', 'in-use']);

/**
 * Junos reports some lock conflicts only in message text, with error-tag operation-failed.
 * These fragments are the one place device wording is matched (each says when Junos sends it);
 * everything else is classified from error-tag and error-info.
 */
const LOCK_MESSAGE_FRAGMENTS: readonly RegExp[] = [
  // lock-configuration or open-configuration private while another user holds an exclusive lock.
  /configuration database locked by/i,
  // lock-configuration, or private mode, while the shared candidate has uncommitted changes.
  /(?:shared )?configuration database modified/i,
  // open-configuration private while another session edits exclusively.
  /users currently editing the configuration/i,
];

export function isLockError(error: RpcError): boolean {
  if (error.tag !== undefined && LOCK_TAGS.has(error.tag)) return true;
  return LOCK_MESSAGE_FRAGMENTS.some((fragment) => fragment.test(error.message));
}

/**
 * The DriverError for a reply's error-severity entries: LockedError when any of them is a lock
 * conflict, RejectedError carrying every device message otherwise.
 */
export function errorFromRpcErrors(errors: readonly RpcError[], ctx: DriverErrorContext): DriverError {
  const lock = errors.find(isLockError);
  if (lock !== undefined) {
    const holder = lock.info['session-id'] === undefined ? '' : `, session ${lock.info['session-id']}`;
    return new LockedError(ctx, `${lock.message}${holder}`);
  }
  return new RejectedError(ctx, errors.map(describeRpcError));
}
