import { describe, expect, it } from 'vitest';
import { commitHistoryHint } from '../../../src/ops/changes/view.js';

// When a commit's outcome is unknown, each node is named with its own driver's history command.
describe('commitHistoryHint', () => {
  it('groups nodes by their own commit-history command, in the order first seen', () => {
    const hint = commitHistoryHint([
      { key: 'dc1/r1', historyCommand: 'show system commit' },
      { key: 'dc1/leaf1', historyCommand: 'info from state /system configuration commit' },
      { key: 'dc1/r2', historyCommand: 'show system commit' },
    ]);
    expect(hint).toBe('run `show system commit` on dc1/r1, dc1/r2; run `info from state /system configuration commit` on dc1/leaf1');
  });

  it('names no vendor command for a node no longer in the inventory', () => {
    expect(commitHistoryHint([{ key: 'gone/x', historyCommand: undefined }, { key: 'dc1/r1', historyCommand: 'show system commit' }])).toBe(
      'check the commit history of gone/x; run `show system commit` on dc1/r1',
    );
  });
});
