import type { ChangeCommits, CommitStatus, DeviceCommit } from '../contract.js';
import type { RpcReply } from '../netconf/reply.js';
import { attr, child, findAll, text } from '../netconf/xml-tree.js';
import { clockTime } from '../../util/clock-time.js';

/** One `<commit-history>` entry of `<get-commit-information/>`. */
interface CommitEntry {
  /** 0 = newest. */
  readonly sequence: number;
  readonly user: string;
  readonly client: string;
  /** Seconds since the epoch (`junos:seconds`), when the device gave them. */
  readonly seconds: number | undefined;
  /** The device's time as it prints it: `2026-12-07 01:02:03 UTC`. */
  readonly time: string;
  /** Junos' own note: `commit confirmed, rollback in 5mins`. */
  readonly comment: string;
  /** The `<log>` the committer gave (the bot's `clab-bot #12 by …`). */
  readonly log: string;
}

const CONFIRMED = /commit confirmed, rollback in (\d+) ?mins?/i;

/**
 * What `<get-commit-information/>` says about one change (pure). The bot writes its commit
 * comment as the `<log>` of every commit it makes (the commit confirmed and the confirming
 * commit alike), so the newest entry of the change tells:
 *  - none: never committed (within the history the device keeps);
 *  - its own undo (a failed check rolled back): not committed;
 *  - a plain commit (the confirm, or a commit without --confirm): committed;
 *  - a commit confirmed with nothing after it: waiting for its confirm, rolling back at its time + N min;
 *  - a commit confirmed followed by a commit by root via `other`: Junos' automatic rollback, not committed;
 *  - a commit confirmed followed by anyone else's commit: that commit confirmed it, committed.
 */
export function commitStatusOf(reply: RpcReply, change: ChangeCommits): CommitStatus {
  const entries = findAll(reply.body, 'commit-history')
    .map(entryOf)
    .sort((a, b) => a.sequence - b.sequence);
  const index = entries.findIndex((e) => change.classify(e.log) !== undefined);
  const ref = `#${change.changeId}`;
  if (index === -1) {
    return entries.length === 0
      ? { state: 'cannot-tell', detail: 'the device returned no commit history' }
      : { state: 'not-committed', detail: `no commit of ${ref} in the device's commit history (${entries.length} commits): it was never committed` };
  }
  const ours = entries[index] as CommitEntry;
  if (change.classify(ours.log) === 'undo') {
    return { state: 'not-committed', detail: `committed, then rolled back by clab-bot after its check failed (${ours.time})` };
  }
  const confirmed = CONFIRMED.exec(ours.comment);
  if (confirmed === null) return { state: 'committed', detail: `committed at ${ours.time} (commit ${ours.sequence} in its history), confirmed` };
  const minutes = Number(confirmed[1]);
  const next = entries[index - 1];
  if (next === undefined) {
    const rollsBackAt = ours.seconds === undefined ? undefined : new Date((ours.seconds + minutes * 60) * 1000).toISOString();
    const when = rollsBackAt === undefined ? `within ${minutes} min of ${ours.time}` : `at ${clockTime(rollsBackAt)}`;
    return {
      state: 'pending-confirm',
      rollsBackAt,
      detail: `committed with commit confirmed at ${ours.time}; the confirm did not arrive: the device rolls back ${when} unless confirmed`,
    };
  }
  if (next.user === 'root' && next.client === 'other') {
    return {
      state: 'not-committed',
      detail: `committed with commit confirmed at ${ours.time}; the confirm did not arrive and the device rolled back by itself at ${next.time}`,
    };
  }
  return { state: 'committed', detail: `committed with commit confirmed at ${ours.time}; confirmed by a later commit (by ${next.user} at ${next.time})` };
}

/** The `<commit-history>` entries of `<get-commit-information/>`, newest first (pure). */
export function commitHistoryOf(reply: RpcReply): DeviceCommit[] {
  return findAll(reply.body, 'commit-history')
    .map(entryOf)
    .sort((a, b) => a.sequence - b.sequence)
    .map((e) => ({ user: e.user, client: e.client, time: e.time, comment: e.log }));
}

function entryOf(node: unknown): CommitEntry {
  const field = (name: string) => text(child(node, name))?.trim() ?? '';
  const dateTime = child(node, 'date-time');
  const seconds = Number(attr(dateTime, 'seconds'));
  const sequence = Number(field('sequence-number'));
  return {
    sequence: Number.isFinite(sequence) ? sequence : Number.MAX_SAFE_INTEGER,
    user: field('user'),
    client: field('client'),
    seconds: Number.isFinite(seconds) && attr(dateTime, 'seconds') !== undefined ? seconds : undefined,
    time: text(dateTime)?.trim() ?? 'an unknown time',
    comment: field('comment'),
    log: field('log'),
  };
}
