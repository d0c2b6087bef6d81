import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../fakes/slack/index.js';
import { shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

const POLICY = `roles:
  viewer: { exec: ["show *"] }
grants:
  - { role: viewer, subjects: ["user:UVIEW01"] }
`;

/** `/clab nodes --facts` through the real Bolt app, the fake Slack and simulated Junos nodes. */
describe('/clab nodes --facts', () => {
  let t: SlackTestApp;
  let seq = 0;
  const channel = () => `C_NF${++seq}`;
  const ephemeral = async (ch: string) => (await waitUntil(() => t.fake.ephemerals(ch).length > 0 && t.fake.ephemerals(ch), { what: 'a reply' }))[0]!;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 2, baseIp: '127.21.91.1', policy: POLICY });
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  it('answers a viewer with model and version per node, read now and then from the stored facts', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'nodes --facts', channel_id: ch, user_id: 'UVIEW01' });
    const first = shownText(await ephemeral(ch));
    expect(first).toMatch(/slk +r1 +vmx +\S+ +\S+ +\S+ +now/);
    expect(first).toMatch(/slk +r2 +vmx +\S+ +\S+ +\S+ +now/);
    expect(first).toContain('2 of 2 read now');

    const again = channel();
    await t.fake.sendSlashCommand({ text: 'nodes r1 --facts', channel_id: again, user_id: 'UVIEW01' });
    expect(shownText(await ephemeral(again))).toContain('0 of 1 read now, 1 from the stored facts');
  });

  it('refuses a user without any role, as nodes does', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'nodes --facts --refresh', channel_id: ch, user_id: 'UNOBODY' });
    expect(shownText(await ephemeral(ch))).toMatch(/:no_entry: Denied/);
  });
});
