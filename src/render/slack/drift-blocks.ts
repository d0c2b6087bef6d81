import { nodeKey, type NodeRef } from '../../model/node-ref.js';
import type { DriftValue } from '../../ops/drift-ops.js';
import type { NodeOutcome } from '../../ops/outcome.js';
import { DRIFT_MASKED_NOTE, driftHeadline, driftSummary, lastCommitLine } from '../drift-lines.js';
import type { ActionsBlock, ThreadPost } from './block-types.js';
import { plain } from './blocks.js';
import { SLACK_LIMITS } from './limits.js';
import { clip, clipEscaped } from './mrkdwn.js';
import { textReply } from './reply-blocks.js';

/** The two buttons under a drifted node. */
export const DRIFT_BUTTONS = {
  adopt: 'clab_drift_adopt',
  restore: 'clab_drift_restore',
} as const;
export type DriftButton = keyof typeof DRIFT_BUTTONS;

/** Diff lines shown inline; a longer diff is attached as a file. */
const INLINE_DIFF_LINES = 40;

/** `lab/node|sha256`: the node, and (Adopt) the running configuration the report showed. */
export function driftButtonValue(node: NodeRef, sha256: string): string {
  return `${nodeKey(node)}|${sha256}`;
}

export function parseDriftButtonValue(value: string | undefined): { readonly node: NodeRef; readonly sha256: string } | undefined {
  const m = /^([^/|\s]{1,128})\/([^/|\s]{1,128})\|([0-9a-f]{64})$/.exec(value ?? '');
  return m ? { node: { lab: m[1]!, name: m[2]! }, sha256: m[3]! } : undefined;
}

/**
 * A drift report in a thread: one post per drifted node (headline, the device's last commit,
 * the diff inline or as a file, Adopt and Restore), then one post with the other nodes and the counts.
 */
export function driftPosts(outcomes: readonly NodeOutcome<DriftValue>[]): ThreadPost[] {
  const posts: ThreadPost[] = [];
  for (const o of outcomes) {
    const v = o.value;
    if (v?.status !== 'drifted') continue;
    posts.push(driftedPost(o.node, driftHeadline(o), v));
  }
  const rest = outcomes.filter((o) => o.value?.status !== 'drifted').map(driftHeadline);
  posts.push({ message: textReply({ ...(rest.length > 0 ? { code: rest.join('\n') } : {}), note: driftSummary(outcomes) }) });
  return posts;
}

function driftedPost(node: NodeRef, headline: string, v: Extract<DriftValue, { status: 'drifted' }>): ThreadPost {
  const diff = v.diff.trimEnd();
  const long = diff.split('\n').length > INLINE_DIFF_LINES;
  const base = textReply({
    lead: `:warning: ${clipEscaped(headline, 500)}`,
    ...(long ? {} : { code: diff }),
    note: `${lastCommitLine(v)}. ${long ? 'The diff is attached; ' : ''}${DRIFT_MASKED_NOTE}.`,
  });
  const value = driftButtonValue(node, v.runningSha256);
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: `drift_${nodeKey(node)}_${v.runningSha256.slice(0, 12)}`.slice(0, 255),
    elements: [
      {
        type: 'button',
        action_id: DRIFT_BUTTONS.adopt,
        text: plain('Adopt', SLACK_LIMITS.buttonText),
        style: 'primary',
        value,
        confirm: {
          title: plain(`Adopt ${nodeKey(node)}?`, SLACK_LIMITS.confirmTitle),
          text: plain('The running configuration becomes this node\'s baseline (a backup version adopted by you). The device is not changed.', SLACK_LIMITS.confirmText),
          confirm: plain('Adopt', SLACK_LIMITS.buttonText),
          deny: plain('Cancel', SLACK_LIMITS.buttonText),
        },
      },
      {
        type: 'button',
        action_id: DRIFT_BUTTONS.restore,
        text: plain('Restore', SLACK_LIMITS.buttonText),
        style: 'danger',
        value,
        confirm: {
          title: plain(`Restore ${nodeKey(node)}?`, SLACK_LIMITS.confirmTitle),
          text: plain(`This proposes a change that loads baseline version ${v.baseline.version} in place of the running configuration; it needs approval like any other.`, SLACK_LIMITS.confirmText),
          confirm: plain('Propose', SLACK_LIMITS.buttonText),
          deny: plain('Cancel', SLACK_LIMITS.buttonText),
        },
      },
    ],
  };
  const post: ThreadPost = { message: { text: base.text, blocks: [...base.blocks, actions] } };
  if (!long) return post;
  return { ...post, file: { filename: `${node.name}-drift.diff`.replace(/[^A-Za-z0-9_.-]/g, '_'), title: clip(headline, 200), content: diff } };
}
