import type { App as BoltApp } from '@slack/bolt';
import { DRIFT_BUTTONS, noticeMessage, parseDriftButtonValue, renderSlackResult, type DriftButton } from '../../render/slack/index.js';
import type { RequestResult } from '../../ops/results.js';
import type { SlackDeps } from './deps.js';
import { onButtons, presser, pressRun, proposeInThread, type ButtonPress } from './button-press.js';

/**
 * Adopt / Restore under a drifted node: acked at once, then run as the presser, authorized again
 * (Adopt as `drift` is, Restore as proposing a change is). Results go to the drift report's thread.
 */
export function registerDriftButtons(bolt: BoltApp, deps: SlackDeps): void {
  onButtons(bolt, deps, DRIFT_BUTTONS, (p) => press(deps, p));
}

async function press(deps: SlackDeps, p: ButtonPress<DriftButton>): Promise<void> {
  const { button, value, asker, threadTs, requestId } = p;
  const ctx = { requestId };
  const target = parseDriftButtonValue(value);
  if (target === undefined) {
    await deps.poster.reply(asker, noticeMessage(':warning:', 'This button does not name a node; run `/clab drift` again.'), ctx);
    return;
  }
  const { node, sha256 } = target;
  const subject = await presser(deps, p, { verb: 'drift', selector: { names: [`${node.lab}/${node.name}`] } });
  if (subject === undefined) return;
  const run = pressRun(deps, p, subject);
  const result: RequestResult = button === 'adopt' ? await deps.app.runner.adoptDrift(node, sha256, run) : await deps.app.runner.restoreDrift(node, run);
  if (result.kind === 'change' && threadTs !== undefined) {
    // The restore is a change like any other, decided in the report's thread.
    await proposeInThread(deps, p, threadTs, result.change);
    return;
  }
  const rendering = renderSlackResult(result);
  if (rendering.kind !== 'reply') return;
  // An adoption is news for everyone reading the report; a refusal is for the presser alone.
  if (result.kind === 'drift-adopted' && threadTs !== undefined) await deps.poster.thread(asker.channelId, threadTs, { message: rendering.message }, ctx);
  else await deps.poster.reply(asker, rendering.message, ctx);
}
