import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, type FakeMessage } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

interface Button {
  action_id: string;
  value: string;
}

function buttons(m: FakeMessage): Button[] {
  return (m.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? ((b as { elements: Button[] }).elements ?? []) : []));
}

const POLICY = `roles:
  admin: { exec: ["*"], config: apply, approve: true, admin: true }
  viewer: { exec: ["show *"] }
grants:
  - { role: admin, subjects: ["user:U0ALICE", "user:U0BOB"] }
  - { role: viewer, subjects: ["user:U0VIEW"] }
`;

/** A change whose plan failed on a node cannot be approved; Re-plan (button or `change N replan`) plans it again. */
describe('re-planning a change in Slack', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 1, baseIp: '127.21.14.1', policy: POLICY });
    // A commit check that fails: OSPF on an interface the device does not have.
    writeFileSync(join(t.labsDir, 'ospf.conf'), 'protocols {\n    ospf {\n        area 0.0.0.0 {\n            interface ge-0/0/9.0;\n        }\n    }\n}\n');
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  const decisions = (root: FakeMessage) => t.fake.thread('C_RP', root.ts).filter((m) => buttons(m).length > 0);

  it('offers Re-plan while a node fails; pressing it plans again with fresh buttons; a viewer may not re-plan', async () => {
    await t.fake.sendSlashCommand({ text: 'config r1 --file ospf.conf', channel_id: 'C_RP', user_id: 'U0ALICE' });
    const root = await finishedRoot(t.fake, 'C_RP');
    const first = await waitUntil(() => decisions(root)[0], { what: 'the decision message' });
    expect(buttons(first).map((b) => b.action_id)).toEqual(['clab_change_replan', 'clab_change_reject']);
    const version = buttons(first)[0]!.value;

    await t.fake.sendSlashCommand({ text: 'change 1 replan', channel_id: 'C_RP', user_id: 'U0VIEW' });
    const denied = await waitUntil(() => t.fake.ephemerals('C_RP', 'U0VIEW')[0], { what: 'the denial' });
    expect(shownText(denied)).toMatch(/Denied: .*config/);

    await t.fake.sendBlockAction({ action_id: 'clab_change_replan', user: 'U0BOB', channel: 'C_RP', message_ts: first.ts });
    const second = await waitUntil(() => decisions(root).find((m) => m.ts !== first.ts), { timeoutMs: 10_000, what: 'the new decision' });
    expect(buttons(second)[0]!.value).not.toBe(version);
    expect(buttons(second).map((b) => b.action_id)).toEqual(['clab_change_replan', 'clab_change_reject']);
    const thread = t.fake.thread('C_RP', root.ts).map((m) => shownText(m)).join('\n---\n');
    // The new plan is shown again, with the check that still fails.
    expect(thread.match(/\*Change #1\* requested by <@U0ALICE>/g)?.length).toBe(2);
    expect(thread).toContain('commit check FAILED');

    // Typed, it does the same and says so privately.
    await t.fake.sendSlashCommand({ text: 'change 1 replan', channel_id: 'C_RP', user_id: 'U0ALICE' });
    const reply = await waitUntil(() => t.fake.ephemerals('C_RP', 'U0ALICE').find((m) => shownText(m).includes('re-planned')), { timeoutMs: 10_000, what: 'the reply' });
    expect(shownText(reply)).toMatch(/^\*re-planned\* · :x: change #1 cannot be approved: slk\/r1: commit check failed/);
  });
});
