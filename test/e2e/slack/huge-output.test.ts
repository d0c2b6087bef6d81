import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';
import { ScriptedDevice, scriptedDriver } from '../../helpers/scripted-driver.js';

const NODES = 60;
const MB = 1024 * 1024;
/** One log line of about 100 bytes, repeated to 10 MB: what a chatty `show log messages` returns. */
const LINE = 'Dec  6 21:00:00  r1 rpd[1234]: bgp_read_message: peer 10.0.0.1 (External AS 65001): received update\n';
const TEN_MB = LINE.repeat(Math.ceil((10 * MB) / LINE.length));

/**
 * Issue 11: 60 nodes answering 10 MB each once threw RangeError (one joined string) and blocked
 * the event loop for seconds. With the output limits each node keeps its share, the result says
 * so, and other users' commands are acked within Slack's 3 s while the big one is processed.
 * The fake Slack refuses an ack later than 3 s (AckTimeoutError), so an awaited ack is the assertion.
 * The timing itself is measured in the bench (bench/huge-output.ts), not here.
 */
describe('a request returning 60 × 10 MB', () => {
  let t: SlackTestApp;
  const dead: Record<string, string> = {};
  for (let i = 2; i <= NODES; i++) dead[`r${i}`] = `127.21.64.${i}`;

  beforeAll(async () => {
    t = await startSlackApp({
      lab: 'huge',
      nodes: 1,
      baseIp: '127.21.64.1',
      deadNodes: dead,
      // 16 MiB for the request (273 KiB a node): the attached file stays under the fake's 20 MiB body limit.
      limits: { max_output_per_request_mib: 16 },
      driverFactory: (node) => {
        const device = new ScriptedDevice(node.name, ['set system host-name x']);
        device.execOutput = () => TEN_MB;
        return scriptedDriver(node, device);
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  it('keeps each node to its share, says the output was cut, and acks other users meanwhile', async () => {
    expect(t.app.inventory.nodes()).toHaveLength(NODES);
    await t.fake.sendSlashCommand({ text: 'exec --all show log messages', channel_id: 'C0HUGE', user_id: 'U0BIG' });
    let done = false;
    const finished = finishedRoot(t.fake, 'C0HUGE', 120_000).finally(() => (done = true));
    // Another user's commands while the big one runs, renders and uploads: each ack must come back in time.
    let acked = 0;
    for (let i = 0; i < 200 && !done; i++) {
      await t.fake.sendSlashCommand({ text: 'whoami', channel_id: `C0OTHER${i}`, user_id: 'U0OTHER' });
      acked++;
    }
    const root = await finished;
    expect(acked).toBeGreaterThan(0);
    expect(shownText(root)).toMatch(/60 of 60 ok/);

    const summary = t.fake.thread('C0HUGE', root.ts)[1]!;
    const shown = shownText(summary);
    expect(shown).toContain('output cut by the bot');
    expect(shown).toContain('60 nodes');
    expect(shown).toContain('| match PATTERN');
    expect(summary.file_ids, JSON.stringify(t.logs().filter((l) => (l['level'] as number) >= 40))).toHaveLength(1);
    const file = t.fake.files().find((f) => f.id === summary.file_ids[0])!;
    const content = file.content!.toString('utf8');
    expect(content.length).toBeLessThan(17 * MB);
    expect(content.length).toBeGreaterThan(15 * MB);
    expect(content.match(/output cut: showing the first 273 KiB of 10 MiB/g)).toHaveLength(NODES);
    expect(t.logLines().filter((l) => /RangeError|Invalid string length/.test(l))).toEqual([]);
  }, 180_000);
});
