import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, startFakeSlack, waitUntil, type FakeSlack } from '../../fakes/slack/index.js';

const SECRET = 'test-signing-secret';

describe('signed requests to a real Bolt HTTPReceiver', () => {
  let fake: FakeSlack;
  let app: App;
  let url: string;
  const commands: string[] = [];
  const actionValues: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: fake.botToken,
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/clab', async ({ command, ack, respond }) => {
      commands.push(command.text);
      await ack(`running ${command.text}`);
      await respond({ response_type: 'in_channel', text: `done ${command.text}` });
    });
    app.action('approve', async ({ ack, action }) => {
      if (action.type === 'button' && action.value !== undefined) actionValues.push(action.value);
      await ack();
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('accepts a correctly signed slash command; the ack body and response_url post reach the fake', async () => {
    const payload = fake.slashCommandPayload({ text: 'deploy lab1', channel_id: 'C_HTTP' });
    const res = await signedRequest(url, { slash: payload }, SECRET);
    expect(res.status).toBe(200);
    expect(res.text).toBe('running deploy lab1');
    expect(res.ms).toBeLessThan(3000);
    await waitUntil(() => fake.messages('C_HTTP')[0], { what: 'the in_channel response' });
    expect(fake.messages('C_HTTP').map((m) => [m.text, m.source])).toEqual([['done deploy lab1', 'response_url']]);
    expect(fake.responses().map((r) => r.status)).toEqual([200]);
  });

  it('refuses a wrong signature and a 6-minute-old timestamp with 401, before any listener runs', async () => {
    const before = commands.length;
    const payload = fake.slashCommandPayload({ text: 'nodes' });
    const wrongSecret = await signedRequest(url, { slash: payload }, 'not-the-secret');
    expect(wrongSecret.status).toBe(401);
    const forged = await signedRequest(url, { slash: payload }, SECRET, { signature: 'v0=00ff' });
    expect(forged.status).toBe(401);
    const stale = await signedRequest(url, { slash: payload }, SECRET, { timestamp: Math.floor(Date.now() / 1000) - 360 });
    expect(stale.status).toBe(401);
    expect(commands.length).toBe(before);
    // The same payload, correctly signed and fresh, goes through: the refusals were about the signature alone.
    expect((await signedRequest(url, { slash: payload }, SECRET)).status).toBe(200);
    expect(commands.at(-1)).toBe('nodes');
  });

  it('sends interactivity as a signed form field payload=<JSON>', async () => {
    const payload = fake.blockActionPayload({ action_id: 'approve', value: 'lab1:plan7', channel: 'C_HTTP' });
    const res = await signedRequest(url, { interactive: payload }, SECRET);
    expect(res.status).toBe(200);
    expect(actionValues).toEqual(['lab1:plan7']);
  });

  it('shows Bolt parses only the bare form media type (charset appended gives 400)', async () => {
    const body = new URLSearchParams(fake.slashCommandPayload({ text: 'labs' })).toString();
    const res = await signedRequest(url, { raw: body, contentType: 'application/x-www-form-urlencoded; charset=utf-8' }, SECRET);
    expect(res.status).toBe(400);
  });
});
