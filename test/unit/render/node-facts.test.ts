import { describe, expect, it } from 'vitest';
import { readWhen, shortSpan } from '../../../src/render/node-facts.js';
import type { NodeFactsRow } from '../../../src/ops/node-facts.js';
import type { LabNode } from '../../../src/inventory/types.js';

const node = { lab: 'dc1', name: 'r1' } as LabNode;
const row = (over: Partial<NodeFactsRow>): NodeFactsRow => ({
  node,
  facts: { hostname: 'r1', model: 'vmx', version: '23.2R1', serial: 'VM1', uptimeSeconds: 10, vendor: 'Juniper' },
  readAt: new Date(0),
  ageSeconds: 0,
  stale: false,
  from: 'device',
  error: undefined,
  ...over,
});

describe('node facts rendering', () => {
  it('ages and uptimes in the fewest words', () => {
    expect([0, 45, 60, 3599, 3600, 3900, 86_399, 86_400, 2 * 86_400 + 4 * 3600].map(shortSpan)).toEqual([
      '0s', '45s', '1m', '59m', '1h00m', '1h05m', '23h59m', '1d0h', '2d4h',
    ]);
  });

  it('the READ column says now, an age, stale and unreachable, or never', () => {
    expect(readWhen(row({}))).toBe('now');
    expect(readWhen(row({ from: 'cache', ageSeconds: 720 }))).toBe('12m ago');
    expect(readWhen(row({ from: 'cache', ageSeconds: 7200, stale: true }))).toBe('2h00m ago (stale)');
    const error = { code: 'timeout', message: 'no answer', deviceErrors: [] };
    expect(readWhen(row({ from: 'cache', ageSeconds: 7200, stale: true, error }))).toBe('2h00m ago (stale, unreachable)');
    expect(readWhen(row({ from: 'none', facts: undefined, readAt: undefined, ageSeconds: undefined, error }))).toBe('never (unreachable)');
  });
});
