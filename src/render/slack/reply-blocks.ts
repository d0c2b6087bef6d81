import { redactText } from '../../redact/index.js';
import type { MessageBlock, SlackMessage } from './block-types.js';
import { context, section } from './blocks.js';
import { MESSAGE_BUDGET } from './limits.js';
import { MessageBudget } from './message-budget.js';
import { clip, clipEscaped, escapeCode, escapeMrkdwn, splitLines } from './mrkdwn.js';

export interface TextReply {
  /** The first line, mrkdwn (already escaped). */
  readonly lead?: string;
  /** Monospace body (help, tables): shown in code blocks, split at line boundaries. */
  readonly code?: string;
  /** Small print under the body (hints), plain text. */
  readonly note?: string;
}

/**
 * A reply made of a lead line, an optional monospace body and a note. A body longer than one
 * message is cut at a line boundary with a line saying how much is shown and where the rest is.
 */
export function textReply(reply: TextReply): SlackMessage {
  const budget = new MessageBudget();
  if (reply.lead !== undefined) budget.tryAdd([section(reply.lead)]);
  if (reply.code !== undefined && reply.code.trim() !== '') {
    const body = redactText(reply.code).replace(/\s+$/, '');
    const lines = body.split('\n');
    // Escaping can grow a piece, so split the escaped text, then count lines shown.
    const pieces = splitLines(escapeCode(body), MESSAGE_BUDGET.sectionChars - 8);
    let shownLines = 0;
    for (const piece of pieces) {
      const block: MessageBlock = section(`\`\`\`\n${piece}\n\`\`\``);
      if (!budget.tryAdd([block], { blocks: 2, chars: 700 })) break;
      shownLines += piece.split('\n').length;
    }
    if (shownLines < lines.length) {
      budget.tryAdd([
        context(
          `:scissors: showing the first ${shownLines} of ${lines.length} lines; narrow the request (a selector such as --lab or --kind) or run it in the terminal for the rest`,
        ),
      ]);
    }
  }
  if (reply.note !== undefined) budget.tryAdd([context(clipEscaped(redactText(reply.note), 1000))]);
  const text =
    [reply.lead, reply.note === undefined ? undefined : escapeMrkdwn(redactText(reply.note))].filter((s): s is string => s !== undefined).join(' ') ||
    escapeMrkdwn(clip(redactText(reply.code ?? ''), 300));
  return { text: clip(text, MESSAGE_BUDGET.fallbackChars), blocks: budget.blocks };
}
