import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/db/audit-log.js';
import { waitUntil, type FakeMessage } from '../../fakes/slack/index.js';
import { designPolicy } from './design-policy.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/** The DESIGN.md §7 policy as written there, plus an admin. */
const POLICY = designPolicy();

const VIEWER = 'U0VIEW';
const OPERATOR = 'U0ALICE';
const APPROVER = 'U0LEAD';
const ADMIN = 'U0ADMIN';
const OUTSIDER = 'U0OUT';

let channels = 0;
/** A fresh channel per request, so each reply and root message is found without ambiguity. */
const channel = (): string => `C0P${++channels}`;

interface Button {
  readonly action_id: string;
  readonly value: string;
}

function buttons(m: FakeMessage): Button[] {
  return (m.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: Button[] }).elements : []));
}

/** The rows of a history table (header and rule dropped), one string per row. */
function historyRows(text: string): string[] {
  const lines = text.replace(/```/g, '').split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const header = lines.findIndex((l) => /^WHEN\s+WHO\s+EVENT\s+OUTCOME\s+COMMAND$/.test(l));
  expect(header, `a history table in:\n${text}`).toBeGreaterThanOrEqual(0);
  return lines.slice(header + 2);
}

/** One history row as its columns: WHEN (date and time), WHO, EVENT, OUTCOME, COMMAND. */
function columns(row: string): { who: string; event: string; outcome: string; command: string } {
  const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(row);
  expect(m, `a history row: ${row}`).not.toBeNull();
  return { who: m![1]!, event: m![2]!, outcome: m![3]!, command: m![4]!.trim() };
}

describe('permissions through Slack: a viewer, an operator, an approver and an admin under one policy', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({
      lab: 'dc1',
      nodes: 2,
      baseIp: '127.21.50.1',
      moreLabs: [{ lab: 'dc2', prefix: 's', nodes: 1, baseIp: '127.21.51.1' }],
      policy: POLICY,
      fake: {
        usergroups: [
          { id: 'S0NETOPS', handle: 'netops', users: [VIEWER] },
          { id: 'S0LEADS', handle: 'netops-leads', users: [APPROVER] },
        ],
      },
      // Membership is read again for every request, so a Slack failure shows on the next one.
      frontEnd: { userGroupsTtlMs: 1 },
    });
    writeFileSync(join(t.labsDir, 'desc.conf'), 'interfaces {\n    ge-0/0/0 {\n        description "to core";\n    }\n}\n');
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  /** A request whose answer is private (help, whoami, history, denials): that reply's text. */
  const ask = async (user: string, text: string, ch = channel()): Promise<string> => {
    await t.fake.sendSlashCommand({ text, channel_id: ch, user_id: user });
    return shownText(await waitUntil(() => t.fake.ephemerals(ch, user)[0], { what: `the reply to "${text}" in ${ch}` }));
  };
  /** A denied request: the reason shown, and nothing posted in the channel (nothing ran). */
  const denied = async (user: string, text: string): Promise<string> => {
    const ch = channel();
    const reply = await ask(user, text, ch);
    expect(reply).toMatch(/^:no_entry: Denied: /);
    expect(t.fake.messages(ch)).toEqual([]);
    return reply.replace(/^:no_entry: Denied: /, '');
  };
  /** A request that works on nodes: its root message (final state) and thread. */
  const runs = async (user: string, text: string): Promise<{ channel: string; root: FakeMessage; thread: string[] }> => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text, channel_id: ch, user_id: user });
    const root = await finishedRoot(t.fake, ch);
    return { channel: ch, root, thread: t.fake.thread(ch, root.ts).map((m) => shownText(m)) };
  };
  const audit = (): Promise<AuditRecord[]> => t.app.audit.query({ limit: 500 });

  describe('issue 5, done when', () => {
    it('a netops member runs show version on dc1, is denied a reboot with the reason, a non-member is denied, and all three are in /clab history', async () => {
      const ok = await runs(VIEWER, 'exec r1 show version');
      expect(shownText(ok.root)).toContain('1 of 1 ok');
      expect(ok.thread[1]).toContain('Hostname: r1');

      const reboot = await denied(VIEWER, 'exec r1 request system reboot');
      // One sentence: the missing grant, then the roles the user holds and through which subject.
      expect(reboot).toBe('no role grants you exec `request system reboot`; your roles: viewer via group:netops (exec show *; only on lab dc1)');

      const outsider = await denied(OUTSIDER, 'exec r1 show version');
      expect(outsider).toMatch(/^you have no role: no grant in the policy names user:U0OUT, channel:C0P\d+ or \*; ask a clab-bot admin/);

      const rows = historyRows(await ask(ADMIN, 'history')).map(columns);
      expect(rows).toContainEqual({ who: 'u0view', event: 'exec', outcome: 'ok', command: 'exec r1 show version' });
      expect(rows).toContainEqual({ who: 'u0view', event: 'decision', outcome: 'denied', command: 'exec r1 request system reboot' });
      expect(rows).toContainEqual({ who: 'u0out', event: 'decision', outcome: 'denied', command: 'exec r1 show version' });

      // The rows behind them carry the request id, the Slack user and channel, the targets and the reason.
      const records = await audit();
      const exec = records.find((r) => r.actor === VIEWER && r.event === 'exec')!;
      expect(exec).toMatchObject({ verb: 'exec', channel: ok.channel, targets: ['dc1/r1'], outcome: 'ok' });
      expect(records.find((r) => r.requestId === exec.requestId && r.event === 'request')).toMatchObject({ outcome: 'allowed', detail: { rule: 'granted' } });
      expect(records.find((r) => r.actor === VIEWER && r.command === 'exec r1 request system reboot')).toMatchObject({
        event: 'decision',
        outcome: 'denied',
        targets: ['dc1/r1'],
        detail: { rule: 'not-granted', missing: 'exec `request system reboot`', reason: reboot },
      });
      expect(records.find((r) => r.actor === OUTSIDER)).toMatchObject({ event: 'decision', outcome: 'denied', detail: { rule: 'no-role' } });
    });

    it('each user sees only their own rows in /clab history, denials included', async () => {
      const mine = historyRows(await ask(VIEWER, 'history')).map(columns);
      expect(mine.map((r) => r.who)).toEqual(mine.map(() => 'u0view'));
      expect(mine).toContainEqual({ who: 'u0view', event: 'decision', outcome: 'denied', command: 'exec r1 request system reboot' });
      expect(mine).toContainEqual({ who: 'u0view', event: 'exec', outcome: 'ok', command: 'exec r1 show version' });

      const theirs = historyRows(await ask(OUTSIDER, 'history')).map(columns);
      expect(theirs).toEqual([{ who: 'u0out', event: 'decision', outcome: 'denied', command: 'exec r1 show version' }]);
    });
  });

  describe('viewer (group:netops, exec `show *` on lab dc1)', () => {
    it('may use abbreviations and safe pipes', async () => {
      const ok = await runs(VIEWER, 'exec r1 sh ver | match Hostname');
      expect(ok.thread[1]).toContain('Hostname: r1');
      expect(ok.thread[1]).not.toContain('Model:');
    });

    it('is denied a pipe that writes a file, a node in lab dc2, a second command after `;` or a newline, and --all (dc2 is in it)', async () => {
      expect(await denied(VIEWER, 'exec r1 show version | save /tmp/x')).toMatch(/^`\| save \/tmp\/x` is not allowed: save writes a file on the device/);
      expect(await denied(VIEWER, 'exec s1 show version')).toBe(
        'you need exec `show *` on lab dc2 (node s1); your roles: viewer via group:netops (exec show *; only on lab dc1)',
      );
      expect(await denied(VIEWER, 'exec r1 show version; request system reboot')).toMatch(/contains `;`, which would start a second command/);
      expect(await denied(VIEWER, 'exec --all show version')).toMatch(/^you need exec `show \*` on lab dc2 \(node s1\); your roles: viewer via group:netops/);
      // A second command on a new line never reaches the policy: the grammar refuses the text.
      const ch = channel();
      expect(await ask(VIEWER, 'exec r1 show version\nrequest system reboot', ch)).toMatch(/^:warning: the text has a line break at column \d+; a command is one line/);
      expect(t.fake.messages(ch)).toEqual([]);
    });

    it('is refused at the Approve and Reject buttons of a change, told why, and each press is audited', async () => {
      const proposal = await runs(ADMIN, 'config r1 --file desc.conf --comment viewer-buttons');
      const decision = await waitUntil(() => t.fake.thread(proposal.channel, proposal.root.ts).find((m) => buttons(m).length > 0), { what: 'the Approve button' });
      const id = /change #(\d+) planned/.exec(shownText(proposal.root))![1];

      await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: VIEWER, channel: proposal.channel, message_ts: decision.ts });
      const approve = await waitUntil(() => t.fake.ephemerals(proposal.channel, VIEWER)[0], { what: 'the refusal of Approve' });
      expect(shownText(approve)).toBe(':no_entry: Denied: no role grants you approve; your roles: viewer via group:netops (exec show *; only on lab dc1)');

      await t.fake.sendBlockAction({ action_id: 'clab_change_reject', user: VIEWER, channel: proposal.channel, message_ts: decision.ts });
      const reject = await waitUntil(() => t.fake.ephemerals(proposal.channel, VIEWER)[1], { what: 'the refusal of Reject' });
      expect(shownText(reject)).toContain('Denied: no role grants you approve');

      const records = (await audit()).filter((r) => r.actor === VIEWER && r.verb === 'change');
      expect(records.map((r) => [r.event, r.outcome, r.command, r.channel])).toEqual([
        ['decision', 'denied', `change ${id} reject`, proposal.channel],
        ['decision', 'denied', `change ${id} approve`, proposal.channel],
      ]);
      expect(records[1]).toMatchObject({ targets: ['dc1/r1'], detail: { rule: 'not-granted', missing: 'approve' } });

      // The admin withdraws it (the requester may), leaving r1 free.
      await t.fake.sendBlockAction({ action_id: 'clab_change_reject', user: ADMIN, channel: proposal.channel, message_ts: decision.ts });
      await waitUntil(() => shownText(t.fake.thread(proposal.channel, proposal.root.ts)[0]!).includes(`change #${id} rejected`), { what: 'the withdrawal' });
    });
  });

  describe('operator (user:U0ALICE, config plan on juniper_* kinds)', () => {
    it('may dry-run a config change; proposing one that would commit needs config apply', async () => {
      const plan = await runs(OPERATOR, 'config r1 --file desc.conf --dry-run');
      expect(shownText(plan.root)).toContain('nothing was committed');
      expect(plan.thread.join('\n')).toMatch(/\+\s+description "to core";/);

      expect(await denied(OPERATOR, 'config r1 --file desc.conf')).toBe(
        'no role grants you config apply; your roles: operator via user:U0ALICE (exec show *, ping *; config plan; only on kind juniper_*)',
      );
    });

    it('may exec in any lab, since the grant is scoped by kind', async () => {
      const ok = await runs(OPERATOR, 'exec s1 show version');
      expect(ok.thread[1]).toContain('Hostname: s1');
    });
  });

  describe('config --file', () => {
    it('refuses a path out of the lab directory before touching a device, even for an admin, and audits the failure', async () => {
      const ch = channel();
      const reply = await ask(ADMIN, 'config r1 --file ../../../../etc/passwd --dry-run', ch);
      expect(reply).toMatch(/^:x: \.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd is outside the lab directory \S+: config files must live inside it or in configs_dir/);
      expect(reply).not.toContain('root:');
      expect(t.fake.messages(ch)).toEqual([]);
      const [row] = (await audit()).filter((r) => r.channel === ch);
      expect(row).toMatchObject({ actor: ADMIN, event: 'failure', outcome: 'error', detail: { code: 'config_path' } });
    });
  });

  describe('approver (group:netops-leads) and admin', () => {
    it('the requester cannot approve their own change (self_approval: false); an approver can, and it commits', async () => {
      const proposal = await runs(ADMIN, 'config r2 --file desc.conf');
      const decision = await waitUntil(() => t.fake.thread(proposal.channel, proposal.root.ts).find((m) => buttons(m).length > 0), { what: 'the Approve button' });

      await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: ADMIN, channel: proposal.channel, message_ts: decision.ts });
      const own = await waitUntil(() => t.fake.ephemerals(proposal.channel, ADMIN)[0], { what: 'the self-approval refusal' });
      expect(shownText(own)).toContain('Denied: you requested this change and the policy does not allow approving your own changes (approvals.self_approval: false)');

      await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: APPROVER, channel: proposal.channel, message_ts: decision.ts });
      await waitUntil(() => /change #\d+ committed/.test(shownText(t.fake.thread(proposal.channel, proposal.root.ts)[0]!)), { timeoutMs: 10_000, what: 'the commit' });
      const r2 = await runs(ADMIN, 'exec r2 show configuration interfaces ge-0/0/0');
      expect(r2.thread[1]).toContain('description "to core";');

      // The committed change's Roll back button is a new change: the viewer may not propose one.
      const outcome = await waitUntil(
        () => t.fake.thread(proposal.channel, proposal.root.ts).find((m) => buttons(m).some((b) => b.action_id === 'clab_change_rollback')),
        { what: 'the Roll back button' },
      );
      await t.fake.sendBlockAction({ action_id: 'clab_change_rollback', user: VIEWER, channel: proposal.channel, message_ts: outcome.ts });
      const rollback = await waitUntil(() => t.fake.ephemerals(proposal.channel, VIEWER)[0], { what: 'the refusal of Roll back' });
      expect(shownText(rollback)).toBe(':no_entry: Denied: no role grants you config apply; your roles: viewer via group:netops (exec show *; only on lab dc1)');

      const records = (await audit()).filter((r) => r.targets.includes('dc1/r2') && r.verb !== 'exec');
      expect(records.find((r) => r.actor === VIEWER)).toMatchObject({ event: 'decision', outcome: 'denied', detail: { rule: 'not-granted', missing: 'config apply' } });
      expect(records.find((r) => r.actor === ADMIN && r.event === 'decision')).toMatchObject({ outcome: 'denied', detail: { rule: 'self-approval' } });
      expect(records.find((r) => r.actor === APPROVER && r.event === 'approve')).toMatchObject({ outcome: 'ok', channel: proposal.channel });
      expect(records.find((r) => r.event === 'commit')).toMatchObject({ outcome: 'ok' });
    });

    it('whoami shows each persona\'s roles, what they allow, where, and through which subject', async () => {
      expect(await ask(VIEWER, 'whoami')).toMatch(/groups: netops\n[^]*viewer via group:netops \(grant 1, .*policy\.yaml:7\): exec show \*; only on lab dc1/);
      expect(await ask(OPERATOR, 'whoami')).toMatch(/operator via user:U0ALICE \(grant 2, .*\): exec show \*, ping \*; config plan; only on kind juniper_\*/);
      expect(await ask(APPROVER, 'whoami')).toMatch(/groups: netops-leads\n[^]*approver via group:netops-leads \(grant 3, .*\): approve; on every node/);
      const admin = await ask(ADMIN, 'whoami');
      expect(admin).toMatch(/admin via user:U0ADMIN \(grant 4, .*\): exec \*; config plan and apply; approve; admin; on every node/);
      expect(admin).toContain('you cannot approve your own changes');
      expect(await ask(OUTSIDER, 'whoami')).toContain('you have no role: no grant in the policy names you, your channel or your groups');
      // The same outsider in channel C0LAB holds viewer through the channel.
      expect(await ask(OUTSIDER, 'whoami', 'C0LAB')).toMatch(/viewer via channel:C0LAB .*: exec show \*; only on lab dc1/);
    });

    it('an admin sees everyone\'s history; a selector keeps the rows that touch those nodes; --limit caps them', async () => {
      const everyone = new Set(historyRows(await ask(ADMIN, 'history --limit 500')).map((r) => columns(r).who));
      expect([...everyone].sort()).toEqual(['u0admin', 'u0alice', 'u0lead', 'u0out', 'u0view']);

      const s1 = historyRows(await ask(ADMIN, 'history s1 --limit 500')).map(columns);
      const touching = (await audit()).filter((r) => r.targets.includes('dc2/s1'));
      expect(s1.length).toBe(touching.length);
      expect(s1.map((r) => r.command)).toEqual(touching.map((r) => r.command));
      expect(s1).toContainEqual({ who: 'u0view', event: 'decision', outcome: 'denied', command: 'exec s1 show version' });
      expect(s1).toContainEqual({ who: 'u0alice', event: 'exec', outcome: 'ok', command: 'exec s1 show version' });

      expect(historyRows(await ask(ADMIN, 'history --limit 2'))).toHaveLength(2);
      // A non-admin's selector narrows their own rows only.
      const viewerS1 = historyRows(await ask(VIEWER, 'history s1')).map(columns);
      expect(viewerS1.map((r) => `${r.who} ${r.command}`)).toEqual(['u0view exec --all show version', 'u0view exec s1 show version']);
    });
  });

  describe('when Slack cannot say who is in which group', () => {
    it('refuses the request and the button press, says why, and audits both refusals', async () => {
      t.fake.failNext('usergroups.list', { error: 'missing_scope' });
      const reason = await denied(VIEWER, 'exec r1 show version');
      expect(reason).toMatch(/^could not read your Slack user groups \(usergroups\.list: missing_scope\), so grants to groups cannot be checked/);

      const proposal = await runs(ADMIN, 'config r1 --file desc.conf --comment groups-down');
      const decision = await waitUntil(() => t.fake.thread(proposal.channel, proposal.root.ts).find((m) => buttons(m).length > 0), { what: 'the Approve button' });
      t.fake.failNext('usergroups.list', { error: 'ratelimited' });
      await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: APPROVER, channel: proposal.channel, message_ts: decision.ts });
      const refusal = await waitUntil(() => t.fake.ephemerals(proposal.channel, APPROVER)[0], { what: 'the refusal' });
      expect(shownText(refusal)).toContain('Denied: could not read your Slack user groups (usergroups.list: ratelimited)');
      expect(shownText(t.fake.thread(proposal.channel, proposal.root.ts)[0]!)).toMatch(/change #\d+ planned/);

      const refused = (await audit()).filter((r) => r.detail?.['rule'] === 'slack_user_groups');
      expect(refused.map((r) => [r.actor, r.event, r.outcome, r.command])).toEqual([
        [APPROVER, 'decision', 'denied', expect.stringMatching(/^change \d+ approve$/)],
        [VIEWER, 'decision', 'denied', 'exec r1 show version'],
      ]);
      expect(refused[1]!.detail?.['reason']).toContain('missing_scope');

      await t.fake.sendBlockAction({ action_id: 'clab_change_reject', user: ADMIN, channel: proposal.channel, message_ts: decision.ts });
      await waitUntil(() => / rejected/.test(shownText(t.fake.thread(proposal.channel, proposal.root.ts)[0]!)), { what: 'the withdrawal' });
    });
  });
});

describe('permissions through Slack without a policy file', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ lab: 'dc1', nodes: 1, baseIp: '127.21.52.1', policy: null });
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  const ask = async (text: string): Promise<string> => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text, channel_id: ch, user_id: VIEWER });
    const reply = shownText(await waitUntil(() => t.fake.ephemerals(ch, VIEWER)[0], { what: `the reply to "${text}"` }));
    expect(t.fake.messages(ch)).toEqual([]);
    return reply;
  };

  it('/clab help lists only help and whoami and says how to add a policy', async () => {
    const help = await ask('help');
    const listing = help.slice(help.indexOf('usage:'), help.indexOf('SELECTOR:'));
    const verbs = [...listing.matchAll(/^ {2}(\w+)\b/gm)].map((m) => m[1]);
    expect(verbs).toEqual(['help', 'whoami']);
    expect(help).toContain('No permission policy is set, so only help and whoami work.');
    expect(help).toContain('Check it with `clab-bot policy check FILE`, then set policy: in clab-bot.yaml or CLAB_BOT_POLICY to a policy file.');
  });

  it('whoami works and says why nothing else does', async () => {
    expect(await ask('whoami')).toContain('no permission policy is set, so only help and whoami are allowed; set policy: in clab-bot.yaml or CLAB_BOT_POLICY');
  });

  it('everything else is denied with how to fix it, audited, and reveals nothing (no node names, no history, no changes)', async () => {
    const requests = ['labs', 'nodes', 'exec r1 show version', 'exec r9 show version', 'config r1 --file x.conf --dry-run', 'history', 'changes', 'change 1'];
    for (const text of requests) {
      expect(await ask(text), text).toBe(':no_entry: Denied: no permission policy is set, so only help and whoami are allowed; set policy: in clab-bot.yaml or CLAB_BOT_POLICY to a policy file');
    }
    const records = await t.app.audit.query({ limit: 100 });
    // Recorded in canonical form (defaults spelled out).
    expect(records.map((r) => r.command).reverse()).toEqual(requests.map((r) => (r === 'nodes' ? 'nodes --all' : r === 'changes' ? 'changes --pending' : r)));
    expect(records.every((r) => r.actor === VIEWER && r.event === 'decision' && r.outcome === 'denied' && r.detail?.['rule'] === 'no-policy')).toBe(true);
  });
});
