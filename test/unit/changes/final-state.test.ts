import { describe, expect, it } from 'vitest';
import type { ApplyStatus } from '../../../src/ops/changes/types.js';
import { commitComment, finalState } from '../../../src/ops/changes/index.js';

describe('final state of an applied change', () => {
  const cases: [ApplyStatus[], string][] = [
    [['committed', 'committed'], 'committed'],
    [['committed', 'unchanged'], 'committed'],
    [['unchanged'], 'committed'],
    [['committed', 'stale'], 'partial'],
    [['committed', 'failed'], 'partial'],
    [['stale', 'stale'], 'stale'],
    [['stale', 'unchanged'], 'stale'],
    [['stale', 'failed'], 'failed'],
    [['failed'], 'failed'],
    [['committed', 'unknown'], 'unknown'],
    [['failed', 'unknown'], 'unknown'],
    [['committed', 'pending'], 'unknown'],
  ];
  it.each(cases)('%j → %s', (statuses, expected) => {
    expect(finalState(statuses)).toBe(expected);
  });
});

describe('commit comment', () => {
  it('names the change, the requester and the approvers, then the user comment', () => {
    expect(commitComment(12, 'alice', ['bob'], undefined)).toBe('clab-bot #12 by alice approved by bob');
    expect(commitComment(12, 'alice', ['bob', 'carol'], '  fix ospf  ')).toBe('clab-bot #12 by alice approved by bob, carol: fix ospf');
  });
});
