import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/** A viewer may run show commands only; an operator may plan config, which rendering needs. */
const POLICY = `roles:
  viewer: { exec: ["show *"] }
  operator: { exec: ["show *"], config: plan }
grants:
  - { role: viewer, subjects: ["user:UVIEW01"] }
  - { role: operator, subjects: ["user:UOPER01"] }
`;

const SHORT = [
  'interfaces {',
  '{% for l in node.links %}    {{ l.interface }} { description "{{ node.name }} to {{ l.peer }} {{ l.peer_interface }}, pod {{ vars.pod }}"; }',
  '{% endfor %}}',
  '',
].join('\n');

/** Over 40 lines (posted as a file), with a password hash the output must mask. */
const HASH = '$6$tplSalt1$TemplateHashNeverShownInSlack';
const LONG = [
  'system {',
  '    login {',
  '        user ops { class super-user; authentication { encrypted-password "' + HASH + '"; } }',
  '    }',
  '}',
  'interfaces {',
  '{% for i in range(0, 45) %}    ge-0/0/{{ i }} { description "{{ node.name }} port {{ i }}"; }',
  '{% endfor %}}',
  '',
].join('\n');

/**
 * `/clab render` and `/clab config --template` through the real Bolt app, the fake Slack and
 * simulated Junos nodes: the grant it needs, the text per node (a file when long, secrets
 * masked), the confinement of template paths, the sandbox, and a dry run planned per node.
 */
describe('/clab render and config --template', () => {
  let t: SlackTestApp;
  let outside: string;
  let seq = 0;
  const channel = () => `C_TPL${++seq}`;
  const ephemeral = async (ch: string) => (await waitUntil(() => t.fake.ephemerals(ch).length > 0 && t.fake.ephemerals(ch), { what: 'a reply' }))[0]!;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 2, baseIp: '127.21.94.1', policy: POLICY });
    writeFileSync(join(t.labsDir, 'short.j2'), SHORT);
    writeFileSync(join(t.labsDir, 'long.j2'), LONG);
    writeFileSync(
      join(t.labsDir, 'secret.j2'),
      'protocols { ospf { area 0.0.0.0 { interface ge-0/0/0.0 { authentication { md5 1 key "{{ vars.ospf_key }}"; } } } } }\n',
    );
    writeFileSync(join(t.labsDir, 'escape.j2'), '{% include "/etc/passwd" %}\n');
    writeFileSync(join(t.labsDir, 'code.j2'), '{{ range.constructor("return process.env")() }}\n');
    outside = mkdtempSync(join(tmpdir(), 'clab-tpl-outside-'));
    writeFileSync(join(outside, 'x.j2'), 'system { host-name {{ node.name }}; }\n');
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  it('refuses a user without config plan; an operator gets each node its own text', async () => {
    const denied = channel();
    await t.fake.sendSlashCommand({ text: 'render --all --template short.j2 --var pod=3', channel_id: denied, user_id: 'UVIEW01' });
    expect(shownText(await ephemeral(denied))).toMatch(/:no_entry: Denied: .*config/);

    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'render --all --template short.j2 --var pod=3', channel_id: ch, user_id: 'UOPER01' });
    const text = shownText(await ephemeral(ch));
    expect(text).toMatch(/== r1 \(slk\)\nrendered \(sha256 [0-9a-f]{12}\):\ninterfaces \{\n {4}\S+ \{ description "r1 to r2 \S+, pod 3"; \}\n\}/);
    expect(text).toMatch(/== r2 \(slk\)\nrendered \(sha256 [0-9a-f]{12}\):\ninterfaces \{\n {4}\S+ \{ description "r2 to r1 \S+, pod 3"; \}\n\}/);
    expect(text).toContain('rendered short.j2 (sha256');
    expect(text).toContain('for 2 nodes; no device was touched');
  });

  it('posts a long rendering as a file in a thread, with the secrets it sets masked', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'render r1 --template long.j2', channel_id: ch, user_id: 'UOPER01' });
    const file = await waitUntil(() => t.fake.files().find((f) => f.state === 'completed' && f.filename === 'long.j2.rendered.txt'), { what: 'the file' });
    const root = t.fake.messages(ch)[0]!;
    expect(file.thread_ts).toBe(root.ts);
    expect(shownText(t.fake.thread(ch, root.ts)[1]!)).toContain('long.j2 rendered for 1 node: the text is attached');
    const content = file.content!.toString('utf8');
    expect(content).toContain('ge-0/0/44 { description "r1 port 44"; }');
    expect(content).not.toContain(HASH);
    expect(content).not.toContain('tplSalt1');
    for (const m of t.fake.messages(ch)) expect(JSON.stringify(m)).not.toContain('tplSalt1');
  });

  it('masks a secret a --var carries into the configuration: in the reply, the audit log and the request echoed', async () => {
    const key = 'OspfTplKey77';
    const ch = channel();
    await t.fake.sendSlashCommand({ text: `render r1 --template secret.j2 --var ospf_key=${key}`, channel_id: ch, user_id: 'UOPER01' });
    const text = shownText(await ephemeral(ch));
    expect(text).toContain('md5 1 key');
    expect(text).not.toContain(key);
    const rows = (await t.app.audit.query({ limit: 50 })).filter((r) => r.verb === 'render');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(key);
    expect(JSON.stringify(rows)).toContain('--var ospf_key=');

    const dry = channel();
    await t.fake.sendSlashCommand({ text: `config r1 --template secret.j2 --var ospf_key=${key} --dry-run`, channel_id: dry, user_id: 'UOPER01' });
    const root = await finishedRoot(t.fake, dry);
    await waitUntil(() => t.fake.files().some((f) => f.state === 'completed' && f.thread_ts === root.ts), { what: 'the renderings file' });
    for (const m of [...t.fake.messages(dry), ...t.fake.thread(dry, root.ts)]) expect(JSON.stringify(m)).not.toContain(key);
    for (const f of t.fake.files().filter((x) => x.thread_ts === root.ts)) expect(f.content!.toString('utf8')).not.toContain(key);
    for (const row of await t.app.audit.query({ limit: 100 })) expect(JSON.stringify(row)).not.toContain(key);
  });

  it('keeps templates inside the lab directory, away from containerlab\'s generated files, and inside the sandbox', async () => {
    const cases: [string, RegExp][] = [
      [`render r1 --template ../../${basename(outside)}/x.j2`, /is outside the lab directory .*: config files must live inside it or in configs_dir/],
      [`render r1 --template ${join(outside, 'x.j2')}`, /is outside the lab directory/],
      ['render r1 --template clab-slk/topology-data.json', /is refused: it is in clab-slk\/, the directory containerlab generates/],
      ['render r1 --template escape.j2', /escape\.j2 for slk\/r1: templates cannot include, import or extend other files \("\/etc\/passwd"\)/],
      ['render r1 --template code.j2', /code\.j2 for slk\/r1: `\.constructor` is not available in templates/],
      ['render r1 --template short.j2', /short\.j2, line 2 for slk\/r1: `vars\.pod` is undefined/],
    ];
    for (const [command, expected] of cases) {
      const ch = channel();
      await t.fake.sendSlashCommand({ text: command, channel_id: ch, user_id: 'UOPER01' });
      const text = shownText(await ephemeral(ch));
      expect(text, command).toMatch(expected);
      expect(text).not.toMatch(/root:x:0:0/);
    }
  });

  it('config --template --dry-run plans each node with its own rendering', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'config --all --template short.j2 --var pod=5 --dry-run', channel_id: ch, user_id: 'UOPER01' });
    const root = await finishedRoot(t.fake, ch);
    const shown = t.fake.thread(ch, root.ts).slice(1).map(shownText).join('\n');
    expect(shownText(root)).toContain('dry run (merge, template short.j2): 2 of 2 nodes would change, 0 failing; nothing was committed');
    expect(shown).toMatch(/\+\s+description "r1 to r2 \S+, pod 5";/);
    expect(shown).toMatch(/\+\s+description "r2 to r1 \S+, pod 5";/);
    // Each node's block holds its own text only.
    expect(shown).toMatch(/\*r1\*[^*]*\+\s+description "r1 to r2/);
    expect(shown).toMatch(/\*r2\*[^*]*\+\s+description "r2 to r1/);
    // And the text each node was planned with, as a file in the same thread.
    expect(shown).toContain('template short.j2: the text each node was planned with (2 nodes): attached');
    const file = await waitUntil(() => t.fake.files().find((f) => f.state === 'completed' && f.filename === 'short.j2.rendered.txt' && f.thread_ts === root.ts), {
      what: 'the renderings file',
    });
    const text = file.content!.toString('utf8');
    expect(text).toMatch(/== slk\/r1\nrendered \(sha256 [0-9a-f]{12}\):\ninterfaces \{\n {4}\S+ \{ description "r1 to r2 \S+, pod 5"; \}\n\}/);
    expect(text).toMatch(/== slk\/r2\nrendered \(sha256 [0-9a-f]{12}\):\ninterfaces \{\n {4}\S+ \{ description "r2 to r1 \S+, pod 5"; \}\n\}/);
  });
});
