import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/** Many nodes: one summary and one file in the thread, within a fixed number of Web API calls. */
describe('/clab exec on many nodes', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 20, baseIp: '127.21.2.1' });
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  it('exec --all on 20 nodes: a summary table and a file of every output, in at most 6 Web API calls', async () => {
    t.fake.resetCalls();
    const sent = await t.fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_MANY' });
    expect(sent.ackMs).toBeLessThan(3000);
    const root = await finishedRoot(t.fake, 'C_MANY', 15_000);
    expect(shownText(root)).toMatch(/:white_check_mark: done in .*: 20 of 20 ok/);
    expect(shownText(root)).toContain('on 20 nodes: r1, r2, r3');
    expect(shownText(root)).toContain('and 8 more');

    const thread = t.fake.thread('C_MANY', root.ts);
    expect(thread).toHaveLength(2);
    const summary = thread[1]!;
    const shown = shownText(summary);
    expect(shown).toContain('*Results* · 20 nodes: 20 ok');
    expect(shown).toMatch(/NODE\s+STATUS\s+TIME\s+FIRST LINE/);
    for (let i = 1; i <= 20; i++) expect(shown).toMatch(new RegExp(`\\nr${i}\\s+ok\\s+(\\d+ ms|\\d+\\.\\d s)\\s+Hostname: r${i}\\n`));
    expect(shown).toContain('the full output of 20 nodes is attached');

    expect(summary.file_ids).toHaveLength(1);
    const file = t.fake.files().find((f) => f.id === summary.file_ids[0])!;
    const content = file.content!.toString('utf8');
    for (let i = 1; i <= 20; i++) expect(content).toContain(`Hostname: r${i}\n`);
    expect(content.match(/JUNOS Online Documentation/g)).toHaveLength(20);

    const calls = t.fake.calls().map((c) => c.method);
    expect(calls.length, calls.join(', ')).toBeLessThanOrEqual(6);
    expect(calls.filter((m) => m === 'chat.postMessage')).toHaveLength(1);
  });

  it('exec --all with an unreachable node: counts in the root, the failure as a sentence in the summary', async () => {
    await t.addDeadNodes({ dead1: '127.21.2.250' });
    await t.fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_ALL' });
    const root = await finishedRoot(t.fake, 'C_ALL', 15_000);
    expect(shownText(root)).toMatch(/:warning: done in .*: 20 of 21 ok, 1 failed/);
    const shown = shownText(t.fake.thread('C_ALL', root.ts)[1]!);
    expect(shown).toContain('21 nodes: 20 ok, 1 failed');
    expect(shown).toMatch(/\ndead1\s+FAILED\s+.*dead1 is unreachable/);
    expect(shown).toMatch(/\*Failures\*\n• \*dead1\* is unreachable: .*127\.21\.2\.250/);
  });
});
