import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

const SECRET = 'e2e-signing-secret';

/** HTTP mode: the same flows over signed requests to Bolt's HTTPReceiver; forged or stale requests get 401. */
describe('/clab in HTTP mode', () => {
  let t: SlackTestApp;
  let url: string;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 1, baseIp: '127.21.5.1', mode: 'http' });
    url = t.frontEnd.eventsUrl!;
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  it('listens on loopback with no socket, and answers a signed /clab exec with an ack, a root message and the output', async () => {
    expect(t.frontEnd.mode).toBe('http');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
    expect(t.fake.socketConnections).toBe(0);
    const res = await signedRequest(url, { slash: t.fake.slashCommandPayload({ text: 'exec r1 show version', channel_id: 'C_HTTP1' }) }, SECRET);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.ms).toBeLessThan(3000);
    const root = await finishedRoot(t.fake, 'C_HTTP1');
    expect(shownText(root)).toContain('1 of 1 ok');
    expect(shownText(t.fake.thread('C_HTTP1', root.ts)[1]!)).toContain('Hostname: r1');
  });

  it('refuses a bad signature and a timestamp older than 5 minutes with 401, running nothing', async () => {
    const forged = await signedRequest(url, { slash: t.fake.slashCommandPayload({ text: 'exec r1 show version', channel_id: 'C_HTTP2' }) }, 'not-the-secret');
    expect(forged.status).toBe(401);
    const stale = await signedRequest(url, { slash: t.fake.slashCommandPayload({ text: 'exec r1 show version', channel_id: 'C_HTTP2' }) }, SECRET, {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    // A later, valid request in another channel completes; nothing ever reached C_HTTP2.
    await signedRequest(url, { slash: t.fake.slashCommandPayload({ text: 'exec r1 show version', channel_id: 'C_HTTP3' }) }, SECRET);
    await finishedRoot(t.fake, 'C_HTTP3');
    expect(t.fake.messages('C_HTTP2')).toEqual([]);
    expect(t.fake.ephemerals('C_HTTP2')).toEqual([]);
  });

  it('refuses a replay of a valid signed request within the signature window: it runs once', async () => {
    const payload = t.fake.slashCommandPayload({ text: 'exec r1 show version', channel_id: 'C_HTTP_REPLAY' });
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await signedRequest(url, { slash: payload }, SECRET, { timestamp });
    expect(first.status).toBe(200);
    await finishedRoot(t.fake, 'C_HTTP_REPLAY');
    const replay = await signedRequest(url, { slash: payload }, SECRET, { timestamp });
    expect(replay.status).toBe(401);
    expect(replay.text).toBe('replayed request refused');
    // A fresh request in another channel still runs; the replay posted nothing more.
    await signedRequest(url, { slash: t.fake.slashCommandPayload({ text: 'exec r1 show version', channel_id: 'C_HTTP_AFTER' }) }, SECRET);
    await finishedRoot(t.fake, 'C_HTTP_AFTER');
    expect(t.fake.messages('C_HTTP_REPLAY').filter((m) => m.thread_ts === undefined)).toHaveLength(1);
    expect(t.logs().some((l) => String(l['msg']).includes('refused a replayed Slack request'))).toBe(true);
  });

  it('opens the config form and validates its submission over signed interactivity requests', async () => {
    const res = await signedRequest(url, { slash: t.fake.slashCommandPayload({ text: 'config r1 --dry-run', channel_id: 'C_HTTP4' }) }, SECRET);
    expect(res.status).toBe(200);
    await t.fake.waitForCalls('views.open');
    const view = t.fake.views().at(-1)!;
    const payload = t.fake.viewSubmissionPayload({
      view: { id: view.id, callback_id: 'clab_config', state: { values: { config: { config_text: { type: 'plain_text_input', value: '' } } } } },
    });
    const refused = await signedRequest(url, { interactive: payload }, SECRET);
    expect(refused.status).toBe(200);
    expect(refused.json).toEqual({ response_action: 'errors', errors: { config: 'Paste the configuration to load.' } });

    const ok = t.fake.viewSubmissionPayload({
      view: {
        id: view.id,
        callback_id: 'clab_config',
        state: { values: { config: { config_text: { type: 'plain_text_input', value: 'system { host-name r1-http; }' } } } },
      },
    });
    expect((await signedRequest(url, { interactive: ok }, SECRET)).status).toBe(200);
    const root = await finishedRoot(t.fake, 'C_HTTP4');
    expect(shownText(root)).toContain('dry run (merge, pasted config): 1 of 1 node would change');
    expect(shownText(t.fake.thread('C_HTTP4', root.ts)[1]!)).toMatch(/\+\s+host-name r1-http;/);
  });
});
