import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, waitUntil, type FakeSlack } from '../../fakes/slack/index.js';

/**
 * The SDK waits clientPingTimeout × failures before reconnecting (5 s by default); a receiver with
 * clientPingTimeout 1000 keeps these tests short while going through the same reconnect path.
 */
describe('Socket Mode reconnects against the fake', () => {
  let fake: FakeSlack;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeSlack();
    const clientOptions = { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } };
    const receiver = new SocketModeReceiver({
      appToken: fake.appToken,
      clientPingTimeout: 1000,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions },
    });
    app = new App({ token: fake.botToken, receiver, logLevel: LogLevel.ERROR, clientOptions });
    app.command('/clab', async ({ command, ack }) => {
      await ack(`pong ${command.text}`);
    });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('reconnects after the socket is cut, with a new ticket, and the next slash command works', async () => {
    expect(fake.socketConnections).toBe(1);
    const started = Date.now();
    expect(fake.dropSocket()).toBe(1);
    await expect(fake.sendSlashCommand({ text: 'while down' })).rejects.toMatchObject({ code: 'no_socket' });
    await waitUntil(() => fake.socketConnections === 2, { timeoutMs: 4000, what: 'the reconnect' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(fake.calls('apps.connections.open')).toHaveLength(2);
    const sent = await fake.sendSlashCommand({ text: 'after drop' });
    expect(sent.ackPayload).toEqual({ text: 'pong after drop' });
  });

  it('reconnects after a disconnect (refresh_requested) message', async () => {
    expect(fake.sendDisconnect('refresh_requested')).toBe(1);
    await waitUntil(() => fake.socketConnections === 3, { timeoutMs: 4000, what: 'the reconnect' });
    const sent = await fake.sendSlashCommand({ text: 'after refresh' });
    expect(sent.ackPayload).toEqual({ text: 'pong after refresh' });
  });

  it('sends hello on connect and refuses a ticket that was already used', async () => {
    const opened = await new WebClient(fake.appToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }).apps.connections.open();
    const url = opened.url as string;
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f-]+&app_id=A_FAKE$/);

    const first = new WebSocket(url);
    const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
      first.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>));
      first.once('error', reject);
    });
    expect(hello).toMatchObject({ type: 'hello', connection_info: { app_id: 'A_FAKE' } });

    const second = new WebSocket(url);
    const status = await new Promise<number>((resolve, reject) => {
      second.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      second.once('open', () => reject(new Error('a used ticket was accepted')));
      second.once('error', () => resolve(-1));
    });
    expect(status).toBe(401);
    second.terminate();
    await new Promise<void>((resolve) => {
      first.once('close', () => resolve());
      first.close();
    });
  });
});
