import type { App as BoltApp } from '@slack/bolt';
import { CHANGE_BUTTONS, noticeMessage, parseChangeButtonValue, renderSlackResult, type ChangeButton } from '../../render/slack/index.js';
import type { Request } from '../../grammar/request.js';
import type { RequestResult } from '../../ops/results.js';
import type { SlackDeps } from './deps.js';
import { onButtons, presser, pressRun, proposeInThread, type ButtonPress } from './button-press.js';

/** Approve / Re-plan / Reject / Roll back on a change: acked at once, then run as the presser (authorized again). */
export function registerChangeButtons(bolt: BoltApp, deps: SlackDeps): void {
  onButtons(bolt, deps, CHANGE_BUTTONS, (p) => press(deps, p));
}

async function press(deps: SlackDeps, p: ButtonPress<ChangeButton>): Promise<void> {
  const { button, value, asker, threadTs, requestId } = p;
  const ctx = { requestId };
  const target = parseChangeButtonValue(value);
  if (target === undefined) {
    await deps.poster.reply(asker, noticeMessage(':warning:', 'This button does not name a change; run `/clab changes` to find it.'), ctx);
    return;
  }
  // The request this press stands for (the Rollback button's own request is built by the core).
  const request: Request = button === 'rollback' ? { verb: 'change', id: target.id } : { verb: 'change', id: target.id, action: button };
  const subject = await presser(deps, p, request);
  if (subject === undefined) return;
  const run = pressRun(deps, p, subject);
  let result: RequestResult;
  switch (button) {
    case 'approve':
      result = await deps.app.runner.run(request, { ...run, changeVersion: target.version });
      break;
    case 'reject':
    case 'replan':
      result = await deps.app.runner.run(request, run);
      break;
    case 'rollback':
      result = await deps.app.runner.rollbackChange(target.id, run);
      break;
    default:
      return button satisfies never;
  }
  if (result.kind === 'change') {
    // Approvals and rejections reach the thread through the change's own transitions; a rollback is a
    // new proposal, shown in the same thread with its own buttons.
    if (result.event === 'rollback-proposed' && threadTs !== undefined) await proposeInThread(deps, p, threadTs, result.change);
    return;
  }
  const rendering = renderSlackResult(result);
  if (rendering.kind === 'reply') await deps.poster.reply(asker, rendering.message, ctx);
}
