import type { RequestThread } from '../../db/request-threads.js';
import type { ChangeView } from '../../ops/changes/types.js';
import type { HomeSummary, LabInSight } from '../../ops/home.js';
import { redactText } from '../../redact/index.js';
import type { HomeView, MessageBlock } from './block-types.js';
import { context, plain, section } from './blocks.js';
import { decisionButtons, slackTime } from './change-blocks.js';
import { HOME_BUDGET, MESSAGE_BUDGET, SLACK_LIMITS } from './limits.js';
import { MessageBudget } from './message-budget.js';
import { clip, escapeMrkdwn, plural } from './mrkdwn.js';
import { mention } from './root-message.js';

/** callback_id of the home view. */
export const HOME_VIEW = 'clab_home';

/** Where to link: permalinks of thread roots, by `channel ts` (see threadKey). Missing ones show without a link. */
export type Permalinks = ReadonlyMap<string, string>;

export function threadKey(channel: string, ts: string): string {
  return `${channel} ${ts}`;
}

/** Characters kept free for the lines that say what was left out. */
const TAIL_RESERVE = { blocks: 4, chars: 1200 } as const;

/**
 * A user's App Home: the changes waiting for their approval (with the same Approve / Reject
 * buttons as in the change's thread), the labs they may see with node counts and reachability,
 * and their last requests linking to their threads. Every list that does not fit says how many
 * more there are and where to see them.
 */
export function homeView(home: HomeSummary, links: Permalinks, opts: { readonly now: Date }): HomeView {
  const budget = new MessageBudget({ blocks: HOME_BUDGET.blocks, chars: HOME_BUDGET.chars });
  budget.tryAdd([
    { type: 'header', text: plain('clab-bot', SLACK_LIMITS.headerText) },
    context(`as of ${slackTime(opts.now.toISOString())} · \`/clab help\` for what you may run`),
  ]);
  addAwaiting(budget, home.awaiting, links);
  budget.tryAdd([{ type: 'divider' }]);
  addLabs(budget, home.labs);
  budget.tryAdd([{ type: 'divider' }]);
  addRecent(budget, home.recent, links);
  return { type: 'home', callback_id: HOME_VIEW, blocks: budget.blocks };
}

function addAwaiting(budget: MessageBudget, awaiting: readonly ChangeView[], links: Permalinks): void {
  if (awaiting.length === 0) {
    budget.tryAdd([section('*Waiting for your approval*\n_Nothing is waiting for your approval._')]);
    return;
  }
  budget.tryAdd([section(`*Waiting for your approval* (${awaiting.length})`)]);
  let shown = 0;
  for (const change of awaiting.slice(0, HOME_BUDGET.changes)) {
    // What stays below (labs, requests, the "more" line) is reserved before each change is added.
    if (!budget.tryAdd(changeBlocks(change, links), { blocks: 12, chars: 6000 })) break;
    shown += 1;
  }
  if (shown < awaiting.length) budget.tryAdd([context(`…and ${awaiting.length - shown} more waiting: \`/clab changes --pending\` lists them all`)]);
}

function changeBlocks(change: ChangeView, links: Permalinks): MessageBlock[] {
  const names = change.targets.map((t) => t.key);
  const listed = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  const thread = change.thread === undefined ? undefined : links.get(threadKey(change.thread.channel, change.thread.threadTs));
  const head = `*Change ${change.ref}* · ${escapeMrkdwn(change.method)} on ${plural(names.length, 'node')} (${escapeMrkdwn(listed)}) · requested by ${mention(change.requester.id)}`;
  const details = [
    change.approvals.length > 0 ? `${change.approvals.length} of ${change.requiredApprovals} approvals` : `needs ${plural(change.requiredApprovals, 'approval')}`,
    `commit confirmed ${change.confirmMinutes} min`,
    `expires ${slackTime(change.expiresAt)}`,
    ...(change.comment ? [`comment “${escapeMrkdwn(clip(redactText(change.comment), 200))}”`] : []),
  ];
  return [
    section(`${head}${thread ? ` · <${thread}|diff and thread>` : ''}`),
    context(details.join(' · ')),
    { type: 'actions', block_id: `home_change_${change.id}_v${change.version}`, elements: decisionButtons(change) },
  ];
}

function labLine(lab: LabInSight): string {
  const c = lab.counts;
  const parts = [
    ...(c.reachable > 0 ? [`:large_green_circle: ${c.reachable} reachable`] : []),
    ...(c.unreachable > 0 ? [`:red_circle: ${c.unreachable} unreachable`] : []),
    ...(c.unknown > 0 ? [`:white_circle: ${c.unknown} not checked yet`] : []),
  ];
  return `• *${escapeMrkdwn(clip(lab.name, 100))}* · ${plural(lab.nodes, 'node')} · ${parts.join(' · ')}`;
}

function addLabs(budget: MessageBudget, labs: readonly LabInSight[]): void {
  if (labs.length === 0) {
    budget.tryAdd([section('*Your labs*\n_No lab is in your sight: ask an admin for a role on one._')]);
    return;
  }
  const lines = labs.slice(0, HOME_BUDGET.labs).map(labLine);
  const shown = addLines(budget, `*Your labs* (${labs.length})`, lines, TAIL_RESERVE);
  const more = labs.length - shown;
  const notes = ['reachability is what the bot saw last (`/clab nodes --facts` reads again)'];
  if (more > 0) notes.unshift(`…and ${plural(more, 'more lab')}: \`/clab labs\` lists them all`);
  budget.tryAdd([context(...notes)]);
}

function recentLine(r: RequestThread, links: Permalinks): string {
  const what = escapeMrkdwn(clip(redactText(r.what).replace(/\s+/g, ' '), 150));
  const link = links.get(threadKey(r.channel, r.ts));
  return `• ${link ? `<${link}|${what}>` : `${what} in <#${r.channel}>`} · ${slackTime(r.at.toISOString())}`;
}

function addRecent(budget: MessageBudget, recent: readonly RequestThread[], links: Permalinks): void {
  if (recent.length === 0) {
    budget.tryAdd([section('*Your last requests*\n_None yet: try `/clab nodes` in a channel the bot is in._')]);
    return;
  }
  const lines = recent.slice(0, HOME_BUDGET.requests).map((r) => recentLine(r, links));
  const shown = addLines(budget, '*Your last requests*', lines, { blocks: 1, chars: 200 });
  if (shown < lines.length) budget.tryAdd([context(`…and ${lines.length - shown} more: \`/clab history\` has them all`)]);
}

/** Lines under a title, as many sections as they need; returns how many lines went in. */
function addLines(budget: MessageBudget, title: string, lines: readonly string[], reserve: { readonly blocks: number; readonly chars: number }): number {
  let shown = 0;
  let text = title;
  let start = 0;
  const flush = (): boolean => {
    if (shown === start) return true;
    if (!budget.tryAdd([section(text)], reserve)) return false;
    start = shown;
    text = '';
    return true;
  };
  for (const line of lines) {
    if (text.length + line.length + 1 > MESSAGE_BUDGET.sectionChars) {
      if (!flush()) return start;
    }
    text = text === '' ? line : `${text}\n${line}`;
    shown += 1;
  }
  return flush() ? shown : start;
}
