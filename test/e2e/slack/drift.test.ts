import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JunosDriver } from '../../../src/drivers/junos/index.js';
import { waitUntil, type FakeMessage } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';
import { makeNode } from '../../helpers/nodes.js';

/** A viewer may only run show commands; alice and bob may change and approve (not their own changes). */
const POLICY = `roles:
  viewer: { exec: ["show *"] }
  admin: { exec: ["*"], config: apply, approve: true, admin: true }
grants:
  - { role: viewer, subjects: ["user:UVIEW01"] }
  - { role: admin, subjects: ["user:UALICE01", "user:UBOB01"] }
`;

interface Button {
  action_id: string;
  value: string;
}

function buttons(m: FakeMessage): Button[] {
  return (m.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? ((b as { elements: Button[] }).elements ?? []) : []));
}

/**
 * `/clab drift` through the real Bolt app and the fake Slack against simulated Junos nodes that
 * someone changes in their own NETCONF session: the report in a thread with Adopt and Restore,
 * each checked against the policy for the presser; Adopt makes the running configuration the
 * baseline; Restore opens a change that a second user approves, and the device is back.
 */
describe('/clab drift with Adopt and Restore', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 2, baseIp: '127.21.95.1', policy: POLICY });
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  const session = (name: string) => {
    const n = t.lab.nodes.find((x) => x.name === name)!;
    return new JunosDriver(makeNode({ name, host: n.host, port: n.port, lab: 'slk' }));
  };
  async function byHand(name: string, set: string): Promise<void> {
    const d = session(name);
    try {
      await d.open();
      const source = { type: 'text' as const, content: set, format: 'set' as const };
      const plan = await d.plan(source, 'set');
      await d.apply(source, { method: 'set', expectDiffHash: plan.diffHash, comment: 'fixed by hand' });
    } finally {
      await d.close();
    }
  }
  async function running(name: string): Promise<string> {
    const d = session(name);
    try {
      await d.open();
      return await d.runningConfig();
    } finally {
      await d.close();
    }
  }
  const threadText = (ch: string, ts: string) => t.fake.thread(ch, ts).map(shownText).join('\n');
  async function drift(ch: string, what: string): Promise<FakeMessage> {
    await t.fake.sendSlashCommand({ text: `drift ${what}`, channel_id: ch, user_id: 'UALICE01' });
    return finishedRoot(t.fake, ch, 20_000);
  }

  it('reports the drifted node with the diff and buttons; Adopt is refused to a viewer, then makes the running configuration the baseline', async () => {
    await t.fake.sendSlashCommand({ text: 'backup --all', channel_id: 'C_DR0', user_id: 'UALICE01' });
    await finishedRoot(t.fake, 'C_DR0', 20_000);
    await byHand('r1', 'set interfaces ge-0/0/4 description "by hand"');

    const root = await drift('C_DR1', '--all');
    expect(shownText(root)).toContain('1 of 2 drifted');
    const thread = t.fake.thread('C_DR1', root.ts);
    const report = thread.find((m) => buttons(m).length > 0)!;
    expect(shownText(report)).toMatch(/slk\/r1 {2}drifted from version 1 \(manual, /);
    expect(shownText(report)).toMatch(/last commit on the device: by admin via netconf at .*: fixed by hand/);
    expect(shownText(report)).toContain('+        description "by hand";');
    expect(buttons(report).map((b) => b.action_id)).toEqual(['clab_drift_adopt', 'clab_drift_restore']);
    expect(threadText('C_DR1', root.ts)).toContain('slk/r2  in sync with version 1 (manual)');

    await t.fake.sendBlockAction({ action_id: 'clab_drift_adopt', user: 'UVIEW01', channel: 'C_DR1', message_ts: report.ts });
    const denial = await waitUntil(() => t.fake.ephemerals('C_DR1').find((m) => shownText(m).includes('Denied')), { what: 'the denial' });
    expect(shownText(denial)).toMatch(/:no_entry: Denied: .*config/);

    await t.fake.sendBlockAction({ action_id: 'clab_drift_adopt', user: 'UALICE01', channel: 'C_DR1', message_ts: report.ts });
    await waitUntil(() => threadText('C_DR1', root.ts).includes('the running configuration is the new baseline'), { timeoutMs: 10_000, what: 'the adoption' });
    expect(threadText('C_DR1', root.ts)).toMatch(/slk\/r1: the running configuration is the new baseline \(backup version 2, adopted by \S+\)/);

    const after = await drift('C_DR2', 'r1');
    expect(shownText(after)).toContain('no drift');
    expect(threadText('C_DR2', after.ts)).toMatch(/slk\/r1 {2}in sync with version 2 \(adopted by \S+\)/);
  });

  it('Restore opens a change back to the baseline; the requester cannot approve it, a second user does, and the node is in sync again', async () => {
    await byHand('r2', 'set interfaces ge-0/0/5 description "unwanted"');
    const root = await drift('C_DR3', 'r2');
    const report = t.fake.thread('C_DR3', root.ts).find((m) => buttons(m).length > 0)!;
    await t.fake.sendBlockAction({ action_id: 'clab_drift_restore', user: 'UALICE01', channel: 'C_DR3', message_ts: report.ts });
    const decision = await waitUntil(() => t.fake.thread('C_DR3', root.ts).find((m) => buttons(m).some((b) => b.action_id === 'clab_change_approve')), {
      timeoutMs: 20_000,
      what: 'the restore change',
    });
    const proposal = threadText('C_DR3', root.ts);
    expect(proposal).toMatch(/requested by <@UALICE01> · override/);
    expect(proposal).toMatch(/-\s+ge-0\/0\/5 \{/);
    expect(proposal).toMatch(/-\s+description unwanted;|-\s+description "unwanted";/);
    // Secrets masked in the stored baseline are taken from the device: the password hashes are not in the diff at all.
    expect(proposal).not.toContain('encrypted-password');

    await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'UALICE01', channel: 'C_DR3', message_ts: decision.ts });
    await waitUntil(() => t.fake.ephemerals('C_DR3').some((m) => /own change|cannot approve/.test(shownText(m))), { what: 'the self-approval refusal' });
    expect(await running('r2')).toContain('ge-0/0/5');

    await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'UBOB01', channel: 'C_DR3', message_ts: decision.ts });
    await waitUntil(() => threadText('C_DR3', root.ts).match(/change #\d+ committed/) !== null, { timeoutMs: 20_000, what: 'the restore commit' });
    const now = await running('r2');
    expect(now).not.toContain('ge-0/0/5');
    // The device kept its own password hashes.
    expect(now).toMatch(/encrypted-password "\$6\$/);

    const after = await drift('C_DR4', 'r2');
    expect(shownText(after)).toContain('no drift');
    expect(threadText('C_DR4', after.ts)).toMatch(/slk\/r2 {2}in sync with version \d+/);
  });
});
