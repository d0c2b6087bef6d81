import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

/** The live status is throttled, and Web API calls are paced per channel by the settings limit. */
describe('live status and per-channel pacing', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({
      nodes: 5,
      baseIp: '127.21.8.1',
      latencyMs: 450,
      // One node at a time, so nodes finish one after another and the status has something to show.
      limits: { global_concurrency: 1, slack_calls_per_sec_per_channel: 4 },
      frontEnd: { statusIntervalMs: 400 },
    });
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  it('updates the root with k of n done while nodes finish, backing off between updates, then the final state', async () => {
    t.fake.resetCalls();
    const started = Date.now();
    await t.fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_LIVE' });
    const root = await finishedRoot(t.fake, 'C_LIVE', 14_000);
    const elapsed = Date.now() - started;
    const updates = t.fake.calls('chat.update').filter((c) => c.args.channel === 'C_LIVE');
    const texts = updates.map((u) => JSON.stringify(u.args.blocks));
    const interim = texts.filter((x) => x.includes('running:'));
    expect(interim.length).toBeGreaterThanOrEqual(2);
    const done = interim.map((x) => Number(/running: (\d) of 5 done/.exec(x)?.[1]));
    expect(done.every((k) => k >= 1 && k < 5)).toBe(true);
    expect([...done].sort()).toEqual(done);
    // The first after the interval, each later one after twice the previous wait (plus the final update).
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(Math.log2(elapsed / 400 + 1)) + 1);
    for (let i = 1; i < interim.length; i++) expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(400 * 2 ** i - 200);
    expect(shownText(root)).toContain('5 of 5 ok');
    expect(texts.at(-1)).toContain('5 of 5 ok');
  });

  it('paces new messages in one channel to the configured rate while another channel is not held up', async () => {
    t.fake.resetCalls();
    const sends = [1, 2, 3, 4].map(() => t.fake.sendSlashCommand({ text: 'exec r1 show version', channel_id: 'C_BUSY' }));
    await Promise.all(sends);
    const quietStart = Date.now();
    await t.fake.sendSlashCommand({ text: 'exec r2 show version', channel_id: 'C_QUIET' });
    await finishedRoot(t.fake, 'C_QUIET', 10_000);
    const quietMs = Date.now() - quietStart;

    await waitForRoots('C_BUSY', 4);
    // New messages are what Slack limits per channel: posts and file shares.
    const busy = t.fake
      .calls()
      .filter((c) => (c.method === 'chat.postMessage' && c.args.channel === 'C_BUSY') || (c.method === 'files.completeUploadExternal' && c.args.channel_id === 'C_BUSY'));
    expect(busy.length).toBeGreaterThanOrEqual(8);
    // Token bucket: in any window, at most burst (4) + rate (4/s) × window calls.
    for (let i = 0; i < busy.length; i++) {
      for (let j = i + 1; j < busy.length; j++) {
        const windowSec = (busy[j]!.at - busy[i]!.at) / 1000;
        expect(j - i + 1).toBeLessThanOrEqual(4 + Math.ceil(4 * windowSec + 0.25));
      }
    }
    expect(busy.at(-1)!.at - busy[0]!.at).toBeGreaterThanOrEqual(900);
    expect(quietMs).toBeLessThan(busy.at(-1)!.at - busy[0]!.at);
  }, 14_000);

  async function waitForRoots(channel: string, n: number): Promise<void> {
    const deadline = Date.now() + 12_000;
    while (Date.now() < deadline) {
      const roots = t.fake.messages(channel).filter((m) => m.thread_ts === undefined);
      if (roots.length === n && roots.every((r) => shownText(r).includes('1 of 1 ok'))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${n} finished roots in ${channel} did not appear`);
  }
});
