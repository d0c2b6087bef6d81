import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, waitUntil } from '../../fakes/slack/index.js';
import { dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { redisAvailability, startRedis, type TestRedis } from '../../helpers/redis.js';
import { availableOrSkip } from '../../helpers/requirements.js';
import { shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

const SECRET = 'e2e-signing-secret';

/**
 * HTTP mode behind a load balancer: two front ends on one PostgreSQL database and one Redis, as
 * two `serve` replicas. A signed request replayed to the other replica within the signature window
 * is refused there too.
 */
const run = availableOrSkip('HTTP-mode replicas (Redis)', redisAvailability()) && dialectAvailable('postgres');

describe.runIf(run)('/clab in HTTP mode on two replicas sharing Redis', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let a: SlackTestApp;
  let b: SlackTestApp;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    redis = await startRedis();
    const common = { nodes: 1, mode: 'http' as const, db: db.url, settingsYaml: `redis: ${redis.url}\n` };
    a = await startSlackApp({ ...common, baseIp: '127.21.33.1' });
    b = await startSlackApp({ ...common, baseIp: '127.21.34.1' });
  }, 30_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.dispose();
    await db?.dispose();
  });

  it('a request answered by one replica and replayed to the other is refused with 401 there; a fresh one runs on either', async () => {
    const payload = a.fake.slashCommandPayload({ text: 'help', channel_id: 'C_LB' });
    const answers = () => a.fake.responses().filter((r) => String(payload.response_url).endsWith(`/${r.id}`));
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await signedRequest(a.frontEnd.eventsUrl!, { slash: payload }, SECRET, { timestamp });
    expect(first.status).toBe(200);
    await waitUntil(() => answers().length === 1, { what: 'the help reply' });

    const replay = await signedRequest(b.frontEnd.eventsUrl!, { slash: payload }, SECRET, { timestamp });
    expect(replay.status).toBe(401);
    expect(replay.text).toBe('replayed request refused');
    expect(b.logs().some((l) => String(l['msg']).includes('refused a replayed Slack request'))).toBe(true);

    const fresh = b.fake.slashCommandPayload({ text: 'help', channel_id: 'C_LB2' });
    expect((await signedRequest(b.frontEnd.eventsUrl!, { slash: fresh }, SECRET)).status).toBe(200);
    await waitUntil(() => b.fake.responses().some((r) => String(fresh.response_url).endsWith(`/${r.id}`)), { what: 'the fresh help reply' });
    // The replay ran nothing: one answer to the first request only.
    expect(answers()).toHaveLength(1);
    expect(shownText({ text: String(answers()[0]!.body['text'] ?? ''), blocks: answers()[0]!.body['blocks'] as unknown[] | undefined })).toContain('exec');
  });

  it("Slack's retry of an event (a new signature, X-Slack-Retry-Num 1) reaching the other replica is acked and not handled again", async () => {
    const event = a.fake.appHomeOpenedPayload({ user: 'UALICE1' });
    const raw = { raw: JSON.stringify(event), contentType: 'application/json' };
    const now = Math.floor(Date.now() / 1000);
    expect((await signedRequest(a.frontEnd.eventsUrl!, raw, SECRET, { timestamp: now })).status).toBe(200);
    await a.fake.waitForCalls('views.publish');

    const retry = await signedRequest(b.frontEnd.eventsUrl!, raw, SECRET, { timestamp: now + 1, retry: { num: 1, reason: 'http_timeout' } });
    expect(retry.status).toBe(200);
    await waitUntil(() => b.logs().some((l) => String(l['msg']).includes('already handled') && l['retryNum'] === 1), { what: "b's log of the dropped retry" });
    expect(b.fake.calls('views.publish')).toEqual([]);
    expect(a.fake.calls('views.publish')).toHaveLength(1);
  });
});
