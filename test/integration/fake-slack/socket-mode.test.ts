import { App, LogLevel } from '@slack/bolt';
import { WebClientEvent } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckTimeoutError, startFakeSlack, waitUntil, type FakeSlack } from '../../fakes/slack/index.js';

/** A minimal real Bolt app in Socket Mode, driven through the fake exactly as Slack would drive it. */

const MODAL = {
  type: 'modal' as const,
  callback_id: 'clab_config',
  private_metadata: 'lab1',
  title: { type: 'plain_text' as const, text: 'Paste config' },
  submit: { type: 'plain_text' as const, text: 'Plan' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'cfg',
      label: { type: 'plain_text' as const, text: 'Config' },
      element: { type: 'plain_text_input' as const, action_id: 'text', multiline: true },
    },
  ],
};

interface SeenAction {
  value: string | undefined;
  messageTs: string | undefined;
  triggerId: string;
}

interface SeenView {
  callbackId: string;
  privateMetadata: string;
  config: string | undefined;
  viewId: string;
}

describe('fake Slack driving a real Bolt app over Socket Mode', () => {
  let fake: FakeSlack;
  let app: App;
  const actions: SeenAction[] = [];
  const views: SeenView[] = [];
  const listenerErrors: unknown[] = [];
  /** Added to the fake's clock: trigger_id lifetimes expire without the test sleeping. */
  let clockOffsetMs = 0;
  /** Holds the `slow` command's ack until the fake has timed the envelope out. */
  const slowGate = gate();

  beforeAll(async () => {
    fake = await startFakeSlack({ now: () => Date.now() + clockOffsetMs });
    app = new App({
      token: fake.botToken,
      appToken: fake.appToken,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      // retries > 0 so a 429 is retried after Retry-After; minTimeout 0 keeps other retries instant.
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 1 } },
    });

    app.command('/clab', async ({ command, ack, say, respond, client }) => {
      const verb = command.text.split(' ')[0];
      const channel = command.channel_id;
      switch (verb) {
        case 'ping':
          await ack({ response_type: 'ephemeral', text: `pong ${command.user_id}` });
          return;
        case 'thread': {
          await ack();
          const root = await say({ text: 'exec on router1: running' });
          if (root.ts === undefined) throw new Error('chat.postMessage returned no ts');
          await client.chat.postMessage({ channel, thread_ts: root.ts, text: 'router1: Junos 23.4R1' });
          await client.chat.update({ channel, ts: root.ts, text: 'exec on router1: done' });
          return;
        }
        case 'respond':
          await ack();
          await respond({ text: 'delayed answer' });
          return;
        case 'upload': {
          await ack();
          const root = await say({ text: 'output attached' });
          await client.files.uploadV2({
            channel_id: channel,
            thread_ts: root.ts as string,
            filename: 'router1.txt',
            title: 'router1 output',
            content: 'show version\nJunos: 23.4R1.10\n',
          });
          return;
        }
        case 'button':
          await ack();
          await say({
            text: 'Approve plan 42?',
            blocks: [
              { type: 'section', text: { type: 'mrkdwn', text: '*Plan 42* for lab1' } },
              {
                type: 'actions',
                block_id: 'plan42',
                elements: [
                  { type: 'button', action_id: 'approve', style: 'primary', value: 'lab1:plan42', text: { type: 'plain_text', text: 'Approve' } },
                ],
              },
            ],
          });
          return;
        case 'modal':
          await ack();
          await client.views.open({ trigger_id: command.trigger_id, view: MODAL });
          return;
        case 'say':
          await ack();
          await say({ text: command.text });
          return;
        case 'slow':
          // Acks only once the fake has given up on this envelope (the test opens the gate then).
          await slowGate.promise;
          await ack();
          return;
        default:
          await ack(`unknown verb ${verb}`);
      }
    });

    app.action('approve', async ({ ack, action, body, respond }) => {
      await ack();
      actions.push({
        value: action.type === 'button' ? action.value : undefined,
        messageTs: body.type === 'block_actions' ? body.container.message_ts : undefined,
        triggerId: body.type === 'block_actions' ? body.trigger_id : '',
      });
      await respond({ replace_original: true, text: 'Plan 42 approved by <@U_TESTER>' });
    });

    app.view('clab_config', async ({ ack, view }) => {
      const config = view.state.values.cfg?.text?.value ?? undefined;
      views.push({ callbackId: view.callback_id, privateMetadata: view.private_metadata, config, viewId: view.id });
      if (config === undefined || config === '') {
        await ack({ response_action: 'errors', errors: { cfg: 'Paste a configuration' } });
        return;
      }
      await ack();
    });

    app.error(async (error) => {
      listenerErrors.push(error);
    });

    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('connects with the app token and the bot token where each belongs', () => {
    const open = fake.calls('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ token: 'xapp-test', ok: true, args: {} });
    expect(fake.calls('auth.test')[0]).toMatchObject({ token: 'xoxb-test', ok: true });
    expect(fake.socketConnections).toBe(1);
  });

  it('round-trips a slash command: ack within 3 s, ack payload shown to the user as an ephemeral', async () => {
    const sent = await fake.sendSlashCommand({ text: 'ping', user_id: 'U_ALICE', channel_id: 'C_PING' });
    expect(sent.ackMs).toBeGreaterThan(0);
    expect(sent.ackMs).toBeLessThan(3000);
    expect(sent.ackPayload).toEqual({ response_type: 'ephemeral', text: 'pong U_ALICE' });
    expect(fake.ephemerals('C_PING', 'U_ALICE').map((e) => e.text)).toEqual(['pong U_ALICE']);
    expect(fake.messages('C_PING')).toEqual([]);
  });

  it('records chat.postMessage with thread_ts and shows the thread with its updated root', async () => {
    await fake.sendSlashCommand({ text: 'thread', channel_id: 'C_THREAD' });
    await fake.waitForCalls('chat.update');
    const posts = fake.calls('chat.postMessage').filter((c) => c.args.channel === 'C_THREAD');
    expect(posts).toHaveLength(2);
    const [root] = fake.messages('C_THREAD');
    expect(root).toBeDefined();
    expect(posts[1]?.args.thread_ts).toBe(root?.ts);
    // Listener clients add team_id to every call (slack-facts §4.1); the fake accepts it.
    expect(posts[1]?.args.team_id).toBe(fake.team.id);
    const thread = fake.thread('C_THREAD', root?.ts ?? '');
    expect(thread.map((m) => [m.text, m.thread_ts])).toEqual([
      ['exec on router1: done', undefined],
      ['router1: Junos 23.4R1', root?.ts],
    ]);
    expect(thread[0]?.updates).toBe(1);
  });

  it('records a respond() POST to the response_url', async () => {
    const sent = await fake.sendSlashCommand({ text: 'respond', user_id: 'U_BOB', channel_id: 'C_RESP' });
    await waitUntil(() => fake.responses().length > 0, { what: 'a response_url post' });
    const [post] = fake.responses();
    expect(`${fake.baseUrl}/response/${post?.id}`).toBe(sent.payload.response_url);
    expect(post).toMatchObject({ status: 200, body: { text: 'delayed answer' } });
    expect(fake.ephemerals('C_RESP', 'U_BOB').map((e) => e.text)).toEqual(['delayed answer']);
  });

  it('runs files.uploadV2 end to end: upload URL, bytes, completion into the thread', async () => {
    await fake.sendSlashCommand({ text: 'upload', channel_id: 'C_FILES' });
    await fake.waitForCalls('files.completeUploadExternal');
    const [file] = fake.files();
    expect(file).toMatchObject({ filename: 'router1.txt', title: 'router1 output', state: 'completed', channel: 'C_FILES' });
    expect(file?.content?.toString('utf8')).toBe('show version\nJunos: 23.4R1.10\n');
    expect(file?.declaredLength).toBe(file?.content?.length);
    const [root, share] = fake.messages('C_FILES');
    expect(file?.thread_ts).toBe(root?.ts);
    expect(share).toMatchObject({ thread_ts: root?.ts, file_ids: [file?.id], source: 'files.completeUploadExternal' });
    expect(fake.calls().map((c) => c.method).filter((m) => m.startsWith('files.'))).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
  });

  it('delivers a block_actions click to app.action and applies replace_original', async () => {
    await fake.sendSlashCommand({ text: 'button', channel_id: 'C_APPROVE' });
    await fake.waitForCalls('chat.postMessage');
    const message = await waitUntil(() => fake.messages('C_APPROVE')[0], { what: 'the approval message' });
    const sent = await fake.sendBlockAction({ channel: 'C_APPROVE', message_ts: message.ts, action_id: 'approve' });
    expect(sent.ackPayload).toEqual({});
    expect(sent.ackMs).toBeLessThan(3000);
    expect(actions).toEqual([{ value: 'lab1:plan42', messageTs: message.ts, triggerId: sent.payload.trigger_id }]);
    await waitUntil(() => fake.messages('C_APPROVE')[0]?.updates === 1, { what: 'replace_original' });
    expect(fake.messages('C_APPROVE')[0]).toMatchObject({ ts: message.ts, text: 'Plan 42 approved by <@U_TESTER>', blocks: undefined });
    // A button the bot never rendered cannot be clicked.
    await expect(fake.sendBlockAction({ channel: 'C_APPROVE', message_ts: message.ts, action_id: 'reject' })).rejects.toMatchObject({
      code: 'unknown_action',
    });
  });

  it('opens a modal with a fresh trigger_id and routes its view_submission to app.view', async () => {
    await fake.sendSlashCommand({ text: 'modal', channel_id: 'C_MODAL' });
    const [open] = await fake.waitForCalls('views.open');
    expect(open).toMatchObject({ ok: true });
    const [opened] = fake.views();
    expect(opened?.view.callback_id).toBe('clab_config');

    const refused = await fake.sendViewSubmission({
      view: { id: opened?.id, callback_id: 'clab_config', state: { values: { cfg: { text: { type: 'plain_text_input', value: '' } } } } },
    });
    expect(refused.ackPayload).toEqual({ response_action: 'errors', errors: { cfg: 'Paste a configuration' } });

    const accepted = await fake.sendViewSubmission({
      view: {
        id: opened?.id,
        callback_id: 'clab_config',
        state: { values: { cfg: { text: { type: 'plain_text_input', value: 'set system host-name r1' } } } },
      },
    });
    expect(accepted.ackPayload).toEqual({});
    expect(views.at(-1)).toEqual({
      callbackId: 'clab_config',
      privateMetadata: 'lab1',
      config: 'set system host-name r1',
      viewId: opened?.id,
    });
  });

  it('refuses views.open with an expired or already used trigger_id', async () => {
    const used = fake.views()[0];
    expect(used).toBeDefined();
    const reused = fake.calls('views.open')[0]?.args.trigger_id as string;
    await expect(app.client.views.open({ trigger_id: reused, view: MODAL })).rejects.toMatchObject({
      data: { error: 'exchanged_trigger_id' },
    });
    const trigger = fake.issueTriggerId();
    clockOffsetMs += 3100; // the fake's clock moves past the 3 s lifetime of a trigger_id
    await expect(app.client.views.open({ trigger_id: trigger, view: MODAL })).rejects.toMatchObject({
      data: { error: 'expired_trigger_id' },
    });
  });

  it('answers 429 with Retry-After and the SDK waits that long before retrying', async () => {
    let rateLimitedSec: number | undefined;
    app.client.on(WebClientEvent.RATE_LIMITED, (sec: number) => {
      rateLimitedSec = sec;
    });
    fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    const started = Date.now();
    const res = await app.client.chat.postMessage({ channel: 'C_RATE', text: 'after the limit' });
    expect(res.ok).toBe(true);
    const calls = fake.calls('chat.postMessage').filter((c) => c.args.channel === 'C_RATE');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    const gap = (calls[1]?.at ?? 0) - (calls[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(2500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rateLimitedSec).toBe(1);
  });

  it('injects an API error (not retried) and an HTTP 500 (retried) into a listener client', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await fake.sendSlashCommand({ text: 'say first', channel_id: 'C_FAIL' });
    await waitUntil(() => listenerErrors.length > 0, { what: 'the listener error' });
    expect(listenerErrors[0]).toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } });
    expect(fake.messages('C_FAIL')).toEqual([]);

    fake.failNext('chat.postMessage', { status: 500 });
    await fake.sendSlashCommand({ text: 'say second', channel_id: 'C_FAIL' });
    await waitUntil(() => fake.messages('C_FAIL').length > 0, { what: 'the retried post' });
    const statuses = fake.calls('chat.postMessage').filter((c) => c.args.channel === 'C_FAIL').map((c) => c.status);
    expect(statuses).toEqual([200, 500, 200]);
    expect(fake.messages('C_FAIL').map((m) => m.text)).toEqual(['say second']);
  });

  it('rejects with AckTimeoutError when the app acks after 3 s, and records the late ack', async () => {
    const late = fake.sendSlashCommand({ text: 'slow', channel_id: 'C_SLOW' });
    await expect(late).rejects.toBeInstanceOf(AckTimeoutError);
    slowGate.open();
    const ack = await waitUntil(() => fake.acks().find((a) => !a.expected), { what: 'the late ack' });
    expect(ack.payload).toEqual({});
  });
});

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
