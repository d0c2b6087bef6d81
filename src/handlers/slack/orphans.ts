import { rootMessage, type RootInfo } from '../../render/slack/index.js';
import { escapeMrkdwn } from '../../render/slack/mrkdwn.js';
import type { SlackDeps } from './deps.js';
import type { RunningInfo } from './running-requests.js';

/** What the root of a request says once its replica is known to have died with it. */
export function orphanLine(info: RunningInfo): string {
  return `:x: stopped: the clab-bot replica running this request (${escapeMrkdwn(info.replica)}) went away before it finished, so its results are lost; run it again`;
}

/**
 * Closes a request whose replica died mid-request (killed, its host gone): nobody else would ever
 * finish its thread, so its root says so (and loses its Cancel button) and its record goes.
 */
export async function closeOrphan(deps: SlackDeps, info: RunningInfo, requestId: string): Promise<void> {
  await deps.running.forget(info.requestId);
  deps.logger.warn({ requestId: info.requestId, replica: info.replica }, 'closed a request whose replica went away mid-request');
  if (info.rootTs === undefined) return;
  const root: RootInfo = {
    userId: info.requesterId,
    what: info.command,
    targets: info.targets.map((key) => {
      const cut = key.lastIndexOf('/');
      return { lab: key.slice(0, cut), name: key.slice(cut + 1) };
    }),
  };
  await deps.poster.update(info.channelId, info.rootTs, rootMessage(root, { phase: 'note', line: orphanLine(info) }), { requestId });
}

/** Every running request of a replica that went away is closed (the periodic check; one replica runs it). */
export async function closeOrphans(deps: SlackDeps, requestId: string): Promise<number> {
  let closed = 0;
  for (const id of await deps.running.runningIds()) {
    const info = await deps.running.get(id);
    if (info === undefined) {
      // Its record expired with a replica killed long ago: only the id was left.
      await deps.running.forget(id);
      continue;
    }
    if (!(await deps.running.orphaned(info))) continue;
    await closeOrphan(deps, info, requestId);
    closed += 1;
  }
  return closed;
}
