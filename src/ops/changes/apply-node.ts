import type { ChangeCommits, ConfigMethod, Driver, NodeSource } from '../../drivers/contract.js';
import { CancelledError, ConnectionLostError, DriverError, StaleError, TimeoutError } from '../../drivers/errors.js';
import { ClabBotError } from '../../errors.js';
import { clockTime } from '../../util/clock-time.js';
import { withRunningSecrets } from './masked-secrets.js';
import { changeRef, CheckFailedError, CommitOutcomeUnknownError } from './errors.js';

export interface NodeApplyInput {
  readonly changeId: number;
  /** `lab/node`, for messages. */
  readonly key: string;
  /** What this node loads (its own rendering when the change came from a template). */
  readonly source: NodeSource;
  readonly method: ConfigMethod;
  /** The diff hash the approvers saw. */
  readonly expectDiffHash: string;
  readonly confirmMinutes: number;
  readonly comment: string;
  readonly check: string | undefined;
  readonly signal: AbortSignal;
  /** Stores the running configuration; awaited before anything is committed. */
  readonly saveBeforeConfig: (text: string) => Promise<void>;
  /** Stores the running configuration once the commit stands (confirmed); a failure here is a warning, never a failed node. */
  readonly saveAfterConfig?: (text: string) => Promise<void>;
  /** The change service's clock: when a commit confirmed lands, its rollback time follows. */
  readonly now?: () => Date;
}

export interface NodeApplyValue {
  readonly committed: boolean;
  readonly commitId: string | undefined;
  /** Commits made: 0 (nothing to change), 1 (plain), 2 (commit confirmed, then the confirming commit). */
  readonly commits: number;
  /** Set when the node is committed but something after the commit went wrong (kept, not rolled back). */
  readonly problem: string | undefined;
  readonly warnings: readonly string[];
}

/**
 * The confirm after a passing check failed for a reason other than lost contact: the commit
 * confirmed is live on the device until it rolls back by itself at `rollsBackAt`.
 */
export class ConfirmFailedError extends ClabBotError {
  constructor(key: string, rollsBackAt: Date, cause: DriverError) {
    super(
      'confirm_failed',
      `${key}: committed with commit confirmed, but the confirm did not arrive (${cause.message}): the device rolls back to the previous configuration by itself at ${clockTime(rollsBackAt)} unless confirmed`,
      { cause },
    );
  }
}


/**
 * One node's part of an approved change, on a driver from the pool:
 * save running config → apply (fresh diff must match the approved hash, else StaleError) →
 * optional check → confirm. Never retries a commit. Errors that leave the commit's fate unknown
 * (contact lost, timeout, cancellation while it was in flight) become CommitOutcomeUnknownError.
 */
export async function applyOnNode(driver: Driver, input: NodeApplyInput): Promise<NodeApplyValue> {
  const call = { signal: input.signal };
  await input.saveBeforeConfig(await driver.runningConfig(call));

  const confirmMinutes = driver.capabilities.commitConfirmed ? input.confirmMinutes : 0;
  // The change keeps the user's minutes; the contract takes seconds and each driver converts.
  const confirmSeconds = confirmMinutes * 60;
  // A candidate with masked values (a restored backup) takes the device's secrets, read before the commit.
  const source = await withRunningSecrets(driver, input.source, input.signal);
  const clock = input.now ?? (() => new Date());
  // If contact is lost while a commit confirmed is on its way, the device rolls back by itself (at the latest) then.
  const rollsBackIfLost = confirmMinutes > 0 ? new Date(clock().getTime() + confirmMinutes * 60_000) : undefined;
  const result = await inFlight(
    driver,
    input,
    () => driver.apply(source, { ...call, method: input.method, expectDiffHash: input.expectDiffHash, confirmSeconds, comment: input.comment }),
    rollsBackIfLost,
    'commit',
  );
  if (!result.committed) return { committed: false, commitId: undefined, commits: 0, problem: undefined, warnings: result.warnings };
  // From here a commit confirmed is live: unless confirmed, the device rolls back at this time.
  const rollsBackAt = new Date(clock().getTime() + confirmMinutes * 60_000);

  if (input.check !== undefined) {
    try {
      await driver.exec(input.check, call);
    } catch (err) {
      return checkFailed(driver, input, err, result.pendingConfirm ? { minutes: confirmMinutes, rollsBackAt } : undefined, result.commitId, result.warnings);
    }
  }
  if (result.pendingConfirm) {
    try {
      await inFlight(driver, input, () => driver.confirm({ ...call, comment: input.comment }), rollsBackAt);
    } catch (err) {
      if (err instanceof DriverError) throw new ConfirmFailedError(input.key, rollsBackAt, err);
      throw err;
    }
  }
  const commits = result.pendingConfirm && driver.traits.confirmIsCommit !== false ? 2 : 1;
  const warnings = [...result.warnings];
  if (input.saveAfterConfig !== undefined) {
    try {
      await input.saveAfterConfig(await driver.runningConfig(call));
    } catch (err) {
      // The commit stands; only its after-commit backup (the next drift check's baseline) is missing.
      warnings.push(`the configuration after the commit was not saved as a backup (${err instanceof Error ? err.message : String(err)}): run \`backup ${input.key.split('/')[1] ?? input.key}\``);
    }
  }
  return { committed: true, commitId: result.commitId, commits, problem: undefined, warnings };
}

/** The comment every commit of a change carries: who asked and who approved, then the user's own words. */
export function commitComment(changeId: number, requester: string, approvers: readonly string[], comment: string | undefined): string {
  const base = `clab-bot ${changeRef(changeId)} by ${requester} approved by ${approvers.join(', ') || 'nobody'}`;
  return comment === undefined || comment.trim() === '' ? base : `${base}: ${comment.trim()}`;
}

/** The comment of the commit that undoes a change's plain commit after its check failed. */
function undoComment(changeId: number): string {
  return `clab-bot ${changeRef(changeId)}: check failed, rolled back`;
}

/** How a driver finds this change's commits in the device's history, by the comments above. */
export function changeCommits(changeId: number): ChangeCommits {
  const commit = `clab-bot ${changeRef(changeId)} by `;
  const undo = undoComment(changeId);
  return { changeId, classify: (comment) => (comment.startsWith(commit) ? 'commit' : comment.startsWith(undo) ? 'undo' : undefined) };
}

/**
 * Runs a commit-bearing call; lost contact or time while it runs means nobody knows whether it
 * landed. `pendingUntil`: a commit confirmed that rolls back then unless confirmed is involved:
 * the one being committed (`during` commit) or the live one being confirmed.
 */
async function inFlight<T>(driver: Driver, input: NodeApplyInput, call: () => Promise<T>, pendingUntil?: Date, during: 'commit' | 'confirm' = 'confirm'): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (outcomeUnknown(err)) {
      throw new CommitOutcomeUnknownError(
        input.key,
        input.changeId,
        err,
        driver.traits.commitHistoryCommand,
        pendingUntil === undefined ? undefined : clockTime(pendingUntil),
        during,
      );
    }
    throw err;
  }
}

function outcomeUnknown(err: unknown): boolean {
  if (err instanceof StaleError) return false;
  if (err instanceof ConnectionLostError) return err.requestSent;
  return err instanceof TimeoutError || err instanceof CancelledError;
}

/**
 * The check failed after the commit. A commit confirmed is left unconfirmed: the device rolls
 * back by itself when the timer runs out. A plain commit (driver without commit confirmed, or
 * --confirm 0) is undone right away with the driver's own undo (Junos rollback 1, a checkpoint elsewhere).
 */
async function checkFailed(
  driver: Driver,
  input: NodeApplyInput,
  err: unknown,
  pending: { readonly minutes: number; readonly rollsBackAt: Date } | undefined,
  commitId: string | undefined,
  warnings: readonly string[],
): Promise<NodeApplyValue> {
  const detail = err instanceof Error ? err.message : String(err);
  const check = input.check ?? '';
  if (pending !== undefined) {
    throw new CheckFailedError(
      input.key,
      check,
      detail,
      `the commit was not confirmed, so ${input.key} rolls back to the previous configuration by itself within ${pending.minutes} min (at ${clockTime(pending.rollsBackAt)}); until then the change is live`,
      err,
    );
  }
  try {
    await driver.undoLastCommit({ signal: input.signal, comment: undoComment(input.changeId) });
  } catch (rollbackErr) {
    if (outcomeUnknown(rollbackErr)) throw new CommitOutcomeUnknownError(input.key, input.changeId, rollbackErr, driver.traits.commitHistoryCommand);
    const why = rollbackErr instanceof Error ? rollbackErr.message : String(rollbackErr);
    // The commit stands: report it as committed, with the failure next to it.
    return {
      committed: true,
      commitId,
      commits: 1,
      problem: `check \`${check}\` failed (${detail}) and rolling back failed (${why}): the change is still in place; roll back by hand`,
      warnings,
    };
  }
  throw new CheckFailedError(input.key, check, detail, 'the commit was rolled back to the configuration before it', err);
}
