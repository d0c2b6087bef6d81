import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../src/grammar/index.js';
import { RunningRequests } from '../../src/handlers/slack/running-requests.js';
import { createLogger } from '../../src/log.js';
import { sharedStateFor, type SharedState } from '../../src/ops/shared-state.js';
import { waitUntil } from '../fakes/slack/index.js';
import { redisAvailability, startRedis, type TestRedis } from '../helpers/redis.js';
import { availableOrSkip } from '../helpers/requirements.js';

const BOB = { userId: 'UBOB', userName: 'bob' };
const ADMIN = { userId: 'UADMIN', userName: 'admin' };

function execRequest() {
  const parsed = parse('exec r1 show version', { source: 'slack' });
  if (!parsed.ok) throw new Error('the test request does not parse');
  return parsed.request;
}

/** Two replicas' running requests on one Redis: where the request runs, and where Cancel is pressed. */
describe.runIf(availableOrSkip('running requests across replicas (Redis)', redisAvailability()))('running requests across two replicas', () => {
  let redis: TestRedis;
  let stateA: SharedState;
  let stateB: SharedState;
  let a: RunningRequests;
  let b: RunningRequests;
  const logger = createLogger('error');

  beforeAll(async () => {
    redis = await startRedis();
    stateA = sharedStateFor(redis.url, logger);
    stateB = sharedStateFor(redis.url, logger);
    a = new RunningRequests(stateA, { logger });
    b = new RunningRequests(stateB, { logger });
    await a.listen();
    await b.listen();
    await a.beat(200, 1000);
    await b.beat(200, 1000);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await stateA?.close();
    await stateB?.close();
    await redis?.dispose();
  });

  it('Cancel pressed on B stops the request running on A; a second press is "already"; A reports the canceller when it ends', async () => {
    const controller = new AbortController();
    await a.add({ requestId: 'req-x', requesterId: 'UALICE', channelId: 'C1', request: execRequest(), targets: ['dc/r1'], controller });
    await a.rootPosted('req-x', '1700000000.000100');
    expect(await b.get('req-x')).toMatchObject({ requesterId: 'UALICE', command: 'exec r1 show version', replica: a.replica, rootTs: '1700000000.000100' });

    expect(await b.cancel('req-x', BOB)).toEqual({ kind: 'cancelled' });
    await waitUntil(() => controller.signal.aborted, { timeoutMs: 3000, what: 'A aborting the request' });
    expect((controller.signal.reason as Error).message).toBe('cancelled by @bob');
    expect(await a.cancel('req-x', ADMIN)).toEqual({ kind: 'already', by: BOB });
    expect(await a.remove('req-x')).toEqual(BOB);
    expect(await b.cancel('req-x', ADMIN)).toEqual({ kind: 'finished' });
    expect(await b.runningIds()).not.toContain('req-x');
  });

  it('a request whose replica stops beating is orphaned for the others, never for itself', async () => {
    const c = new RunningRequests(stateA, { logger });
    await c.beat(200, 600);
    await c.add({ requestId: 'req-y', requesterId: 'UALICE', channelId: 'C1', request: execRequest(), targets: ['dc/r1'], controller: new AbortController() });
    const info = (await b.get('req-y'))!;
    expect(await b.orphaned(info)).toBe(false);
    expect(await c.orphaned(info)).toBe(false);
    expect(await b.runningIds()).toContain('req-y');
    // c's heartbeat is gone (here removed; after a kill it runs out the same way).
    await c.stop();
    expect(await b.orphaned(info)).toBe(true);
    expect(await c.orphaned(info)).toBe(false);
  });
});
