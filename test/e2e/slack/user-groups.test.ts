import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, type FakeSlackOptions } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

const GROUP_POLICY = `roles:
  viewer: { exec: ["show *"] }
grants:
  - { role: viewer, subjects: ["group:netops"] }
`;

const GROUPS: FakeSlackOptions = {
  usergroups: [
    { id: 'S_NETOPS', handle: 'netops', users: ['U_ALICE'] },
    { id: 'S_DESIGN', handle: 'design', users: ['U_BOB'] },
  ],
};

const ephemeral = (t: SlackTestApp, ch: string) =>
  waitUntil(() => t.fake.ephemerals(ch)[0], { what: `a reply in ${ch}` });

/** group:HANDLE grants: membership comes from Slack's user groups, cached, and a failure to read it refuses. */
describe('Slack user groups in permissions', () => {
  describe('with the membership cached', () => {
    let t: SlackTestApp;
    beforeAll(async () => {
      t = await startSlackApp({ nodes: 1, baseIp: '127.21.6.1', policy: GROUP_POLICY, fake: GROUPS });
    }, 20_000);
    afterAll(async () => {
      await t?.close();
    });

    it('lets a member of the granted group run, refuses others with the missing rule, reading groups once', async () => {
      await t.fake.sendSlashCommand({ text: 'exec r1 show version', channel_id: 'C_G1', user_id: 'U_ALICE' });
      const root = await finishedRoot(t.fake, 'C_G1');
      expect(shownText(t.fake.thread('C_G1', root.ts)[1]!)).toContain('Hostname: r1');

      await t.fake.sendSlashCommand({ text: 'exec r1 show version', channel_id: 'C_G2', user_id: 'U_BOB' });
      const denied = shownText(await ephemeral(t, 'C_G2'));
      expect(denied).toMatch(/^:no_entry: Denied: you have no role: no grant in the policy names user:U_BOB.*group:design/);
      expect(t.fake.messages('C_G2')).toEqual([]);

      await t.fake.sendSlashCommand({ text: 'whoami', channel_id: 'C_G3', user_id: 'U_ALICE' });
      expect(shownText(await ephemeral(t, 'C_G3'))).toContain('groups: netops');
      // Read once when the bot started; every request since used that snapshot.
      expect(t.fake.calls('usergroups.list')).toHaveLength(1);
      expect(t.fake.calls('usergroups.list')[0]!.args).toMatchObject({ include_users: 'true' });
    });
  });

  describe('when Slack cannot say who is in which group', () => {
    let t: SlackTestApp;
    beforeAll(async () => {
      t = await startSlackApp({ nodes: 1, baseIp: '127.21.6.101', policy: GROUP_POLICY, fake: GROUPS, frontEnd: { userGroupsTtlMs: 1 } });
    }, 20_000);
    afterAll(async () => {
      await t?.close();
    });

    it('refuses with the reason instead of treating the user as a member of no group', async () => {
      t.fake.failNext('usergroups.list', { error: 'missing_scope' });
      await t.fake.sendSlashCommand({ text: 'exec r1 show version', channel_id: 'C_G4', user_id: 'U_ALICE' });
      const shown = shownText(await ephemeral(t, 'C_G4'));
      expect(shown).toContain('Denied: could not read your Slack user groups (usergroups.list: missing_scope)');
      expect(shown).toContain('usergroups:read');
      expect(t.fake.messages('C_G4')).toEqual([]);

      // Once Slack answers again, the same user is let through.
      await t.fake.sendSlashCommand({ text: 'exec r1 show version', channel_id: 'C_G5', user_id: 'U_ALICE' });
      await finishedRoot(t.fake, 'C_G5');
    });
  });
});
