import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, type FakeMessage } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/**
 * Issue 11 through the real Bolt app and the fake Slack: an engineer (exec "show *", config apply)
 * tried as an attacker. Each case failed on the code before the fix.
 */
const POLICY = `roles:
  engineer: { exec: ["show *"], config: apply, config_deny: ["system login *", "delete system", "system services ssh root-login allow"] }
  grouped:  { exec: ["show *"], config: apply }
  approver: { approve: true }
  dc2view:  { exec: ["show *"], scope: { labs: ["dc2"] } }
grants:
  - { role: engineer, subjects: ["user:U0ENG"] }
  - { role: grouped,  subjects: ["group:eng"] }
  - { role: approver, subjects: ["user:U0LEAD"] }
  - { role: dc2view,  subjects: ["user:U0DC2"] }
`;
const ENG = 'U0ENG';
const GRP = 'U0GRP';
const LEAD = 'U0LEAD';

let channels = 0;
const channel = (): string => `C0A${++channels}`;

interface Button {
  readonly action_id: string;
  readonly value: string;
}
const buttons = (m: FakeMessage): Button[] =>
  (m.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: Button[] }).elements : []));

describe('issue 11 attacks through Slack', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({
      lab: 'dc1',
      nodes: 1,
      baseIp: '127.21.80.1',
      moreLabs: [{ lab: 'dc2', prefix: 's', nodes: 1, baseIp: '127.21.81.1' }],
      policy: POLICY,
      fake: { usergroups: [{ id: 'S0ENG', handle: 'eng', users: [GRP] }] },
      frontEnd: { userGroupsTtlMs: 1 },
    });
    const files: Record<string, string> = {
      'desc.conf': 'interfaces {\n    ge-0/0/0 {\n        description "to core";\n    }\n}\n',
      'login.conf': 'system {\n    login {\n        user eve {\n            class super-user;\n        }\n    }\n}\n',
      'login.set': 'set system login user eve class super-user\n',
      'login.xml': '<configuration><system><login><user><name>eve</name><class>super-user</class></user></login></system></configuration>\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(t.labsDir, name), text);
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  const reply = async (user: string, text: string, ch = channel()): Promise<string> => {
    await t.fake.sendSlashCommand({ text, channel_id: ch, user_id: user });
    return shownText(await waitUntil(() => t.fake.ephemerals(ch, user)[0], { what: `the reply to "${text}"` }));
  };
  const denied = async (user: string, text: string): Promise<string> => {
    const ch = channel();
    const shown = await reply(user, text, ch);
    expect(shown).toMatch(/^:no_entry: Denied: /);
    // Nothing ran: no root message was posted.
    expect(t.fake.messages(ch)).toEqual([]);
    return shown.replace(/^:no_entry: Denied: /, '');
  };
  /** A request that reaches devices: its root message and thread, once final. */
  const runs = async (user: string, text: string): Promise<{ ch: string; root: FakeMessage; thread: () => FakeMessage[] }> => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text, channel_id: ch, user_id: user });
    const root = await finishedRoot(t.fake, ch);
    return { ch, root, thread: () => t.fake.thread(ch, root.ts) };
  };
  // A proposal holds its nodes until it ends; each test starts with r1 free.
  afterEach(async () => {
    for (const c of await t.app.changes.list({ filter: 'pending', actorId: 'x' })) await t.app.changes.cancel(c.id, { id: 'U0ADMIN' }, { isAdmin: true });
  });
  const changeCount = async (): Promise<number> => (await t.app.changes.list({ filter: 'all', actorId: 'x' })).length;

  describe('finding 1: --check is authorized like exec', () => {
    it.each([
      ['request system reboot', 'no role grants you exec `request system reboot`'],
      ['req sys reb', 'no role grants you exec `request system reboot`'],
      ['show version | save /var/tmp/x', 'save writes a file on the device'],
      ["show version | match 'x | save /var/tmp/x'", 'Junos quotes only with double quotes'],
    ])('an engineer cannot propose a change with --check %j', async (check, why) => {
      const before = await changeCount();
      const reason = await denied(ENG, `config r1 --file desc.conf --check "${check}"`);
      expect(reason).toMatch(/^--check: /);
      expect(reason).toContain(why);
      expect(await changeCount()).toBe(before);
    });

    it('the approver\'s press authorizes the check again for the requester: a requester who lost the grant gets nothing run', async () => {
      const { ch, thread } = await runs(GRP, 'config r1 --file desc.conf --check "show system uptime"');
      const decision = await waitUntil(() => thread().find((m) => buttons(m).some((b) => b.action_id === 'clab_change_approve')), { what: 'the Approve button' });
      const id = Number(buttons(decision).find((b) => b.action_id === 'clab_change_approve')!.value.split(':')[0]);

      t.fake.setUsergroup({ id: 'S0ENG', handle: 'eng', users: [] });
      await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: LEAD, channel: ch, message_ts: decision.ts });
      const refusal = shownText(await waitUntil(() => t.fake.ephemerals(ch, LEAD)[0], { what: 'the refusal' }));
      expect(refusal).toContain(`Denied: change #${id} runs \`show system uptime\` on its nodes after the commit (--check), which its requester u0grp may not run now: you have no role`);
      expect((await t.app.changes.get(id)).state).toBe('planned');
      // Nothing was committed: the description is not on the device.
      const shown = await runs(ENG, 'exec r1 show configuration interfaces');
      expect(shownText(shown.thread()[1]!)).not.toContain('to core');
      const audit = await t.app.audit.query({ limit: 50 });
      expect(audit.find((r) => r.actor === LEAD && r.event === 'decision')).toMatchObject({ outcome: 'denied' });
    });
  });

  describe('finding 3: quoting read as Junos reads it', () => {
    it('a single-quoted pipe is refused, never passed as a harmless match', async () => {
      const reason = await denied(ENG, "exec r1 show version | match 'x | save /var/tmp/pwned'");
      expect(reason).toContain('Junos quotes only with double quotes');
    });

    it('a double-quoted alternation is one match pattern and runs', async () => {
      const { root } = await runs(ENG, 'exec r1 show interfaces terse | match "ge-0/0/0|lo0"');
      expect(shownText(root)).toContain('1 of 1 ok');
    });
  });

  describe('guard rails: config_deny against the planned diff in set form', () => {
    it.each(['login.conf', 'login.set', 'login.xml'])('%s (same change, another format) is refused with the rule that matched', async (file) => {
      const { thread } = await runs(ENG, `config r1 --file ${file}`);
      const shown = await waitUntil(() => {
        const text = thread().map((m) => shownText(m)).join('\n');
        return text.includes('config_deny') && text;
      }, { what: 'the refusal in the thread' });
      expect(shown).toContain('refused by config_deny rule `system login *` (role engineer via user:U0ENG): the planned change has `set system login user eve class super-user`');
      expect(thread().some((m) => buttons(m).some((b) => b.action_id === 'clab_change_approve'))).toBe(false);
    });

    it('a dry run says so too; a change the rules allow plans as usual', async () => {
      const dry = await runs(ENG, 'config r1 --file login.set --dry-run');
      const text = [dry.root, ...dry.thread()].map((m) => shownText(m)).join('\n');
      expect(text).toContain('refused by config_deny rule `system login *`');
      const ok = await runs(ENG, 'config r1 --file desc.conf --dry-run');
      expect([ok.root, ...ok.thread()].map((m) => shownText(m)).join('\n')).toContain('description "to core"');
    });
  });

  describe('config sources for chat users', () => {
    it.each([
      ['--file clab-dc1/nornir-simple-inventory.yml', 'the directory containerlab generates'],
      ['--file clab-dc1/topology-data.json', 'the directory containerlab generates'],
      ['--device-file http://169.254.169.254/latest/meta-data/', 'is a URL'],
      ['--device-file scp://u@10.0.0.1/x.conf', 'is a URL'],
    ])('config r1 %s is refused', async (source, why) => {
      const shown = await reply(ENG, `config r1 ${source} --dry-run`);
      expect(shown).toContain(why);
      expect(shown).not.toContain('admin@123');
    });
  });

  describe('names and diffs only within the caller\'s grants', () => {
    it('a user with no role learns no node or lab name from a typo', async () => {
      const exec = await denied('U0NOBODY', 'exec r9 show version');
      expect(exec).toContain('you have no role');
      for (const text of [exec, await reply('U0NOBODY', 'history r9'), await reply('U0NOBODY', 'config dc9/r1 --dry-run --file desc.conf')]) {
        expect(text).not.toMatch(/\br1\b|\bs1\b|dc1|dc2/);
      }
      // Someone with a role still gets the suggestion.
      expect(await reply(ENG, 'exec r9 show version')).toContain('r1');
    });

    it('change N shows a viewer only the nodes inside their grants', async () => {
      const { thread } = await runs(ENG, 'config r1,s1 --file desc.conf');
      const decision = await waitUntil(() => thread().find((m) => buttons(m).some((b) => b.action_id === 'clab_change_approve')), { what: 'the proposal' });
      const id = Number(buttons(decision).find((b) => b.action_id === 'clab_change_approve')!.value.split(':')[0]);
      const full = await reply(ENG, `change ${id}`);
      expect(full).toContain('dc1/r1: plan ok');
      expect(full).toContain('dc2/s1: plan ok');
      const scoped = await reply('U0DC2', `change ${id}`);
      expect(scoped).toContain('dc2/s1: plan ok');
      expect(scoped).not.toContain('r1');
    });
  });
});

describe('issue 11 rate limits through Slack: cost per node, denied and read-only requests count', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ lab: 'dc1', nodes: 3, baseIp: '127.21.82.1', policy: POLICY, limits: { per_user_per_minute: 4, per_user_nodes_per_minute: 2 } });
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  const reply = async (user: string, text: string): Promise<string> => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text, channel_id: ch, user_id: user });
    return shownText(await waitUntil(() => t.fake.ephemerals(ch, user)[0] ?? (t.fake.messages(ch)[0]?.updates ? t.fake.messages(ch)[0] : undefined), { what: `the reply to "${text}"` }));
  };

  it('an exec over 3 nodes uses the whole 2-node budget; the next node is refused', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'exec --all show version', channel_id: ch, user_id: ENG });
    expect(shownText(await finishedRoot(t.fake, ch))).toContain('3 of 3 ok');
    expect(await reply(ENG, 'exec r1 show version')).toContain('slow down: you can touch 2 nodes a minute');
  });

  it('a user with no role is limited too, and the refused flood adds no audit rows', async () => {
    for (let i = 0; i < 4; i++) expect(await reply('U0FLOOD', 'nodes')).toContain('you have no role');
    expect(await reply('U0FLOOD', 'nodes')).toContain('slow down: you can start 4 requests a minute');
    expect(await reply('U0FLOOD', 'history')).toContain('slow down');
    const rows = (await t.app.audit.query({ limit: 100 })).filter((r) => r.actor === 'U0FLOOD');
    expect(rows).toHaveLength(4);
  });
});
