import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/** A viewer may run show commands only; an operator may plan config, which is what backups need. */
const POLICY = `roles:
  viewer: { exec: ["show *"] }
  operator: { exec: ["show *"], config: plan }
grants:
  - { role: viewer, subjects: ["user:UVIEW01"] }
  - { role: operator, subjects: ["user:UOPER01"] }
`;

/**
 * `/clab backup` through the real Bolt app, the fake Slack and simulated Junos nodes: the grant
 * it needs, the per-node lines in the thread, a stored configuration (secrets masked) and a diff,
 * and export refused outside the terminal.
 */
describe('/clab backup', () => {
  let t: SlackTestApp;
  let seq = 0;
  const channel = () => `C_BK${++seq}`;
  const ephemeral = async (ch: string) => (await waitUntil(() => t.fake.ephemerals(ch).length > 0 && t.fake.ephemerals(ch), { what: 'a reply' }))[0]!;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 2, baseIp: '127.21.90.1', policy: POLICY });
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  it('refuses a user without config plan, and saves for one who has it, per node in the thread', async () => {
    const denied = channel();
    await t.fake.sendSlashCommand({ text: 'backup --all', channel_id: denied, user_id: 'UVIEW01' });
    expect(shownText(await ephemeral(denied))).toMatch(/:no_entry: Denied: .*config/);
    expect(t.fake.messages(denied)).toEqual([]);

    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'backup --all', channel_id: ch, user_id: 'UOPER01' });
    const root = await finishedRoot(t.fake, ch);
    expect(shownText(root)).toMatch(/2 of 2 ok/);
    const shown = t.fake.thread(ch, root.ts).slice(1).map(shownText).join('\n');
    expect(shown).toMatch(/slk\/r1 {2}saved version 1 \(sha256 [0-9a-f]{12}/);
    expect(shown).toMatch(/slk\/r2 {2}saved version 1 /);
    expect(shown).toContain('secrets are masked in backups');
  });

  it('shows a stored configuration with its secrets masked, and a diff that says there is nothing to compare yet', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'backup show r1', channel_id: ch, user_id: 'UOPER01' });
    // The simulated configuration is longer than 40 lines: it comes as a file in the request's thread.
    const file = await waitUntil(() => t.fake.files().find((f) => f.state === 'completed' && f.filename === 'r1-v1.cfg'), { what: 'the file' });
    const root = t.fake.messages(ch)[0]!;
    expect(file.thread_ts).toBe(root.ts);
    expect(shownText(t.fake.thread(ch, root.ts)[1]!)).toContain('slk/r1: backup version 1: the text is attached');
    const text = file.content!.toString('utf8');
    expect(text).toContain('host-name r1;');
    expect(text).toContain('secrets are masked in backups');
    expect(text).toMatch(/encrypted-password "?(<redacted>|&lt;redacted&gt;)/);
    expect(text).not.toMatch(/\$6\$[./0-9A-Za-z]{8}\$/);

    const diff = channel();
    await t.fake.sendSlashCommand({ text: 'backup diff r1', channel_id: diff, user_id: 'UOPER01' });
    expect(shownText(await ephemeral(diff))).toContain('slk/r1 has only one backup (version 1), so there is nothing to compare yet');
  });

  it('refuses export in Slack: the files would land on the bot host', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'backup export --all --dir /tmp/x', channel_id: ch, user_id: 'UOPER01' });
    expect(shownText(await ephemeral(ch))).toContain('backup export writes files on the host that runs clab-bot, so it runs in the terminal only');
  });
});
