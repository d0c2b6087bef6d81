import { describe, expect, it } from 'vitest';
import { commitStatusOf } from '../../../../src/drivers/junos/commit-status.js';
import { parseRpcReply } from '../../../../src/drivers/netconf/reply.js';
import { changeCommits } from '../../../../src/ops/changes/apply-node.js';

interface Entry {
  user: string;
  client?: string;
  /** Seconds since the epoch. */
  at: number;
  comment?: string;
  log?: string;
}

const T0 = Date.parse('2026-12-07T01:00:00Z') / 1000;
const junosTime = (s: number) => `${new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** A `<get-commit-information/>` reply as Junos sends it: newest first, numbered from 0. */
function history(entries: readonly Entry[]): ReturnType<typeof parseRpcReply> {
  const items = entries
    .map(
      (e, i) =>
        `<commit-history><sequence-number>${i}</sequence-number><user>${e.user}</user><client>${e.client ?? 'netconf'}</client>` +
        `<date-time junos:seconds="${e.at}">${junosTime(e.at)}</date-time>${e.comment ? `<comment>${e.comment}</comment>` : ''}${e.log ? `<log>${e.log}</log>` : ''}</commit-history>`,
    )
    .join('');
  return parseRpcReply(
    `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:junos="http://xml.juniper.net/junos/23.2R1.14/junos" message-id="7"><commit-information>${items}</commit-information></rpc-reply>`,
  );
}

const BOOT: Entry = { user: 'root', client: 'other', at: T0 - 3600 };
const OURS = 'clab-bot #12 by alice approved by bob: uplink';
const CONFIRMED_5 = 'commit confirmed, rollback in 5mins';
const change = changeCommits(12);

describe('Junos commit history → what it says about change #12', () => {
  it('no commit of the change: never committed (a change #1 or #120 comment is not #12)', () => {
    const s = commitStatusOf(history([{ user: 'admin', at: T0, log: 'clab-bot #120 by alice approved by bob' }, { user: 'admin', at: T0 - 60, log: 'clab-bot #1 by alice approved by bob' }, BOOT]), change);
    expect(s).toEqual({ state: 'not-committed', detail: "no commit of #12 in the device's commit history (3 commits): it was never committed" });
  });

  it('a commit confirmed with nothing after it: waiting for its confirm, and when the device rolls back', () => {
    const s = commitStatusOf(history([{ user: 'admin', at: T0, comment: CONFIRMED_5, log: OURS }, BOOT]), change);
    expect(s).toEqual({
      state: 'pending-confirm',
      rollsBackAt: '2026-12-07T01:05:00.000Z',
      detail: 'committed with commit confirmed at 2026-12-07 01:00:00 UTC; the confirm did not arrive: the device rolls back at 01:05 UTC unless confirmed',
    });
  });

  it('the confirming commit after the commit confirmed: committed', () => {
    const s = commitStatusOf(history([{ user: 'admin', at: T0 + 2, log: OURS }, { user: 'admin', at: T0, comment: CONFIRMED_5, log: OURS }, BOOT]), change);
    expect(s.state).toBe('committed');
    expect(s.detail).toBe('committed at 2026-12-07 01:00:02 UTC (commit 0 in its history), confirmed');
  });

  it('a commit confirmed followed by root via other: the automatic rollback, not committed', () => {
    const s = commitStatusOf(history([{ user: 'root', client: 'other', at: T0 + 300 }, { user: 'admin', at: T0, comment: CONFIRMED_5, log: OURS }, BOOT]), change);
    expect(s).toEqual({
      state: 'not-committed',
      detail: 'committed with commit confirmed at 2026-12-07 01:00:00 UTC; the confirm did not arrive and the device rolled back by itself at 2026-12-07 01:05:00 UTC',
    });
  });

  it("a commit confirmed followed by someone else's commit: that commit confirmed it", () => {
    const s = commitStatusOf(history([{ user: 'carol', client: 'cli', at: T0 + 60 }, { user: 'admin', at: T0, comment: CONFIRMED_5, log: OURS }, BOOT]), change);
    expect(s.state).toBe('committed');
    expect(s.detail).toContain('confirmed by a later commit (by carol at 2026-12-07 01:01:00 UTC)');
  });

  it("the bot's own undo after a failed check is the newest: not committed", () => {
    const s = commitStatusOf(history([{ user: 'admin', at: T0 + 5, log: 'clab-bot #12: check failed, rolled back' }, { user: 'admin', at: T0, log: OURS }, BOOT]), change);
    expect(s.state).toBe('not-committed');
    expect(s.detail).toContain('rolled back by clab-bot after its check failed');
  });

  it('an empty history cannot tell', () => {
    expect(commitStatusOf(history([]), change).state).toBe('cannot-tell');
  });
});
