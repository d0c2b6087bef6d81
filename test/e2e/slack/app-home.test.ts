import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_KIT_LIMITS, waitUntil, type FakeView } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/** Alice proposes, Bob approves (both named in the policy); Vic only views lab `slk`; Carol is in no grant. */
const POLICY = `roles:
  operator: { exec: ["show *"], config: apply }
  approver: { exec: ["show *"], approve: true }
  viewer:   { exec: ["show *"] }
grants:
  - { role: operator, subjects: ["user:U0ALICE"] }
  - { role: approver, subjects: ["user:U0BOB"] }
  - { role: viewer,   subjects: ["user:U0VIC"], scope: { labs: ["slk"] } }
approvals: { required: 1, self_approval: false }
`;

interface Button {
  action_id: string;
  value: string;
}

function buttons(blocks: unknown[] | undefined): Button[] {
  return (blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? ((b as { elements: Button[] }).elements ?? []) : []));
}

function homeText(view: FakeView | undefined): string {
  return view === undefined ? '' : shownText({ text: '', blocks: view.view.blocks as unknown[] });
}

/** The App Home: what it lists for whom, and its Approve / Reject buttons decided exactly as in the change's thread. */
describe('Slack App Home', () => {
  let t: SlackTestApp;
  const ch = 'C_HOME';

  beforeAll(async () => {
    t = await startSlackApp({
      nodes: 2,
      baseIp: '127.21.30.1',
      policy: POLICY,
      deadNodes: { r9: '127.21.30.250' },
      moreLabs: [{ lab: 'other', prefix: 's', nodes: 1, baseIp: '127.21.31.1' }],
    });
    writeFileSync(join(t.labsDir, 'hostname.conf'), 'system {\n    host-name r-home;\n}\n');
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  it('on open: the labs in the viewer\'s sight with node counts and reachability, within Block Kit\'s view limits', async () => {
    // Evidence for reachability: r1 answers an exec, r9 (nothing listens there) does not.
    await t.fake.sendSlashCommand({ text: 'exec r1,r9 show version', channel_id: ch, user_id: 'U0ALICE' });
    await finishedRoot(t.fake, ch);

    const opened = await t.fake.openAppHome({ user: 'U0VIC' });
    expect(opened.ackMs).toBeLessThan(3000);
    const [publish] = await t.fake.waitForCalls('views.publish');
    // The fake refuses a view over Slack's limits (invalid_arguments): this one was accepted.
    expect(publish).toMatchObject({ ok: true, args: { user_id: 'U0VIC' } });
    const home = t.fake.home('U0VIC')!;
    expect(home.view.type).toBe('home');
    expect((home.view.blocks as unknown[]).length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.viewBlocks);
    const text = homeText(home);
    expect(text).toMatch(/\*slk\* · 3 nodes · :large_green_circle: 1 reachable · :red_circle: 1 unreachable · :white_circle: 1 not checked yet/);
    // Vic's grant is scoped to lab slk: the other lab is not shown to him.
    expect(text).not.toContain('*other*');
    expect(text).toContain('Nothing is waiting for your approval');
    expect(buttons(home.view.blocks as unknown[])).toEqual([]);

    await t.fake.openAppHome({ user: 'U0CAROL' });
    const carol = await waitUntil(() => t.fake.home('U0CAROL'), { what: "Carol's home" });
    expect(homeText(carol)).toContain('No lab is in your sight');
  });

  it('a proposed change appears on the approver\'s home with Approve / Reject; not on the requester\'s or a viewer\'s', async () => {
    await t.fake.sendSlashCommand({ text: 'config r1 --file hostname.conf', channel_id: 'C_PROPOSE', user_id: 'U0ALICE' });
    const root = await finishedRoot(t.fake, 'C_PROPOSE');
    expect(shownText(root)).toContain('change #1 planned');

    // Bob never opened his home: the policy names him, so it is published for him as the change starts
    // waiting, and again once its decision message is in the thread (the link to it then exists).
    const bob = await waitUntil(() => (homeText(t.fake.home('U0BOB')).includes('diff and thread') ? t.fake.home('U0BOB') : undefined), {
      what: "Bob's home with the change",
    });
    const text = homeText(bob);
    expect(text).toMatch(/\*Waiting for your approval\* \(1\)/);
    expect(text).toMatch(/\*Change #1\* · merge on 1 node \(slk\/r1\) · requested by <@U0ALICE> · <https:\/\/clab-fake\.slack\.com\/archives\/C_PROPOSE\/p\d+\|diff and thread>/);
    expect(buttons(bob.view.blocks as unknown[]).map((b) => [b.action_id, b.value])).toEqual([
      ['clab_change_approve', '1:1'],
      ['clab_change_reject', '1:1'],
    ]);

    await t.fake.openAppHome({ user: 'U0ALICE' });
    const alice = await waitUntil(() => t.fake.home('U0ALICE'), { what: "Alice's home" });
    // Self-approval is off: her own change is not waiting for her, and she gets no buttons.
    expect(buttons(alice.view.blocks as unknown[])).toEqual([]);
    // Her last requests link to their threads, newest first.
    const aliceText = homeText(alice);
    expect(aliceText).toMatch(/\*Your last requests\*\n• <https:\/\/clab-fake\.slack\.com\/archives\/C_PROPOSE\/p\d+\|config r1 --file hostname\.conf> · <!date\^\d+/);
    expect(aliceText).toMatch(/• <https:\/\/clab-fake\.slack\.com\/archives\/C_HOME\/p\d+\|exec r1,r9 show version>/);
    const permalink = /archives\/C_PROPOSE\/p(\d+)\|config/.exec(aliceText)![1]!;
    expect(permalink).toBe(root.ts.replace('.', ''));

    await t.fake.openAppHome({ user: 'U0VIC' });
    await waitUntil(() => t.fake.calls('views.publish').filter((c) => c.args.user_id === 'U0VIC').length >= 2, { what: "Vic's second home" });
    expect(buttons(t.fake.home('U0VIC')!.view.blocks as unknown[])).toEqual([]);
  });

  it('a press by someone not allowed is refused with the message the thread gives, and commits nothing', async () => {
    const root = t.fake.messages('C_PROPOSE').find((m) => m.thread_ts === undefined)!;
    const decision = await waitUntil(() => t.fake.thread('C_PROPOSE', root.ts).find((m) => buttons(m.blocks).length > 0), { what: 'the decision' });
    // In the thread: Vic presses Approve.
    await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U0VIC', channel: 'C_PROPOSE', message_ts: decision.ts });
    const inThread = await waitUntil(() => t.fake.ephemerals('C_PROPOSE', 'U0VIC')[0], { what: "the thread's refusal" });
    expect(shownText(inThread)).toMatch(/^:no_entry: Denied/);
    // On the home: Vic's home has no button, so his client can only send a forged or stale press.
    const forged = { type: 'button', action_id: 'clab_change_approve', block_id: 'home_change_1_v1', value: '1:1', action_ts: '1.2' };
    await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U0VIC', home: true, action: forged });
    const inDm = await waitUntil(() => t.fake.messages('D0VIC')[0], { what: 'the refusal in his direct messages' });
    expect(shownText(inDm)).toBe(shownText(inThread));
    expect(shownText(t.fake.thread('C_PROPOSE', root.ts)[0]!)).toContain('change #1 planned');
  });

  it('Approve on the home commits exactly once; a second press is refused as in the thread; the home is refreshed', async () => {
    const root = t.fake.messages('C_PROPOSE').find((m) => m.thread_ts === undefined)!;
    const pressed = await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U0BOB', home: true, value: '1:1' });
    expect(pressed.payload).toMatchObject({ container: { type: 'view' }, view: { type: 'home' } });
    expect(pressed.payload).not.toHaveProperty('response_url');
    await waitUntil(() => shownText(t.fake.thread('C_PROPOSE', root.ts)[0]!).includes('change #1 committed'), { timeoutMs: 15_000, what: 'the committed root' });
    const thread = t.fake.thread('C_PROPOSE', root.ts).map((m) => shownText(m)).join('\n');
    expect(thread).toContain('<@U0BOB> approved change #1: committing on 1 node');

    // Decided: Bob's home is published again without the change.
    const refreshed = await waitUntil(() => (homeText(t.fake.home('U0BOB')).includes('Nothing is waiting') ? t.fake.home('U0BOB') : undefined), { what: "Bob's refreshed home" });
    expect(buttons(refreshed.view.blocks as unknown[])).toEqual([]);
    await expect(t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U0BOB', home: true, value: '1:1' })).rejects.toMatchObject({ code: 'unknown_action' });

    // A client still showing the old home presses again; so does one still showing the old thread.
    const stale = { type: 'button', action_id: 'clab_change_approve', block_id: 'home_change_1_v1', value: '1:1', action_ts: '1.3' };
    await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U0BOB', home: true, action: stale });
    const inDm = await waitUntil(() => t.fake.messages('D0BOB')[0], { what: "Bob's refusal" });
    const decision = t.fake.thread('C_PROPOSE', root.ts).find((m) => m.text.includes('committed') && m.blocks?.some((b) => JSON.stringify(b).includes('approved by')));
    await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'U0BOB', channel: 'C_PROPOSE', message_ts: decision?.ts, action: { ...stale, block_id: 'change_1_v1' } });
    const inThread = await waitUntil(() => t.fake.ephemerals('C_PROPOSE', 'U0BOB')[0], { what: "the thread's refusal" });
    expect(shownText(inDm)).toContain('change #1 is already committed');
    expect(shownText(inDm)).toBe(shownText(inThread));

    // The device took one commit for change #1 (commit confirmed and its confirm carry its comment).
    await t.fake.sendSlashCommand({ text: 'exec r1 show system commit', channel_id: 'C_COMMITS', user_id: 'U0BOB' });
    const commits = await finishedRoot(t.fake, 'C_COMMITS');
    const log = shownText(t.fake.thread('C_COMMITS', commits.ts)[1]!);
    expect(log.match(/clab-bot #1 by/g)?.length).toBe(2);
    expect(log).toMatch(/commit confirmed/);
    await t.fake.sendSlashCommand({ text: 'exec r1 show configuration system host-name', channel_id: 'C_HOSTNAME', user_id: 'U0BOB' });
    const hostRoot = await finishedRoot(t.fake, 'C_HOSTNAME');
    expect(shownText(t.fake.thread('C_HOSTNAME', hostRoot.ts)[1]!)).toContain('host-name r-home;');
  });
});
