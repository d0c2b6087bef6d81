import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JunosDriver } from '../../../src/drivers/junos/index.js';
import { waitUntil, type FakeMessage } from '../../fakes/slack/index.js';
import { shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';
import { makeNode } from '../../helpers/nodes.js';

const SETTINGS = `backup:
  schedule: "0 2 * * *"
  channel: C0BACKUP
drift:
  schedule: "15 * * * *"
  lab_channels:
    slk: C0SLKDRIFT
`;

function buttons(m: FakeMessage): { action_id: string }[] {
  return (m.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? ((b as { elements: { action_id: string }[] }).elements ?? []) : []));
}

/**
 * `serve`'s scheduled jobs through the real front end and the fake Slack: the cron patterns from
 * the settings, a scheduled backup posting its summary, and a scheduled drift check posting the
 * drifted node to the lab's channel with Adopt and Restore. The jobs are triggered directly (no timers, no sleeps).
 */
describe('scheduled backups and drift checks', () => {
  let t: SlackTestApp;

  beforeAll(async () => {
    t = await startSlackApp({ nodes: 2, baseIp: '127.21.96.1', settingsYaml: SETTINGS, frontEnd: { scheduleTimers: false } });
  }, 20_000);

  afterAll(async () => {
    await t?.close();
  });

  it('reads the schedules from the settings (UTC)', () => {
    const next = t.frontEnd.jobs.nextRuns();
    expect(next.backup?.getUTCHours()).toBe(2);
    expect(next.backup?.getUTCMinutes()).toBe(0);
    expect(next.drift?.getUTCMinutes()).toBe(15);
  });

  it('a scheduled backup saves every node as `scheduled` and posts the summary to backup.channel', async () => {
    await t.frontEnd.jobs.runBackup();
    const summary = await waitUntil(() => t.fake.messages('C0BACKUP')[0], { what: 'the backup summary' });
    const text = shownText(summary);
    expect(text).toContain('Scheduled backup of every node');
    expect(text).toMatch(/slk\/r1 {2}saved version 1 /);
    expect(text).toMatch(/slk\/r2 {2}saved version 1 /);
    expect(text).toContain('backup: 2 saved, 0 unchanged, 0 failed');
    const versions = await t.app.runner.run({ verb: 'backup', action: 'list', selector: { names: ['r1'] }, versions: [] }, { subject: { kind: 'terminal', trusted: true }, source: 'terminal' });
    expect(versions.kind === 'backup' && versions.backup.action === 'list' && versions.backup.versions.map((v) => [v.reason, v.takenBy])).toEqual([['scheduled', 'clab-bot schedule']]);
  });

  it('a scheduled drift check posts only the drifted node to the lab\'s channel, with Adopt and Restore', async () => {
    await t.frontEnd.jobs.runDrift();
    // Nothing drifted: nothing posted.
    expect(t.fake.messages('C0SLKDRIFT')).toEqual([]);

    const n = t.lab.nodes.find((x) => x.name === 'r2')!;
    const d = new JunosDriver(makeNode({ name: 'r2', host: n.host, port: n.port, lab: 'slk' }));
    try {
      await d.open();
      const source = { type: 'text' as const, content: 'set system location building "B7"', format: 'set' as const };
      const plan = await d.plan(source, 'set');
      await d.apply(source, { method: 'set', expectDiffHash: plan.diffHash, comment: 'moved rack' });
    } finally {
      await d.close();
    }

    await t.frontEnd.jobs.runDrift();
    const root = await waitUntil(() => t.fake.messages('C0SLKDRIFT').find((m) => m.thread_ts === undefined), { what: 'the drift post' });
    expect(shownText(root)).toContain('Scheduled drift check: 1 of 2 nodes of lab slk changed outside clab-bot');
    const thread = await waitUntil(() => {
      const th = t.fake.thread('C0SLKDRIFT', root.ts);
      return th.length >= 3 && th;
    }, { what: 'the thread' });
    const report = thread.find((m) => buttons(m).length > 0)!;
    expect(shownText(report)).toMatch(/slk\/r2 {2}drifted from version 1 \(scheduled, /);
    expect(shownText(report)).toContain('moved rack');
    expect(shownText(report)).toMatch(/\+\s+building "?B7"?;/);
    expect(buttons(report).map((b) => b.action_id)).toEqual(['clab_drift_adopt', 'clab_drift_restore']);
    expect(thread.map(shownText).join('\n')).toContain('slk/r1  in sync with version 1 (scheduled)');
  });
});
