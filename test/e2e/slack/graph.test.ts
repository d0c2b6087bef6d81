import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, type FakeFile } from '../../fakes/slack/index.js';
import { pngSize } from '../../helpers/graph-checks.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

const POLICY = `roles:
  viewer: { exec: ["show version"] }
  operator: { exec: ["show *"] }
grants:
  - { role: viewer, subjects: ["user:UVIEW01"] }
  - { role: operator, subjects: ["user:UOPER01"] }
`;

/** `/clab graph` through the real Bolt app, the fake Slack and a chain of three simulated vJunos routers running OSPF. */
describe('/clab graph', () => {
  let t: SlackTestApp;
  let seq = 0;
  const channel = () => `C_GR${++seq}`;
  const ephemeral = async (ch: string) => (await waitUntil(() => t.fake.ephemerals(ch).length > 0 && t.fake.ephemerals(ch), { what: 'a reply' }))[0]!;
  const picture = async (ch: string, filename: string): Promise<{ file: FakeFile; lead: string; root: string }> => {
    const root = await finishedRoot(t.fake, ch, 60_000);
    const [, reply, ...more] = t.fake.thread(ch, root.ts);
    expect(more).toEqual([]);
    expect(reply?.source).toBe('files.completeUploadExternal');
    const file = t.fake.files().find((f) => f.id === reply!.file_ids[0])!;
    expect(file).toMatchObject({ state: 'completed', filename, thread_ts: root.ts });
    return { file, lead: shownText(reply!), root: shownText(root) };
  };

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 3, baseIp: '127.21.94.1', policy: POLICY });
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  it('posts the lab as a PNG in the request thread, with the legend line', async () => {
    const ch = channel();
    const sent = await t.fake.sendSlashCommand({ text: 'graph slk', channel_id: ch, user_id: 'UVIEW01' });
    expect(sent.ackMs).toBeLessThan(3000);
    const { file, lead, root } = await picture(ch, 'slk.png');
    expect(root).toContain('`/clab graph slk`');
    expect(root).toContain('lab slk: the picture is in the thread');
    // Never read before, so read now (as nodes --facts does): the facts read is allowed to a viewer.
    expect(lead).toContain('lab slk: 3 nodes: 3 reachable (green), 0 unreachable (red), 0 unknown (grey); shape = vendor (box Juniper); 2 links');
    const { width, height } = pngSize(file.content!);
    expect(width).toBeGreaterThan(600);
    expect(height).toBeGreaterThan(100);
  });

  it('refuses --check ospf to a user who may not run the neighbour command, naming it', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'graph slk --check ospf', channel_id: ch, user_id: 'UVIEW01' });
    const shown = shownText(await ephemeral(ch));
    expect(shown).toMatch(/:no_entry: Denied/);
    expect(shown).toContain('show ospf neighbor');
    expect(t.fake.files().filter((f) => f.channel === ch)).toEqual([]);
  });

  it('refuses --out: Slack gets the picture in the thread', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'graph slk --out slk.png', channel_id: ch, user_id: 'UOPER01' });
    expect(shownText(await ephemeral(ch))).toContain('--out writes a file on the host that runs clab-bot; in Slack the picture is posted in the thread');
  });

  it('shows a stopped router and its links in red with --check ospf', async () => {
    await t.lab.nodes[1]!.sim.close();
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'graph --lab slk --check ospf', channel_id: ch, user_id: 'UOPER01' });
    const { file, lead, root } = await picture(ch, 'slk.png');
    expect(root).toContain(':red_circle:');
    expect(lead).toContain('3 nodes: 2 reachable (green), 1 unreachable (red), 0 unknown (grey)');
    expect(lead).toContain('2 links: 0 up (green, OSPF Full at both ends), 2 down (red), 0 unknown (grey)');
    expect(pngSize(file.content!).width).toBeGreaterThan(600);

    // The same, as mermaid text for the docs.
    const md = channel();
    await t.fake.sendSlashCommand({ text: 'graph slk --output mermaid', channel_id: md, user_id: 'UOPER01' });
    const text = (await picture(md, 'slk.mmd')).file.content!.toString('utf8');
    expect(text).toMatch(/^flowchart LR\n/);
    expect(text).toMatch(/class n1 unreachable/);
  });
});
