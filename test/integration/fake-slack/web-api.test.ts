import { LogLevel, WebClient, type WebAPICallResult } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_KIT_LIMITS, startFakeSlack, type FakeSlack } from '../../fakes/slack/index.js';

/** The fake's Web API through the real @slack/web-api client (the wire format the bot uses). */

/** The SDK logs each `[ERROR]` line of a refusal; these tests provoke refusals on purpose. */
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

function client(fake: FakeSlack, token = fake.botToken, extra: Record<string, unknown> = {}): WebClient {
  return new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet, ...extra });
}

function section(text: string, blockId?: string): Record<string, unknown> {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: { type: 'mrkdwn', text } };
}

function actions(button: Record<string, unknown>): Record<string, unknown> {
  return { type: 'actions', elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, ...button }] };
}

/** The Slack error code of a rejected call, or 'ok'. */
async function outcome(call: Promise<WebAPICallResult>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    const data = (err as { data?: { error?: string } }).data;
    if (data?.error === undefined) throw err;
    return data.error;
  }
}

describe('fake Slack Web API (open world)', () => {
  let fake: FakeSlack;
  let web: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlack();
    web = client(fake);
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('enforces message Block Kit limits exactly at the boundary', async () => {
    const L = BLOCK_KIT_LIMITS;
    const fallback = { text: 'fallback' };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['50 blocks', { ...fallback, blocks: Array.from({ length: 50 }, (_, i) => section(`b${i}`)) }, 'ok'],
      ['51 blocks', { ...fallback, blocks: Array.from({ length: 51 }, (_, i) => section(`b${i}`)) }, 'invalid_blocks'],
      ['section 3000', { ...fallback, blocks: [section('x'.repeat(L.sectionText))] }, 'ok'],
      ['section 3001', { ...fallback, blocks: [section('x'.repeat(L.sectionText + 1))] }, 'invalid_blocks'],
      ['header 150', { ...fallback, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } }] }, 'ok'],
      ['header 151', { ...fallback, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }, 'invalid_blocks'],
      ['header mrkdwn', { ...fallback, blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] }, 'invalid_blocks'],
      ['button text 75', { ...fallback, blocks: [actions({ text: { type: 'plain_text', text: 'b'.repeat(75) } })] }, 'ok'],
      ['button text 76', { ...fallback, blocks: [actions({ text: { type: 'plain_text', text: 'b'.repeat(76) } })] }, 'invalid_blocks'],
      ['action_id 255', { ...fallback, blocks: [actions({ action_id: 'a'.repeat(255) })] }, 'ok'],
      ['action_id 256', { ...fallback, blocks: [actions({ action_id: 'a'.repeat(256) })] }, 'invalid_blocks'],
      ['value 2000', { ...fallback, blocks: [actions({ value: 'v'.repeat(2000) })] }, 'ok'],
      ['value 2001', { ...fallback, blocks: [actions({ value: 'v'.repeat(2001) })] }, 'invalid_blocks'],
      ['duplicate block_id', { ...fallback, blocks: [section('a', 'same'), section('b', 'same')] }, 'invalid_blocks'],
      ['unknown block type', { ...fallback, blocks: [{ type: 'sectoin', text: { type: 'mrkdwn', text: 'x' } }] }, 'invalid_blocks'],
      ['text 40000', { text: 't'.repeat(L.messageText) }, 'ok'],
      ['text 40001', { text: 't'.repeat(L.messageText + 1) }, 'msg_too_long'],
      ['blocks text over the cumulative cap', { ...fallback, blocks: Array.from({ length: 5 }, () => section('y'.repeat(3000))) }, 'msg_blocks_too_long'],
      ['nothing to say', {}, 'no_text'],
    ];
    const results: Array<[string, string]> = [];
    for (const [name, args] of cases) {
      results.push([name, await outcome(web.chat.postMessage({ channel: 'C_LIMITS', ...args } as never))]);
    }
    expect(results).toEqual(cases.map(([name, , expected]) => [name, expected]));
  });

  it('names the offending field the way Slack does, and leaves the message alone on a refused update', async () => {
    const err = await web.chat
      .postMessage({ channel: 'C_LIMITS2', text: 'x', blocks: [section('ok'), section('z'.repeat(3001))] as never })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ data: { ok: false, error: 'invalid_blocks' } });
    const messages = (err as { data: { response_metadata: { messages: string[] } } }).data.response_metadata.messages;
    expect(messages).toEqual([expect.stringMatching(/^\[ERROR\] .*3000.*\[json-pointer:\/blocks\/1\/text\/text\]$/)]);

    const posted = await web.chat.postMessage({ channel: 'C_LIMITS2', text: 'original' });
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`b${i}`));
    expect(await outcome(web.chat.update({ channel: 'C_LIMITS2', ts: posted.ts as string, text: 'new', blocks: tooMany as never }))).toBe(
      'invalid_blocks',
    );
    expect(fake.messages('C_LIMITS2').map((m) => [m.text, m.updates])).toEqual([['original', 0]]);
  });

  it('checks modal limits on views.open (invalid_arguments) without burning the trigger', async () => {
    const view = (over: Record<string, unknown>) => ({
      type: 'modal',
      title: { type: 'plain_text', text: 't'.repeat(24) },
      submit: { type: 'plain_text', text: 'Go' },
      blocks: Array.from({ length: 100 }, (_, i) => section(`b${i}`)),
      ...over,
    });
    const trigger = fake.issueTriggerId();
    const refused = [
      view({ title: { type: 'plain_text', text: 't'.repeat(25) } }),
      view({ blocks: Array.from({ length: 101 }, (_, i) => section(`b${i}`)) }),
      view({ private_metadata: 'm'.repeat(3001) }),
      view({
        submit: undefined,
        blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Config' }, element: { type: 'plain_text_input', action_id: 'c' } }],
      }),
    ];
    for (const v of refused) expect(await outcome(web.views.open({ trigger_id: trigger, view: v as never }))).toBe('invalid_arguments');
    const opened = await web.views.open({ trigger_id: trigger, view: view({}) as never });
    expect(opened.view?.id).toMatch(/^V/);
    expect(await outcome(web.views.open({ trigger_id: 'no.such.trigger', view: view({}) as never }))).toBe('invalid_trigger_id');

    const updated = await web.views.update({ view_id: opened.view?.id as string, hash: opened.view?.hash as string, view: view({ callback_id: 'v2' }) as never });
    expect(updated.view?.callback_id).toBe('v2');
    expect(await outcome(web.views.update({ view_id: opened.view?.id as string, hash: opened.view?.hash as string, view: view({}) as never }))).toBe(
      'hash_conflict',
    );
  });

  it('accepts each token only where it belongs', async () => {
    expect(await outcome(client(fake, fake.appToken).chat.postMessage({ channel: 'C_T', text: 'x' }))).toBe('not_allowed_token_type');
    expect(await outcome(client(fake, 'xoxb-someone-else').chat.postMessage({ channel: 'C_T', text: 'x' }))).toBe('invalid_auth');
    expect(await outcome(client(fake, '').chat.postMessage({ channel: 'C_T', text: 'x' }))).toBe('not_authed');
    // slack-facts §3.4 trap 2: clientOptions.headers makes the SDK open the socket with the bot token.
    expect(await outcome(web.apps.connections.open())).toBe('not_allowed_token_type');
    expect(await outcome(client(fake, fake.appToken).apps.connections.open())).toBe('ok');
    expect(fake.messages('C_T')).toEqual([]);
  });

  it('records and refuses unknown methods', async () => {
    expect(await outcome(web.apiCall('chat.scheduleMessage', { channel: 'C_X', text: 'later', post_at: 1 }))).toBe('unknown_method');
    expect(fake.calls('chat.scheduleMessage')).toEqual([
      expect.objectContaining({ ok: false, error: 'unknown_method', token: fake.botToken, args: { channel: 'C_X', text: 'later', post_at: '1' } }),
    ]);
  });

  it('models threads: a reply to a reply joins the root thread, updates show in thread()', async () => {
    const root = await web.chat.postMessage({ channel: 'C_TH', text: 'root' });
    const reply = await web.chat.postMessage({ channel: 'C_TH', thread_ts: root.ts as string, text: 'r1' });
    await web.chat.postMessage({ channel: 'C_TH', thread_ts: reply.ts as string, text: 'r2' });
    await web.chat.update({ channel: 'C_TH', ts: reply.ts as string, text: 'r1 edited' });
    expect(fake.thread('C_TH', reply.ts as string).map((m) => m.text)).toEqual(['root', 'r1 edited', 'r2']);
    expect(fake.thread('C_TH', root.ts as string).every((m, i) => i === 0 || m.thread_ts === root.ts)).toBe(true);
    expect(Number(reply.ts)).toBeGreaterThan(Number(root.ts));

    const human = fake.seedMessage({ channel: 'C_TH', text: 'written by a person' });
    expect(await outcome(web.chat.update({ channel: 'C_TH', ts: human.ts, text: 'hijack' }))).toBe('cant_update_message');
    expect(await outcome(web.chat.update({ channel: 'C_TH', ts: '1.000001', text: 'ghost' }))).toBe('message_not_found');

    const dm = await web.chat.postMessage({ channel: 'U_CAROL', text: 'hi in DM' });
    expect(dm.channel).toBe('D_CAROL');
    const eph = await web.chat.postEphemeral({ channel: 'C_TH', user: 'U_CAROL', text: 'only you' });
    expect(fake.ephemerals('C_TH', 'U_CAROL')).toEqual([expect.objectContaining({ ts: eph.message_ts, text: 'only you' })]);
  });

  it('parses a JSON body with the token in the Authorization header', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${fake.botToken}` },
      body: JSON.stringify({ channel: 'C_JSON', text: 'json', blocks: [section('from json')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C_JSON' });
    expect(fake.calls('chat.postMessage').at(-1)?.args).toEqual({ channel: 'C_JSON', text: 'json', blocks: [section('from json')] });
  });

  it('fails the next N calls of a method as asked, then recovers', async () => {
    fake.failNext('users.info', { error: 'user_not_found' }, 2);
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await outcome(web.users.info({ user: 'U_DAVE' })));
    expect(results).toEqual(['user_not_found', 'user_not_found', 'ok']);
  });

  it('refuses to complete an upload whose bytes never arrived, and uses each upload URL once', async () => {
    const url = await web.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    expect(await outcome(web.files.completeUploadExternal({ files: [{ id: url.file_id as string }], channel_id: 'C_UP' }))).toBe(
      'file_not_found',
    );
    expect((await fetch(url.upload_url as string, { method: 'POST', body: 'abc' })).status).toBe(200);
    expect((await fetch(url.upload_url as string, { method: 'POST', body: 'abc' })).status).toBe(404);
    await web.files.completeUploadExternal({ files: [{ id: url.file_id as string, title: 'A' }], channel_id: 'C_UP' });
    expect(fake.files().find((f) => f.id === url.file_id)).toMatchObject({ state: 'completed', title: 'A', channel: 'C_UP' });
  });

  it('lets a response_url be used 5 times and validates what is posted', async () => {
    const payload = fake.slashCommandPayload({ text: 'x', channel_id: 'C_RU', user_id: 'U_ERIN' });
    const post = (body: unknown) =>
      fetch(payload.response_url as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ text: 'x', blocks: [section('q'.repeat(3001))] })).status).toBe(400);
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await post({ text: `n${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 404]);
    expect(fake.ephemerals('C_RU', 'U_ERIN').map((e) => e.text)).toEqual(['n0', 'n1', 'n2', 'n3']);
  });
});

describe('fake Slack Web API (configured directory, scopes and pacing)', () => {
  let fake: FakeSlack;
  let web: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlack({
      users: [
        { id: 'U_ALICE', name: 'alice', realName: 'Alice Ops', email: 'alice@example.test' },
        { id: 'U_BOB', name: 'bob' },
      ],
      channels: [
        { id: 'C_OPS', name: 'lab-ops' },
        { id: 'C_OUT', name: 'elsewhere', isMember: false },
        { id: 'G_PRIV', name: 'secret', isPrivate: true },
      ],
      usergroups: [{ id: 'S_NETOPS', handle: 'netops', users: ['U_ALICE'] }],
      scopes: ['chat:write', 'users:read', 'usergroups:read', 'channels:read'],
      postMessagePerChannelPerSec: 1,
    });
    web = client(fake, fake.botToken, { rejectRateLimitedCalls: true });
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('answers users.info, usergroups and conversations.info from the configured directory', async () => {
    const alice = await web.users.info({ user: 'U_ALICE' });
    expect(alice.user).toMatchObject({ id: 'U_ALICE', name: 'alice', real_name: 'Alice Ops', profile: { email: 'alice@example.test' } });
    expect(await outcome(web.users.info({ user: 'U_NOBODY' }))).toBe('user_not_found');

    const lists = await web.usergroups.list({ include_users: true });
    expect(lists.usergroups).toEqual([expect.objectContaining({ id: 'S_NETOPS', handle: 'netops', users: ['U_ALICE'] })]);
    expect((await web.usergroups.users.list({ usergroup: 'S_NETOPS' })).users).toEqual(['U_ALICE']);
    fake.setUsergroup({ id: 'S_NETOPS', handle: 'netops', users: ['U_ALICE', 'U_BOB'] });
    expect((await web.usergroups.users.list({ usergroup: 'S_NETOPS' })).users).toEqual(['U_ALICE', 'U_BOB']);
    expect(await outcome(web.usergroups.users.list({ usergroup: 'S_NONE' }))).toBe('no_such_subteam');

    expect((await web.conversations.info({ channel: 'C_OPS' })).channel).toMatchObject({ id: 'C_OPS', name: 'lab-ops', is_member: true });
    expect(await outcome(web.conversations.info({ channel: 'C_GONE' }))).toBe('channel_not_found');
    // groups:read was not granted.
    expect(await outcome(web.conversations.info({ channel: 'G_PRIV' }))).toBe('missing_scope');
  });

  it('refuses channels it does not know or is not in, and methods outside the granted scopes', async () => {
    expect(await outcome(web.chat.postMessage({ channel: 'C_GONE', text: 'x' }))).toBe('channel_not_found');
    expect(await outcome(web.chat.postMessage({ channel: 'C_OUT', text: 'x' }))).toBe('not_in_channel');
    expect(await outcome(web.files.getUploadURLExternal({ filename: 'a.txt', length: 1 }))).toBe('missing_scope');
  });

  it('paces chat.postMessage per channel when asked, answering 429 with Retry-After', async () => {
    await web.chat.postMessage({ channel: 'C_OPS', text: 'first' });
    const err = await web.chat.postMessage({ channel: 'C_OPS', text: 'too soon' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
    // Another channel has its own allowance.
    expect(await outcome(web.chat.postMessage({ channel: 'G_PRIV', text: 'elsewhere' }))).toBe('ok');
    expect(fake.messages('C_OPS').map((m) => m.text)).toEqual(['first']);
  });
});
