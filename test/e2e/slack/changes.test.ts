import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, type FakeMessage } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

interface Button {
  action_id: string;
  value: string;
  style?: string;
  confirm?: { title: { text: string } };
}

function buttons(m: FakeMessage): Button[] {
  return (m.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? ((b as { elements: Button[] }).elements ?? []) : []));
}

/** Approval-gated config from Slack: proposal, buttons, approval by someone else, commit, rollback, rejection. */
describe('change requests in Slack', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 2, baseIp: '127.21.10.1' });
    writeFileSync(join(t.labsDir, 'hostname.conf'), 'system {\n    host-name r-renamed;\n}\n');
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  const hostname = async (node: string, ch: string): Promise<string> => {
    await t.fake.sendSlashCommand({ text: `exec ${node} show configuration system host-name`, channel_id: ch });
    const root = await finishedRoot(t.fake, ch);
    return shownText(t.fake.thread(ch, root.ts)[1]!);
  };
  const threadOf = (ch: string) => t.fake.thread(ch, t.fake.messages(ch).find((m) => m.thread_ts === undefined)!.ts);

  it('proposes with the diff and Approve/Reject; the requester cannot approve; another user\'s approval commits', async () => {
    await t.fake.sendSlashCommand({ text: 'config r1 --file hostname.conf', channel_id: 'C_CH1', user_id: 'U_ALICE' });
    const root = await finishedRoot(t.fake, 'C_CH1');
    expect(shownText(root)).toContain('change #1 planned on 1 node: waiting for approval (0 of 1 approval)');
    const [, proposal, decision] = await waitUntil(() => t.fake.thread('C_CH1', root.ts).length >= 3 && t.fake.thread('C_CH1', root.ts), { what: 'the decision message' });
    expect(shownText(proposal!)).toMatch(/\*Change #1\* requested by <@U_ALICE> · merge of 3 lines of configuration/);
    expect(shownText(proposal!)).toMatch(/:pencil2: \*r1\* · \+1 −1 · commit check ok\n```\n \[edit system\]\n-\s+host-name r1;\n\+\s+host-name r-renamed;/);
    const [approve, reject] = buttons(decision!);
    expect(approve).toMatchObject({ action_id: 'clab_change_approve', style: 'primary', value: expect.stringMatching(/^1:\d+$/) });
    expect(approve!.confirm?.title.text).toBe('Approve change #1?');
    expect(reject).toMatchObject({ action_id: 'clab_change_reject', style: 'danger' });

    const own = await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U_ALICE', channel: 'C_CH1', message_ts: decision!.ts });
    expect(own.ackMs).toBeLessThan(3000);
    const refused = await waitUntil(() => t.fake.ephemerals('C_CH1', 'U_ALICE')[0], { what: 'the refusal' });
    expect(shownText(refused)).toContain('Denied: you requested this change and the policy does not allow approving your own changes');

    await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U_BOB', channel: 'C_CH1', message_ts: decision!.ts });
    await waitUntil(() => shownText(t.fake.thread('C_CH1', root.ts)[0]!).includes('change #1 committed'), { timeoutMs: 10_000, what: 'the committed root' });
    const thread = threadOf('C_CH1');
    const shown = thread.map((m) => shownText(m)).join('\n---\n');
    expect(shown).toContain('<@U_BOB> approved change #1: committing on 1 node (commit confirmed 5 min)');
    expect(shown).toMatch(/change #1 committed[^\n]*\n[^]*• \*r1\*: committed/);
    // The decision message lost its buttons and says who approved.
    const decided = thread.find((m) => m.ts === decision!.ts)!;
    expect(buttons(decided)).toEqual([]);
    expect(shownText(decided)).toContain('approved by <@U_BOB>');
    await expect(t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U_BOB', channel: 'C_CH1', message_ts: decision!.ts })).rejects.toMatchObject({ code: 'unknown_action' });

    expect(await hostname('r1', 'C_CH1_CHECK')).toContain('host-name r-renamed;');
  });

  it('Roll back proposes a new change in the same thread; once approved, the old configuration is back', async () => {
    const outcome = threadOf('C_CH1').find((m) => buttons(m).some((b) => b.action_id === 'clab_change_rollback'))!;
    await t.fake.sendBlockAction({ action_id: 'clab_change_rollback', user: 'U_ALICE', channel: 'C_CH1', message_ts: outcome.ts });
    const decision = await waitUntil(
      () => threadOf('C_CH1').find((m) => buttons(m).some((b) => b.action_id === 'clab_change_approve' && b.value.startsWith('2:'))),
      { timeoutMs: 10_000, what: 'the rollback decision' },
    );
    expect(threadOf('C_CH1').map((m) => shownText(m)).join('\n')).toMatch(/\*Change #2\* requested by <@U_ALICE> · override of the device's rollback \d+\n:pencil2: \*r1\* · \+1 −1 · commit check ok\n```\n \[edit system\]\n-\s+host-name r-renamed;\n\+\s+host-name r1;/);
    await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U_BOB', channel: 'C_CH1', message_ts: decision.ts });
    await waitUntil(() => threadOf('C_CH1').some((m) => shownText(m).includes('change #2 committed')), { timeoutMs: 10_000, what: 'the rollback commit' });
    expect(await hostname('r1', 'C_CH1_AFTER')).toContain('host-name r1;');
  });

  it('a second change on a held node is refused naming the holder; Reject closes the first', async () => {
    await t.fake.sendSlashCommand({ text: 'config r2 --file hostname.conf', channel_id: 'C_CH2', user_id: 'U_ALICE' });
    const root = await finishedRoot(t.fake, 'C_CH2');
    expect(shownText(root)).toContain('change #3 planned');

    await t.fake.sendSlashCommand({ text: 'config r2 --file hostname.conf', channel_id: 'C_CH3', user_id: 'U_BOB' });
    const conflict = await finishedRoot(t.fake, 'C_CH3');
    expect(shownText(conflict)).toMatch(/:x: failed: .*r2 is held by change #3/);

    const decision = await waitUntil(() => t.fake.thread('C_CH2', root.ts).find((m) => buttons(m).length > 0), { what: 'the decision' });
    await t.fake.sendBlockAction({ action_id: 'clab_change_reject', user: 'U_BOB', channel: 'C_CH2', message_ts: decision.ts });
    await waitUntil(() => shownText(t.fake.thread('C_CH2', root.ts)[0]!).includes('change #3 rejected'), { what: 'the rejected root' });
    expect(buttons(t.fake.thread('C_CH2', root.ts).find((m) => m.ts === decision.ts)!)).toEqual([]);
    expect(await hostname('r2', 'C_CH2_CHECK')).toContain('host-name r2;');
  });

  it('config without a source or --dry-run: the form\'s submission proposes a change with buttons', async () => {
    await t.fake.sendSlashCommand({ text: 'config r2', channel_id: 'C_CH6', user_id: 'U_ALICE' });
    await waitUntil(() => t.fake.views().find((v) => JSON.stringify(v.view.blocks).includes('/clab config r2`')), { what: 'the form' });
    const view = t.fake.views().find((v) => JSON.stringify(v.view.blocks).includes('/clab config r2`'))!;
    expect(view.view).toMatchObject({ submit: { text: 'Plan change' } });
    const values = { config: { config_text: { type: 'plain_text_input', value: 'set system location building lab-7' } }, method: { config_method: { type: 'static_select', selected_option: { value: 'set' } } } };
    await t.fake.sendViewSubmission({ user: 'U_ALICE', view: { id: view.id, callback_id: 'clab_config', state: { values } } });
    const root = await finishedRoot(t.fake, 'C_CH6');
    expect(shownText(root)).toContain('change #4 planned on 1 node');
    const thread = await waitUntil(() => t.fake.thread('C_CH6', root.ts).length >= 3 && t.fake.thread('C_CH6', root.ts), { what: 'the decision' });
    expect(shownText(thread[1]!)).toMatch(/\*Change #4\* requested by <@U_ALICE> · set of 1 line of set commands/);
    expect(shownText(thread[1]!)).toMatch(/\+\s+location \{\n\+\s+building lab-7;/);
    expect(buttons(thread[2]!).map((b) => b.action_id)).toEqual(['clab_change_approve', 'clab_change_reject']);
    await t.fake.sendBlockAction({ action_id: 'clab_change_reject', user: 'U_ALICE', channel: 'C_CH6', message_ts: thread[2]!.ts });
    await waitUntil(() => shownText(t.fake.thread('C_CH6', root.ts)[0]!).includes('change #4 rejected'), { what: 'the withdrawal' });
  });

  it('lists and shows changes privately', async () => {
    await t.fake.sendSlashCommand({ text: 'changes --all', channel_id: 'C_CH4', user_id: 'U_BOB' });
    const list = shownText(await waitUntil(() => t.fake.ephemerals('C_CH4')[0], { what: 'the list' }));
    expect(list).toMatch(/#3\s+rejected/);
    expect(list).toMatch(/#2\s+committed/);
    expect(list).toMatch(/#1\s+committed/);
    await t.fake.sendSlashCommand({ text: 'change 1', channel_id: 'C_CH5', user_id: 'U_BOB' });
    const shown = shownText(await waitUntil(() => t.fake.ephemerals('C_CH5')[0], { what: 'the change' }));
    expect(shown).toContain('change #1 committed');
    expect(shown).toMatch(/slk\/r1: plan ok \(\+1 −1\), apply committed/);
  });
});
