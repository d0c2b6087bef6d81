/**
 * A process that takes one shared device slot and holds it until killed: the "agent killed while
 * working" of the shared-limits tests. Usage: node --import tsx slot-holder.ts REDIS_URL PREFIX LEASE_MS
 * (holds node lab1/r1 of scope "holder"; prints "held" once it has the slot).
 */
import { openSharedLimits } from '../../src/limits/shared-limits.js';
import { silentLogger } from '../../src/log.js';
import { limitsWith } from './shared-limits.js';
import { makeNode } from './nodes.js';

const [redisUrl, prefix, leaseMs] = process.argv.slice(2);
const shared = await openSharedLimits({
  redisUrl: redisUrl!,
  prefix: prefix!,
  scope: 'holder',
  logger: silentLogger,
  limits: limitsWith({ global_concurrency: 1, per_node_concurrency: 1, shared_slot_lease_sec: Number(leaseMs) / 1000 }),
});
await shared.deviceSlots.acquire(makeNode({ lab: 'lab1', name: 'r1', host: '127.0.0.1' }));
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
