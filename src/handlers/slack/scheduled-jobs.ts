import { Cron } from 'croner';
import { randomUUID } from 'node:crypto';
import { BACKUP_ORIGIN } from '../../db/backups-repo.js';
import type { Request } from '../../grammar/request.js';
import type { DriftValue } from '../../ops/drift-ops.js';
import type { NodeOutcome } from '../../ops/outcome.js';
import type { RequestContext } from '../../ops/request-runner.js';
import type { Subject } from '../../permissions/subject.js';
import { driftPosts, textReply } from '../../render/slack/index.js';
import { renderTerminal } from '../../render/terminal.js';
import type { SlackDeps } from './deps.js';

/** The operator put the schedule in the settings: the runs act as the trusted operator, named so in audit rows and backups. */
const SCHEDULE_SUBJECT: Subject = { kind: 'terminal', trusted: true, id: 'schedule', displayName: 'clab-bot schedule' };

export interface ScheduledJobs {
  /** One scheduled backup of every node, its summary posted to `backup.channel`. */
  runBackup(): Promise<void>;
  /** One drift check of every node, each lab's drifted nodes posted to its channel with Adopt and Restore. */
  runDrift(): Promise<void>;
  /** When each job runs next (undefined: not scheduled). */
  nextRuns(): { readonly backup: Date | undefined; readonly drift: Date | undefined };
  stop(): void;
}

/**
 * `serve`'s scheduled backups and drift checks (settings `backup.schedule`, `drift.schedule`, cron
 * patterns in UTC, run by croner). A run still going when the next is due is skipped (protect), and
 * a failed run is logged, never thrown. Tests call runBackup / runDrift directly.
 */
export function startScheduledJobs(deps: SlackDeps, opts: { readonly timers?: boolean } = {}): ScheduledJobs {
  const settings = deps.app.settings;
  const log = deps.logger.child({ component: 'schedule' });
  const ctx = (requestId: string): RequestContext => ({ requestId, subject: SCHEDULE_SUBJECT, actorName: 'clab-bot schedule', source: 'terminal', signal: deps.signal });

  async function runBackup(): Promise<void> {
    const channel = settings.backup.channel;
    const requestId = randomUUID();
    const request: Request = { verb: 'backup', action: 'save', selector: { all: true }, versions: [] };
    const result = await deps.app.runner.run(request, { ...ctx(requestId), backupOrigin: BACKUP_ORIGIN.scheduled });
    const text = renderTerminal(result, 'text', { color: false, source: 'slack' });
    log.info({ requestId, kind: result.kind }, 'scheduled backup finished');
    if (channel !== undefined) await deps.poster.post(channel, textReply({ lead: ':floppy_disk: Scheduled backup of every node', code: text }), { requestId });
  }

  async function runDrift(): Promise<void> {
    const requestId = randomUUID();
    const result = await deps.app.runner.run({ verb: 'drift', selector: { all: true } }, ctx(requestId));
    if (result.kind !== 'drift') {
      log.error({ requestId, result: renderTerminal(result, 'text', { color: false }) }, 'scheduled drift check failed');
      return;
    }
    const byLab = new Map<string, NodeOutcome<DriftValue>[]>();
    for (const o of result.outcomes) byLab.set(o.node.lab, [...(byLab.get(o.node.lab) ?? []), o]);
    for (const [lab, outcomes] of byLab) {
      const drifted = outcomes.filter((o) => o.value?.status === 'drifted').length;
      const channel = settings.drift.labChannels[lab] ?? settings.drift.channel;
      if (drifted === 0 || channel === undefined) continue;
      const lead = `:warning: Scheduled drift check: ${drifted} of ${outcomes.length} node${outcomes.length === 1 ? '' : 's'} of lab ${lab} changed outside clab-bot`;
      const ts = await deps.poster.post(channel, textReply({ lead }), { requestId });
      if (ts === undefined) continue;
      for (const post of driftPosts(outcomes)) await deps.poster.thread(channel, ts, post, { requestId });
    }
    log.info({ requestId, drifted: result.outcomes.filter((o) => o.value?.status === 'drifted').length }, 'scheduled drift check finished');
  }

  // Every replica's timer fires; one of them runs each tick (the others find it taken or done).
  const guard = (name: string, job: () => Promise<void>) => () =>
    deps.app.exclusive
      .runTick(`schedule:${name}`, tickOf(new Date()), job)
      .then((ran) => {
        if (!ran) log.debug({ job: name }, `scheduled ${name} runs on another replica`);
      })
      .catch((err: unknown) => {
        log.error({ err }, `scheduled ${name} failed`);
      });
  const timers = opts.timers ?? true;
  const cron = (pattern: string | undefined, name: string, job: () => Promise<void>) =>
    pattern === undefined ? undefined : new Cron(pattern, { timezone: 'UTC', protect: true, paused: !timers }, guard(name, job));
  const backupCron = cron(settings.backup.schedule, 'backup', runBackup);
  const driftCron = cron(settings.drift.schedule, 'drift check', runDrift);
  return {
    runBackup,
    runDrift,
    nextRuns: () => ({ backup: backupCron?.nextRun() ?? undefined, drift: driftCron?.nextRun() ?? undefined }),
    stop: () => {
      backupCron?.stop();
      driftCron?.stop();
    },
  };
}

/** The cron tick a timer fired for: croner fires just after it, so the nearest whole second names it on every replica. */
export function tickOf(firedAt: Date): Date {
  return new Date(Math.round(firedAt.getTime() / 1000) * 1000);
}
