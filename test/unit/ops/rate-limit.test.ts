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
    expect((err as RateLimitedError).message).toBe('slow down: you can start 3 device requests a minute; retry in 50 s');
    rl.take('U2');
    now += 50_000;
    rl.take('U1');
  });
});
