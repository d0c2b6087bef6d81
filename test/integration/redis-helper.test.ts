import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { connect } from 'node:net';
import { availableOrSkip } from '../helpers/requirements.js';
import { redisAvailability, startRedis, type TestRedis } from '../helpers/redis.js';

const run = availableOrSkip('Redis tests', redisAvailability());

describe.runIf(run)('the private redis-server of a test', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  it('serves on its own loopback port, stops, and starts again empty', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    await client.connect();
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();

    await redis.stop();
    await expect(
      new Promise((resolve, reject) => connect(redis.port, '127.0.0.1', () => resolve('connected')).once('error', reject)),
    ).rejects.toThrow(/ECONNREFUSED/);

    await redis.restart();
    const again = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    await again.connect();
    expect(await again.get('k')).toBeNull();
    again.disconnect();
  });
});
