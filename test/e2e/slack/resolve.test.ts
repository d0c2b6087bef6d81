import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

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
  });
});
