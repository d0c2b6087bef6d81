import { afterEach, describe, expect, it } from 'vitest';
import { SCRIPTED_CAPABILITIES } from '../../helpers/scripted-driver.js';
import { DIALECTS, dialectAvailable } from '../../helpers/databases.js';
import { decisionMessage } from '../../../src/render/slack/change-blocks.js';
import { renderTerminal } from '../../../src/render/terminal.js';
import type { ChangeView } from '../../../src/ops/changes/types.js';
import { ALICE, DESCRIPTION, harness, type Harness } from './harness.js';

/**
 * The approver reads what guards the commit next to Approve. A node whose driver cannot commit
 * confirmed (IOS without an archive, a plain Linux host) applies plainly: the change must say
 * so instead of promising a revert timer, in Slack and in the terminal, after a round trip
 * through the database.
 */
const slackText = (v: ChangeView): string => JSON.stringify(decisionMessage(v).blocks);
const terminalText = (v: ChangeView): string =>
  renderTerminal({ kind: 'change', event: 'proposed', change: v }, 'text', { color: false });

for (const dialect of DIALECTS) {
  describe.runIf(dialectAvailable(dialect))(`what guards an approved commit (${dialect})`, () => {
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.dispose();
      h = undefined;
    });
    const propose = (x: Harness, confirmMinutes = 5) =>
      x.service.propose({
        requestId: `req-${confirmMinutes}`,
        requester: ALICE,
        channel: 'C0LAB',
        targets: [x.node('r1'), x.node('r2')],
        source: { type: 'text', content: DESCRIPTION },
        method: 'set',
        requiredApprovals: 1,
        confirmMinutes,
      });

    it('a driver with commit confirmed: the timer is promised', async () => {
      h = await harness(dialect);
      const view = await propose(h);
      expect(view.targets.map((t) => t.plan.commitConfirmed)).toEqual([true, true]);
      expect(slackText(view)).toContain('commit confirmed 5 min');
      expect(terminalText(view)).toContain('commit confirmed 5 min');
    });

    it('a driver without it: every renderer says the commit is plain, with no revert timer, naming the nodes', async () => {
      h = await harness(dialect, { capabilities: { ...SCRIPTED_CAPABILITIES, commitConfirmed: false } });
      const view = await propose(h);
      expect(view.targets.map((t) => t.plan.commitConfirmed)).toEqual([false, false]);
      for (const text of [slackText(view), terminalText(view)]) {
        expect(text).toContain('plain commit: no revert timer on dc1/r1, dc1/r2');
        expect(text).not.toContain('commit confirmed 5 min');
      }
    });

    it('--confirm 0 is a plain commit by choice', async () => {
      h = await harness(dialect);
      const view = await propose(h, 0);
      expect(slackText(view)).toContain('plain commit (no commit confirmed)');
      expect(slackText(view)).not.toContain('commit confirmed 0 min');
    });
  });
}
