import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/** Dry-run config from a file and from the modal: diffs per node in the thread, nothing committed. */
describe('/clab config in Slack', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 2, baseIp: '127.21.4.1' });
    writeFileSync(join(t.labsDir, 'hostname.conf'), 'system {\n    host-name r-renamed;\n}\n');
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  it('--file --dry-run posts each node\'s diff and commit check in the thread', async () => {
    await t.fake.sendSlashCommand({ text: 'config r1,r2 --file hostname.conf --dry-run', channel_id: 'C_CFG1' });
    const root = await finishedRoot(t.fake, 'C_CFG1');
    expect(shownText(root)).toContain('dry run (merge, file hostname.conf): 2 of 2 nodes would change, 0 failing; nothing was committed');
    const shown = shownText(t.fake.thread('C_CFG1', root.ts)[1]!);
    for (const node of ['r1', 'r2']) {
      expect(shown).toMatch(new RegExp(`:white_check_mark: \\*${node}\\* · \\d+ ms · \\+1 −1 · commit check ok\\n\`\`\`\\n \\[edit system\\]\\n-\\s+host-name ${node};\\n\\+\\s+host-name r-renamed;\\n\`\`\``));
    }
    // One marker column: every line of the diff starts with +, - or a space (Junos' [edit …] header included).
    const diffLines = /```\n([^]*?)\n```/.exec(shown)![1]!.split('\n');
    expect(diffLines.every((l) => /^[ +-]/.test(l))).toBe(true);
    // A dry run never commits: the running configuration still has the old name.
    await t.fake.sendSlashCommand({ text: 'exec r1 show configuration system host-name', channel_id: 'C_CFG1B' });
    const check = await finishedRoot(t.fake, 'C_CFG1B');
    expect(shownText(t.fake.thread('C_CFG1B', check.ts)[1]!)).toContain('host-name r1;');
  });

  it('config without a source opens a form within 3 s; its submission runs the dry run with the pasted text', async () => {
    const sentAt = Date.now();
    const sent = await t.fake.sendSlashCommand({ text: 'config r2 --dry-run', channel_id: 'C_CFG2', user_id: 'U_BOB' });
    expect(sent.ackPayload).toEqual({});
    const [opened] = await t.fake.waitForCalls('views.open');
    expect(opened!.ok).toBe(true);
    expect(opened!.at - sentAt).toBeLessThan(3000);
    const view = t.fake.views().at(-1)!;
    expect(view.user).toBe('U_BOB');
    expect(view.view).toMatchObject({ callback_id: 'clab_config', submit: { text: 'Dry run' } });
    expect(JSON.stringify(view.view.blocks)).toContain('/clab config r2 --dry-run');
    expect(t.fake.messages('C_CFG2')).toEqual([]);

    const values = (text: string, method: string) => ({
      config: { config_text: { type: 'plain_text_input', value: text } },
      method: { config_method: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: method }, value: method } } },
    });
    const empty = await t.fake.sendViewSubmission({ user: 'U_BOB', view: { id: view.id, callback_id: 'clab_config', state: { values: values('  \n', 'merge') } } });
    expect(empty.ackPayload).toEqual({ response_action: 'errors', errors: { config: 'Paste the configuration to load.' } });
    expect(t.fake.messages('C_CFG2')).toEqual([]);

    const submitted = await t.fake.sendViewSubmission({
      user: 'U_BOB',
      view: { id: view.id, callback_id: 'clab_config', state: { values: values('set system host-name r2-from-modal', 'set') } },
    });
    expect(submitted.ackPayload).toEqual({});
    const root = await finishedRoot(t.fake, 'C_CFG2');
    expect(shownText(root)).toContain('<@U_BOB>');
    expect(shownText(root)).toContain('dry run (set, pasted config): 1 of 1 node would change');
    const shown = shownText(t.fake.thread('C_CFG2', root.ts)[1]!);
    expect(shown).toMatch(/\[edit system\]\n-\s+host-name r2;\n\+\s+host-name r2-from-modal;/);
  });

  it('refuses an unknown node before opening the form', async () => {
    await t.fake.sendSlashCommand({ text: 'config r7 --dry-run', channel_id: 'C_CFG3' });
    const [reply] = await waitUntil(() => t.fake.ephemerals('C_CFG3').length > 0 && t.fake.ephemerals('C_CFG3'), { what: 'the refusal' });
    expect(shownText(reply!)).toMatch(/unknown node "r7".*did you mean r1/s);
    expect(t.fake.calls('views.open').filter((c) => JSON.stringify(c.args).includes('config r7'))).toEqual([]);
  });

  it('shows a device rejection and a failed commit check in the device\'s own words', async () => {
    writeFileSync(join(t.labsDir, 'broken.conf'), 'system {\n    host-name r1\n');
    await t.fake.sendSlashCommand({ text: 'config r1 --file broken.conf --dry-run', channel_id: 'C_CFG4' });
    const root = await finishedRoot(t.fake, 'C_CFG4');
    expect(shownText(root)).toMatch(/:x: dry run .*0 of 1 node would change, 1 failing/);
    expect(shownText(t.fake.thread('C_CFG4', root.ts)[1]!)).toMatch(/\*r1\* · \*FAILED\* · .*\nr1 rejected .*syntax error/);

    writeFileSync(join(t.labsDir, 'ospf.conf'), 'protocols {\n    ospf {\n        area 0.0.0.0 {\n            interface ge-0/0/9.0;\n        }\n    }\n}\n');
    await t.fake.sendSlashCommand({ text: 'config r2 --file ospf.conf --dry-run', channel_id: 'C_CFG5' });
    const checked = await finishedRoot(t.fake, 'C_CFG5');
    expect(shownText(checked)).toContain('1 of 1 node would change, 1 failing');
    const shown = shownText(t.fake.thread('C_CFG5', checked.ts)[1]!);
    expect(shown).toMatch(/:x: \*r2\* · \d+ ms · \+1 −0 · \*commit check FAILED\*\n```\n \[edit protocols ospf area 0\.0\.0\.0\]\n\+\s+interface ge-0\/0\/9\.0;/);
    expect(shown).toContain(':x: [edit protocols ospf area 0.0.0.0]: interface ge-0/0/9.0 is not configured under [edit interfaces]');
  });

  it('a diff too long to show inline is attached as a diff file, which Slack highlights', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `    ge-0/0/${i + 1} {\n        description "uplink ${i + 1} of the diff attachment test";\n    }`);
    writeFileSync(join(t.labsDir, 'many.conf'), `interfaces {\n${lines.join('\n')}\n}\n`);
    await t.fake.sendSlashCommand({ text: 'config r1 --file many.conf --dry-run', channel_id: 'C_CFG_FILE' });
    const root = await finishedRoot(t.fake, 'C_CFG_FILE');
    const post = await waitUntil(() => t.fake.thread('C_CFG_FILE', root.ts).find((m) => m.file_ids.length > 0), { what: 'the post with the file' });
    expect(shownText(post)).toContain('the full diff is attached');
    const file = t.fake.files().find((f) => f.id === post.file_ids[0])!;
    expect(file.filename).toMatch(/\.diff$/);
    expect(file.snippetType).toBe('diff');
    const [complete] = t.fake.calls('files.getUploadURLExternal').filter((c) => c.args.filename === file.filename);
    expect(complete!.args.snippet_type).toBe('diff');
    expect(file.content!.toString()).toContain('+      description "uplink 120 of the diff attachment test";');
  });
});
