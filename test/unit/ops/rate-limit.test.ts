import { describe, expect, it } from 'vitest';
import { RateLimitedError, UserRateLimiter } from '../../../src/ops/rate-limit.js';

describe('UserRateLimiter', () => {
  it('allows N a minute per user, then says when to retry; other users are not affected', () => {
    let now = 1_000_000;
    const rl = new UserRateLimiter(3, () => now);
    rl.take('U1');
    now += 10_000;
    rl.take('U1');
    rl.take('U1');
    let err: unknown;
    try {
      rl.take('U1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).message).toBe('slow down: you can start 3 requests a minute; retry in 50 s');
    rl.take('U2');
    now += 50_000;
    rl.take('U1');
  });

  it('counts nodes: a request over many nodes costs as many units; one larger than the budget runs only on an empty window', () => {
    let now = 0;
    const rl = new UserRateLimiter(100, () => now, 'touch 100 nodes');
    rl.take('U1', 60);
    expect(() => rl.take('U1', 50)).toThrow('slow down: you can touch 100 nodes a minute; retry in 60 s');
    rl.take('U1', 40);
    now += 60_000;
    rl.take('U1', 200);
    now += 1_000;
    expect(() => rl.take('U1', 1)).toThrow(RateLimitedError);
    now += 59_000;
    rl.take('U1', 1);
  });
});
