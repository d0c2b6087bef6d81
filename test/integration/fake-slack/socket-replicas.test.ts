import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckTimeoutError, startFakeSlack, waitUntil, type FakeSlack } from '../../fakes/slack/index.js';

/** What one app's listener saw of a slash command. */
interface Seen {
  readonly app: string;
  readonly text: string;
  readonly retryNum: number | undefined;
  readonly retryReason: string | undefined;
}

/**
 * Two real Bolt apps in Socket Mode on one fake Slack, as two replicas of a bot: the fake spreads
 * envelopes over both connections and sends an envelope one app leaves unacked (or loses with its
 * connection) again on the other, with retry_attempt and retry_reason.
 */
describe('fake Slack Socket Mode with two connections (replicas)', () => {
  let fake: FakeSlack;
  const apps: App[] = [];
  const seen: Seen[] = [];
  /** The replica stopped by a test (not stopped again). */
  let stopped: App | undefined;

  function replica(name: string): App {
    const app = new App({
      token: fake.botToken,
      appToken: fake.appToken,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/clab', async ({ command, ack, context }) => {
      seen.push({ app: name, text: command.text, retryNum: context.retryNum, retryReason: context.retryReason });
      // `hold-<app> …` is never acked by that app.
      if (command.text.startsWith(`hold-${name}`)) return;
      await ack(`${name}: ${command.text}`);
    });
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    fake = await startFakeSlack({ ackTimeoutMs: 800, socketRetries: 2 });
    await replica('a').start();
    await replica('b').start();
    expect(fake.openSockets).toBe(2);
  });

  afterAll(async () => {
    for (const app of apps) if (app !== stopped) await app.stop();
    await fake?.close();
  });

  it('spreads envelopes over the open connections in turn', async () => {
    seen.length = 0;
    for (const n of [1, 2, 3, 4]) await fake.sendSlashCommand({ text: `spread ${n}` });
    expect(seen.map((s) => s.app).sort()).toEqual(['a', 'a', 'b', 'b']);
    expect(seen.every((s) => s.retryNum === undefined)).toBe(true);
  });

  it('an envelope left unacked is sent again on the other connection with retry_attempt 1 and retry_reason "timeout"', async () => {
    seen.length = 0;
    // Four sends went round: the fifth goes to a again, which holds it.
    const sent = await fake.sendSlashCommand({ text: 'hold-a once' });
    expect(sent).toMatchObject({ attempt: 1, ackPayload: { text: 'b: hold-a once' } });
    expect(seen).toEqual([
      { app: 'a', text: 'hold-a once', retryNum: undefined, retryReason: undefined },
      { app: 'b', text: 'hold-a once', retryNum: 1, retryReason: 'timeout' },
    ]);
    const [first, retry] = fake.deliveries().slice(-2);
    expect(first).toMatchObject({ attempt: 0, outcome: 'timeout' });
    expect(retry).toMatchObject({ attempt: 1, outcome: 'acked' });
    expect(retry!.connection).not.toBe(first!.connection);
    expect(retry!.envelopeId).not.toBe(first!.envelopeId);
  });

  it('a connection that closes with an envelope unacked: the envelope goes to the other connection at once', async () => {
    seen.length = 0;
    // Aim the next envelope at a: send one that b acks, so the turn moves on, until a holds one.
    let sending: Promise<unknown> | undefined;
    for (let i = 0; i < 4 && sending === undefined; i++) {
      const before = seen.length;
      const p = fake.sendSlashCommand({ text: `hold-a ${i}` });
      await waitUntil(() => seen.length > before, { timeoutMs: 2000, what: 'the envelope reaching an app' });
      if (seen.at(-1)!.app === 'a') sending = p;
      else await p;
    }
    expect(sending).toBeDefined();
    stopped = apps[0]!;
    await stopped.stop();
    const result = await sending;
    expect(result).toMatchObject({ attempt: 1 });
    expect(seen.at(-1)).toMatchObject({ app: 'b', retryNum: 1, retryReason: 'timeout' });
    const [held] = fake.deliveries().filter((d) => d.outcome === 'connection_closed');
    expect(held).toMatchObject({ attempt: 0, type: 'slash_commands' });
    expect(fake.openSockets).toBe(1);
  });

  it('with every retry unacked, the send fails with AckTimeoutError after the last one', async () => {
    const before = fake.deliveries().length;
    await expect(fake.sendSlashCommand({ text: 'hold-b alone' })).rejects.toBeInstanceOf(AckTimeoutError);
    const tries = fake.deliveries().slice(before);
    expect(tries.map((d) => `${d.attempt} ${d.outcome}`)).toEqual(['0 timeout', '1 timeout', '2 timeout']);
  });
});
