import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { CANCEL_CHANNEL, memoryState, sharedStateFor, type RunningInfo, type SharedState } from '../../src/ops/shared-state.js';
import { waitUntil } from '../fakes/slack/index.js';
import { redisAvailability, startRedis, type TestRedis } from '../helpers/redis.js';
import { availableOrSkip } from '../helpers/requirements.js';

const INFO: RunningInfo = { requestId: 'req-1', requesterId: 'UALICE', channelId: 'C1', verb: 'exec', command: 'exec r1 show version', targets: ['dc/r1'], replica: 'host:1:abc' };
const ALICE = { userId: 'UALICE', userName: 'alice' };
const BOB = { userId: 'UBOB', userName: 'bob' };

/** Two replicas' views of one shared state: two Redis clients on one server, or one process's memory twice. */
const variants: { name: string; pair: () => Promise<[SharedState, SharedState]> }[] = [
  { name: 'memory (one process)', pair: async () => { const m = memoryState(); return [m, m]; } },
];

let redis: TestRedis | undefined;
const logger = createLogger('error');
if (availableOrSkip('shared state on Redis', redisAvailability())) {
  variants.push({
    name: 'Redis (two replicas)',
    pair: async () => [sharedStateFor(redis!.url, logger), sharedStateFor(redis!.url, logger)],
  });
}

beforeAll(async () => {
  if (variants.length > 1) redis = await startRedis();
});
afterAll(async () => {
  await redis?.dispose();
});

for (const variant of variants) {
  describe(`shared state: ${variant.name}`, () => {
    let a: SharedState;
    let b: SharedState;
    beforeAll(async () => {
      [a, b] = await variant.pair();
    });
    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
    });

    it('claimOnce: the first claim of a key wins on either replica', async () => {
      const key = `k-${variant.name}`;
      expect(await a.claimOnce(key, 300)).toBe(true);
      expect(await b.claimOnce(key, 300)).toBe(false);
      expect(await a.claimOnce(key, 300)).toBe(false);
      expect(await b.claimOnce(`${key}-other`, 300)).toBe(true);
    });

    it('a running request: found from the other replica, cancelled once (the second press says by whom), and its canceller reported when it ends', async () => {
      await a.registerRunning(INFO, 60_000);
      expect(await b.runningInfo('req-1')).toEqual(INFO);
      expect(await b.markCancelled('req-1', BOB)).toEqual({ kind: 'cancelled' });
      expect(await a.markCancelled('req-1', ALICE)).toEqual({ kind: 'already', by: BOB });
      expect(await a.finishRunning('req-1')).toEqual(BOB);
      expect(await b.runningInfo('req-1')).toBeUndefined();
      expect(await b.markCancelled('req-1', ALICE)).toEqual({ kind: 'finished' });
    });

    it('a request that ended before the press: finished; one that ended uncancelled reports no canceller', async () => {
      await a.registerRunning({ ...INFO, requestId: 'req-2' }, 60_000);
      expect(await a.finishRunning('req-2')).toBeUndefined();
      expect(await b.markCancelled('req-2', ALICE)).toEqual({ kind: 'finished' });
    });

    it('sets and maps written on one replica are read on the other (App Home viewers, what each home listed)', async () => {
      await a.addMember('home-viewers', 'UALICE');
      await b.addMember('home-viewers', 'UBOB');
      await b.addMember('home-viewers', 'UALICE');
      expect((await b.members('home-viewers')).sort()).toEqual(['UALICE', 'UBOB']);
      await a.setField('home-shown', 'UALICE', '[1,2]');
      await b.setField('home-shown', 'UALICE', '[2]');
      await b.setField('home-shown', 'UBOB', '[]');
      expect(await a.fields('home-shown')).toEqual({ UALICE: '[2]', UBOB: '[]' });
    });

    it('a message published on one replica reaches subscribers on both', async () => {
      const heard: string[] = [];
      await a.subscribe(CANCEL_CHANNEL, (m) => heard.push(`a ${m}`));
      await b.subscribe(CANCEL_CHANNEL, (m) => heard.push(`b ${m}`));
      await b.publish(CANCEL_CHANNEL, 'stop req-9');
      await waitUntil(() => heard.length === 2, { timeoutMs: 3000, what: 'both subscribers to hear it' });
      expect(heard.sort()).toEqual(['a stop req-9', 'b stop req-9']);
    });
  });
}
