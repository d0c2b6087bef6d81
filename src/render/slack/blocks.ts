import type { ContextBlock, Mrkdwn, PlainText, SectionBlock } from './block-types.js';
import { SLACK_LIMITS } from './limits.js';
import { clip } from './mrkdwn.js';

/** Small constructors; callers pass text that is already escaped and sized. */

function mrkdwn(text: string): Mrkdwn {
  return { type: 'mrkdwn', text };
}

export function plain(text: string, max: number): PlainText {
  return { type: 'plain_text', text: clip(text, max), emoji: true };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(clip(text, SLACK_LIMITS.sectionText)) };
}

/** One context line (small grey text); several lines become several elements (at most 10). */
export function context(...lines: readonly string[]): ContextBlock {
  return { type: 'context', elements: lines.slice(0, SLACK_LIMITS.contextElements).map((l) => mrkdwn(clip(l, SLACK_LIMITS.sectionText))) };
}

