import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/**
 * The real Bolt app in Socket Mode against the fake Slack and simulated Junos nodes: one node,
 * long output, help and usage errors, unknown and unreachable nodes, Slack failures.
 */
describe('/clab exec in Socket Mode', () => {
  let t: SlackTestApp;
  let seq = 0;
  /** A fresh channel per command keeps each request's messages apart. */
  const channel = () => `C_EX${++seq}`;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 2, baseIp: '127.21.1.1', deadNodes: { dead1: '127.21.1.250' } });
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  it('acks at once, posts a root message naming who, what and where, and the output in its thread', async () => {
    const ch = channel();
    const sent = await t.fake.sendSlashCommand({ text: 'exec r1 show version', channel_id: ch, user_id: 'U_ALICE' });
    expect(sent.ackMs).toBeLessThan(3000);
    expect(sent.ackPayload).toEqual({});

    const root = await finishedRoot(t.fake, ch);
    const rootShown = shownText(root);
    expect(rootShown).toContain('<@U_ALICE>');
    expect(rootShown).toContain('`/clab exec r1 show version`');
    expect(rootShown).toContain('on 1 node: r1');
    expect(rootShown).toMatch(/:white_check_mark: done in .*: 1 of 1 ok/);

    const [, reply, ...more] = t.fake.thread(ch, root.ts);
    expect(more).toEqual([]);
    expect(reply?.thread_ts).toBe(root.ts);
    const shown = shownText(reply!);
    expect(shown).toContain('*r1* · ok');
    expect(shown).toMatch(/```\nHostname: r1\nModel: vmx\nJunos: 23\.2R1\.14/);
    expect(t.fake.ephemerals(ch)).toEqual([]);
  });

  it('cuts a long output visibly and attaches the full output as a file in the thread', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'exec r1 show interfaces', channel_id: ch });
    const root = await finishedRoot(t.fake, ch);
    const reply = t.fake.thread(ch, root.ts)[1]!;
    expect(reply.source).toBe('files.completeUploadExternal');
    const shown = shownText(reply);
    expect(shown).toMatch(/truncated: r1 shows \d+ of \d+ lines; the full output is attached/);

    const file = t.fake.files().find((f) => f.id === reply.file_ids[0])!;
    expect(file.state).toBe('completed');
    expect(file.thread_ts).toBe(root.ts);
    const content = file.content!.toString('utf8');
    // The file holds every line; the message only the first ones.
    const lastLine = content.trimEnd().split('\n').filter((l) => l.trim() !== '').at(-2)!;
    expect(content).toContain('Physical interface: ge-0/0/0');
    expect(content.length).toBeGreaterThan(shown.length);
    expect(shown).not.toContain(lastLine.trim());
    for (const block of reply.blocks as { text?: { text: string } }[]) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
  });

  it('answers help privately, with the usage of the Slack command', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'help', channel_id: ch });
    const [help] = await waitUntil(() => t.fake.ephemerals(ch).length > 0 && t.fake.ephemerals(ch), { what: 'the help reply' });
    expect(shownText(help!)).toContain('usage: /clab VERB');
    expect(shownText(help!)).toContain('exec SELECTOR');
    expect(t.fake.messages(ch)).toEqual([]);
  });

  it('answers a usage error privately with the usage line, and runs nothing', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'exec --format yaml r1 show version', channel_id: ch });
    const [reply] = await waitUntil(() => t.fake.ephemerals(ch).length > 0 && t.fake.ephemerals(ch), { what: 'the usage reply' });
    const shown = shownText(reply!);
    expect(shown).toMatch(/:warning: .*yaml/);
    expect(shown).toContain('usage: /clab exec SELECTOR');
    expect(t.fake.messages(ch)).toEqual([]);
  });

  it('names an unknown node with the closest names, privately, and runs nothing', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'exec r3 show version', channel_id: ch });
    const [reply] = await waitUntil(() => t.fake.ephemerals(ch).length > 0 && t.fake.ephemerals(ch), { what: 'the unknown-node reply' });
    const shown = shownText(reply!);
    expect(shown).toContain('unknown node "r3"');
    expect(shown).toMatch(/did you mean r1/);
    expect(t.fake.messages(ch)).toEqual([]);
  });

  it('reports an unreachable node in one sentence and marks the request failed', async () => {
    const ch = channel();
    await t.fake.sendSlashCommand({ text: 'exec r1,dead1 show version', channel_id: ch });
    const root = await finishedRoot(t.fake, ch);
    expect(shownText(root)).toMatch(/:warning: done in .*: 1 of 2 ok, 1 failed/);
    const shown = shownText(t.fake.thread(ch, root.ts)[1]!);
    expect(shown).toContain('*r1* · ok');
    expect(shown).toMatch(/:x: \*dead1\* · \*FAILED\* · .*\ndead1 is unreachable: .*127\.21\.1\.250/);
  });

  it('completes through a 429 with Retry-After and a transient 500 in the middle', async () => {
    const ch = channel();
    t.fake.resetCalls();
    t.fake.failNext('files.completeUploadExternal', { status: 429, retryAfterSec: 1 });
    t.fake.failNext('chat.update', { status: 500 });
    await t.fake.sendSlashCommand({ text: 'exec r1 show interfaces', channel_id: ch });
    const root = await finishedRoot(t.fake, ch);
    expect(shownText(root)).toContain('1 of 1 ok');
    const reply = t.fake.thread(ch, root.ts)[1]!;
    expect(reply.file_ids).toHaveLength(1);
    expect(t.fake.files().find((f) => f.id === reply.file_ids[0])?.content?.toString()).toContain('Physical interface: ge-0/0/0');
    const completes = t.fake.calls('files.completeUploadExternal');
    expect(completes.map((c) => c.status)).toEqual([429, 200]);
    expect(completes[1]!.at - completes[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(t.fake.calls('chat.update').map((c) => c.status)).toEqual([500, 200]);
  });

  it('logs a refused post with the request id, tells the asker, and keeps serving', async () => {
    const ch = channel();
    t.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    await t.fake.sendSlashCommand({ text: 'exec r1 show version', channel_id: ch });
    const [reply] = await waitUntil(() => t.fake.ephemerals(ch).length > 0 && t.fake.ephemerals(ch), { what: 'the failure reply' });
    expect(shownText(reply!)).toContain('could not post in this channel, so nothing was run');
    expect(shownText(reply!)).toContain('/invite @clab-bot');
    const logged = t.logs().find((l) => l.msg === 'slack call failed' && l.error === 'not_in_channel');
    expect(logged).toMatchObject({ method: 'chat.postMessage', channel: ch });
    expect(logged?.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const next = channel();
    await t.fake.sendSlashCommand({ text: 'exec r1 show version', channel_id: next });
    expect(shownText(await finishedRoot(t.fake, next))).toContain('1 of 1 ok');
  });

  it('reconnects after the socket drops, and the next command works', async () => {
    const before = t.fake.socketConnections;
    expect(t.fake.dropSocket()).toBe(1);
    await waitUntil(() => t.fake.socketConnections === before + 1, { timeoutMs: 5000, what: 'the reconnect' });
    const ch = channel();
    const sent = await t.fake.sendSlashCommand({ text: 'exec r2 show version', channel_id: ch });
    expect(sent.ackMs).toBeLessThan(3000);
    const root = await finishedRoot(t.fake, ch);
    expect(shownText(t.fake.thread(ch, root.ts)[1]!)).toContain('Hostname: r2');
  });
});
