import { LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecResult, Plan } from '../../../src/drivers/contract.js';
import { ChannelPacer } from '../../../src/handlers/slack/channel-pacer.js';
import { SlackPoster } from '../../../src/handlers/slack/slack-poster.js';
import { silentLogger } from '../../../src/log.js';
import type { NodeOutcome } from '../../../src/ops/outcome.js';
import type { RequestResult } from '../../../src/ops/results.js';
import { renderSlackResult, rootMessage } from '../../../src/render/slack/index.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/index.js';
import { makeNode } from '../../helpers/nodes.js';
import { shownText } from '../../helpers/slack-app.js';

/**
 * Worst-case results rendered and posted to the fake Slack, which refuses anything over Slack's
 * limits (50 blocks, 3,000 a section, 13,200 across blocks, 40,000 of text): every post must be
 * accepted, and every cut must be said in the message.
 */
describe('Block Kit budgets hold for oversize results', () => {
  let fake: FakeSlack;
  let poster: SlackPoster;
  let pacer: ChannelPacer;

  beforeAll(async () => {
    fake = await startFakeSlack();
    const client = new webApi.WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    pacer = new ChannelPacer({ perSec: 100, burst: 100 });
    poster = new SlackPoster(client, pacer, silentLogger);
  });

  afterAll(async () => {
    pacer.stop();
    await fake?.close();
  });

  // Markup-like text, fences, and a secret in every output.
  const nasty = (i: number, lines: number) =>
    Array.from({ length: lines }, (_, l) => `line ${l} of r${i} <@U1|x> & <!channel> \`\`\` a>b ${'x'.repeat(60)}`)
      .concat(['    encrypted-password "$6$Abcdefgh$0123456789abcdefghijklmnop"; ## SECRET-DATA'])
      .join('\n');

  function exec(n: number, lines: number, failEvery = 0): RequestResult {
    const outcomes: NodeOutcome<ExecResult>[] = Array.from({ length: n }, (_, k) => {
      const i = k + 1;
      const node = makeNode({ name: `router-with-a-rather-long-name-${i}`, host: '127.0.0.1' });
      const failed = failEvery > 0 && i % failEvery === 0;
      return {
        node,
        status: failed ? 'failed' : 'ok',
        value: failed ? undefined : { output: nasty(i, lines), format: 'text', warnings: [], durationMs: 12 },
        error: failed ? { code: 'unreachable', message: `${node.name} is unreachable: connect ECONNREFUSED 127.0.0.1:830 <&>`, deviceErrors: [] } : undefined,
        durationMs: 12 + i,
        startedAt: new Date(),
      };
    });
    return { kind: 'exec', command: 'show interfaces <extensive> & more', format: 'text', outcomes };
  }

  async function postThread(result: RequestResult, channel: string) {
    const rendering = renderSlackResult(result);
    if (rendering.kind !== 'thread') throw new Error('expected thread posts');
    const root = await poster.post(channel, rootMessage({ userId: 'U1', what: 'exec --all show interfaces', targets: [] }, { phase: 'running', done: 0, total: 0, failed: [] }), { requestId: 'r' });
    for (const post of rendering.posts) expect(await poster.thread(channel, root!, post, { requestId: 'r' })).toBe(true);
    const refused = fake.calls().filter((c) => !c.ok);
    expect(refused, JSON.stringify(refused.map((c) => c.error))).toEqual([]);
    return fake.thread(channel, root!).slice(1);
  }

  it('300 nodes with long outputs and failures: a summary that says what it leaves to the file', async () => {
    const [summary] = await postThread(exec(300, 40, 7), 'C_R1');
    const shown = shownText(summary!);
    expect(shown).toMatch(/the table shows \d+ of 300 nodes; the file has every node/);
    expect(shown).toMatch(/…and \d+ more in the attached file/);
    expect(shown).not.toContain('<@U1');
    expect(shown).not.toContain('$6$Abcdefgh');
    expect((summary!.blocks ?? []).length).toBeLessThanOrEqual(50);
    const file = fake.files().find((f) => f.id === summary!.file_ids[0])!.content!.toString();
    expect(file).toContain('router-with-a-rather-long-name-300');
    expect(file).toContain('line 39 of r299');
    expect(file).not.toContain('$6$Abcdefgh');
    expect(file).toContain('encrypted-password "<redacted>"');
  });

  it('5 nodes with 5,000-line outputs: each cut at a line, the cut said, the whole attached', async () => {
    const [post] = await postThread(exec(5, 5000), 'C_R2');
    const shown = shownText(post!);
    expect(shown).toMatch(/:scissors: truncated: router-with-a-rather-long-name-1 shows \d+ of 5001 lines; .*the full output is attached/);
    for (const b of post!.blocks as { text?: { text: string } }[]) expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    expect(shown).not.toMatch(/```[^`\n]*```\n```/);
    expect(fake.files().find((f) => f.id === post!.file_ids[0])!.content!.toString()).toContain('line 4999 of r5');
  });

  it('a dry run with a huge diff and hundreds of check errors stays within limits', async () => {
    const diff = ['[edit system]', ...Array.from({ length: 3000 }, (_, i) => `+   static-host-mapping h${i} inet 10.0.${i % 256}.1;`)].join('\n');
    const plan: Plan = { diff, diffHash: 'h', base: undefined, check: { ok: false, warnings: ['w <x>'], errors: Array.from({ length: 300 }, (_, i) => `error ${i}: something & <thing> is wrong`) } };
    const outcomes: NodeOutcome<Plan>[] = [1, 2].map((i) => ({ node: makeNode({ name: `r${i}`, host: '127.0.0.1' }), status: 'ok', value: plan, error: undefined, durationMs: 5, startedAt: new Date() }));
    const [post] = await postThread({ kind: 'plan', method: 'merge', sourceLabel: 'file big.conf', outcomes }, 'C_R3');
    const shown = shownText(post!);
    expect(shown).toMatch(/truncated: r1 shows \d+ of 3001 diff lines; r1 lists \d+ of 301 check messages/);
    expect(shown).toContain('the full diff is attached');
    expect(fake.files().find((f) => f.id === post!.file_ids[0])!.content!.toString()).toContain('error 299: something');
  });

  it('a reply longer than a message (nodes of a big lab) shows the first lines and says so', async () => {
    const nodes = Array.from({ length: 2000 }, (_, i) => makeNode({ name: `n${i}`, host: `127.0.${Math.floor(i / 250)}.${i % 250}` }));
    const rendering = renderSlackResult({ kind: 'nodes', nodes });
    if (rendering.kind !== 'reply') throw new Error('expected a reply');
    expect(await poster.ephemeral('C_R4', 'U1', rendering.message, { requestId: 'r' })).toBe(true);
    const [reply] = fake.ephemerals('C_R4');
    expect(shownText(reply!)).toMatch(/:scissors: showing the first \d+ of 2002 lines; narrow the request/);
    expect(fake.calls().filter((c) => !c.ok)).toEqual([]);
  });
});
