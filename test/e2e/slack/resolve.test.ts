import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../fakes/slack/index.js';
import type { JunosSim } from '../../../src/sim/junos/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';
import { startWorker } from '../../integration/changes/worker-process.js';

const POLICY = `roles:
  admin: { exec: ["*"], config: apply, approve: true, admin: true }
  operator: { exec: ["*"], config: apply, approve: true }
grants:
  - { role: admin, subjects: ["user:U0ALICE"] }
  - { role: operator, subjects: ["user:U0OPS"] }
`;

/** `/clab change N resolve` is the same grammar as the terminal's: admin only, and only for a change whose outcome is unknown. */
describe('resolving a change in Slack', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 1, baseIp: '127.21.15.1', policy: POLICY });
    writeFileSync(join(t.labsDir, 'desc.conf'), 'interfaces {\n    ge-0/0/1 {\n        description uplink;\n    }\n}\n');
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  const reply = (user: string, pattern: RegExp) =>
    waitUntil(() => t.fake.ephemerals('C_RS', user).map((m) => shownText(m)).find((text) => pattern.test(text)), { timeoutMs: 10_000, what: String(pattern) });

  it('refuses a non-admin, a change whose outcome is known, and a resolve without --committed or --not-committed', async () => {
    await t.fake.sendSlashCommand({ text: 'config r1 --file desc.conf', channel_id: 'C_RS', user_id: 'U0OPS' });
    await finishedRoot(t.fake, 'C_RS');
    expect((await t.app.changes.get(1)).state).toBe('planned');

    await t.fake.sendSlashCommand({ text: 'change 1 resolve --committed', channel_id: 'C_RS', user_id: 'U0OPS' });
    expect(await reply('U0OPS', /Denied/)).toMatch(/Denied: .*admin/);

    await t.fake.sendSlashCommand({ text: 'change 1 resolve --committed --reason "checked show system commit"', channel_id: 'C_RS', user_id: 'U0ALICE' });
    expect(await reply('U0ALICE', /can be resolved/)).toContain('change #1 is still waiting for approval: only a change whose outcome is unknown can be resolved');

    await t.fake.sendSlashCommand({ text: 'change 1 resolve', channel_id: 'C_RS', user_id: 'U0ALICE' });
    expect(await reply('U0ALICE', /needs what you found/)).toContain('change 1 resolve needs what you found on the devices: --committed (they hold the change) or --not-committed (they do not)');

    expect((await t.app.changes.get(1)).state).toBe('planned');
    const audit = await t.app.audit.query({ limit: 10 });
    expect(audit.some((r) => r.actor === 'U0OPS' && r.outcome === 'denied' && r.command?.includes('resolve --committed'))).toBe(true);
    // Withdrawn, so r1 is free for the next test.
    await t.fake.sendSlashCommand({ text: 'change 1 cancel', channel_id: 'C_RS', user_id: 'U0OPS' });
    await reply('U0OPS', /cancelled/);
    expect((await t.app.changes.get(1)).state).toBe('cancelled');
  });

  it('a change another process left applying mid-commit: the thread is told what the device says, and an admin resolves it there', async () => {
    await t.fake.sendSlashCommand({ text: 'config r1 --file desc.conf', channel_id: 'C_RS2', user_id: 'U0OPS' });
    const root = await finishedRoot(t.fake, 'C_RS2');
    const id = (await t.app.changes.list({ filter: 'pending', actorId: 'U0OPS' }))[0]!.id;
    // A terminal process approves it on the same database and is killed with its commit confirmed in flight.
    const r1 = t.lab.nodes[0]!.sim as JunosSim; // the Junos kind's handle is its simulator
    r1.setFaults({ holdCommitReplies: true });
    const node = t.lab.nodes[0]!;
    const worker = await startWorker({ db: t.app.settings.db, changeId: id, approver: { id: 'U0ALICE', name: 'alice' }, nodes: [{ lab: 'slk', name: 'r1', host: node.host, port: node.port }], driver: 'junos' });
    try {
      worker.go();
      await r1.whenCommitHeld();
    } finally {
      await worker.kill();
      r1.setFaults({ holdCommitReplies: false });
    }

    // The bot's sweep finds it; the thread says what the device holds.
    expect((await t.app.recoverChanges()).map((c) => [c.id, c.state])).toEqual([[id, 'unknown']]);
    const thread = () => t.fake.thread('C_RS2', root.ts).map((m) => shownText(m)).join('\n---\n');
    await waitUntil(() => (/the confirm did not arrive: the device rolls back at \d\d:\d\d UTC unless confirmed/.test(thread()) ? true : undefined), { timeoutMs: 20_000, what: 'the recovery post' });

    await t.fake.sendSlashCommand({ text: `change ${id} resolve --committed --reason "confirmed by hand on r1"`, channel_id: 'C_RS2', user_id: 'U0ALICE' });
    const answer = await waitUntil(() => t.fake.ephemerals('C_RS2', 'U0ALICE').map((m) => shownText(m)).find((x) => x.includes('resolved')), { timeoutMs: 10_000, what: 'the reply' });
    expect(answer).toMatch(/^\*resolved\* · /);
    await waitUntil(() => (thread().includes('<@U0ALICE> resolved the outcome') ? true : undefined), { timeoutMs: 10_000, what: 'the thread notice' });
    expect(thread()).toMatch(/:white_check_mark: change #\d+ committed: resolved by \S+ as committed: confirmed by hand on r1 \(before: /);
    expect((await t.app.changes.get(id)).state).toBe('committed');
  });
});
