import type { NodeOutcome } from '../../ops/outcome.js';
import { countByStatus, NODE_STATUSES } from '../../ops/outcome.js';
import type { RequestResult } from '../../ops/results.js';
import { redactText } from '../../redact/index.js';
import { cutNote, formatBytes } from '../../ops/exec-output.js';
import { execTextChunks } from '../terminal.js';
import type { MessageBlock, SlackFile, ThreadPost } from './block-types.js';
import { context, section } from './blocks.js';
import { INLINE_MAX_NODES, MESSAGE_BUDGET, TABLE_MAX_ROWS } from './limits.js';
import { MessageBudget } from './message-budget.js';
import { clip, clipEscaped, codeBlock, escapeMrkdwn, plural } from './mrkdwn.js';
import { duration } from '../../util/duration.js';
import { STATUS_EMOJI, errorSentence, firstLine, nodeLabeller, statusWord } from './status.js';
import { addTable } from './table.js';

type ExecRequestResult = Extract<RequestResult, { kind: 'exec' }>;

/** Room kept at the end of a message for the "truncated, full output attached" line. */
const NOTE_RESERVE = { blocks: 2, chars: 600 } as const;

/**
 * Thread posts for an exec result. Few nodes: each node's output inline in a code block, cut to
 * the message budget with the cut said out loud and the full output attached. Many nodes: a
 * summary table (node | status | time | first line), the failures as sentences, and every node's
 * output in one attached file.
 */
export function execThread(result: ExecRequestResult): ThreadPost[] {
  return result.outcomes.length <= INLINE_MAX_NODES ? [inlineExec(result)] : [summaryExec(result)];
}

function inlineExec(result: ExecRequestResult): ThreadPost {
  const { outcomes } = result;
  const label = nodeLabeller(outcomes);
  const budget = new MessageBudget();
  // Each node gets an equal share of the message; a short output leaves its room unused, which is fine.
  const share = Math.min(
    MESSAGE_BUDGET.sectionChars - 300,
    Math.floor((MESSAGE_BUDGET.chars - NOTE_RESERVE.chars) / outcomes.length) - 300,
  );
  const truncated: string[] = [];
  for (const o of outcomes) {
    const head = nodeHeading(o, label(o));
    const blocks: MessageBlock[] = [];
    if (o.value !== undefined) {
      // Only the start can show inline: redact and escape that, not a many-megabyte output.
      const output = o.value.output;
      const start = output.length > share * 2 ? output.slice(0, output.lastIndexOf('\n', share * 2) + 1 || share * 2) : output;
      const code = codeBlock(redactText(start), share);
      const totalLines = start === output ? code.totalLines : countLines(output);
      if (code.truncated || start !== output) truncated.push(`${label(o)} shows ${code.shownLines} of ${totalLines} lines`);
      blocks.push(section(`${head}\n${code.text}`));
      if (o.value.cut) blocks.push(context(`:scissors: ${escapeMrkdwn(cutNote(o.value.cut))}`));
      if (o.value.warnings.length > 0) blocks.push(context(...o.value.warnings.map((w) => `:warning: ${clipEscaped(redactText(w), 300)}`)));
    } else {
      blocks.push(section(`${head}\n${o.error ? clipEscaped(redactText(errorSentence(o.error)), share) : '_no result_'}`));
    }
    if (!budget.tryAdd(blocks, NOTE_RESERVE)) {
      // Cannot happen with the shares above; kept so an oversize message is impossible by construction.
      truncated.push(`${label(o)} is not shown`);
    }
  }
  const file = truncated.length > 0 ? outputFile(result) : undefined;
  if (file) budget.tryAdd([context(`:scissors: truncated: ${escapeMrkdwn(clip(truncated.join('; '), 400))}; the full output is attached`)]);
  return { message: { text: fallback(result), blocks: budget.blocks }, ...(file ? { file } : {}) };
}

function summaryExec(result: ExecRequestResult): ThreadPost {
  const { outcomes } = result;
  const label = nodeLabeller(outcomes);
  const budget = new MessageBudget();
  budget.tryAdd([section(`*Results* · ${countsLine(outcomes)}`)]);
  const table = addTable(
    budget,
    ['NODE', 'STATUS', 'TIME', 'FIRST LINE'],
    outcomes.map((o) => [
      label(o),
      statusWord(o.status),
      duration(o.durationMs),
      redactText(o.error ? errorSentence(o.error) : firstLine(o.value?.output ?? '') || '(no output)'),
    ]),
    { maxRows: TABLE_MAX_ROWS, reserve: { blocks: 2 + FAILURES_RESERVE.blocks, chars: 600 + (outcomes.some((o) => o.error) ? FAILURES_RESERVE.chars : 0) } },
  );
  addFailures(budget, outcomes, label);
  const cut = outcomes.filter((o) => o.value?.cut);
  const notes = [`:page_facing_up: the full output of ${plural(outcomes.length, 'node')} is attached`];
  if (cut.length > 0) {
    const total = cut.reduce((sum, o) => sum + o.value!.cut!.totalBytes, 0);
    notes.push(
      `:scissors: output cut by the bot's limit on ${plural(cut.length, 'node')} (${formatBytes(total)} in all; the file says where): run a narrower command or add ${'`'}| match PATTERN${'`'} to see the rest`,
    );
  }
  if (table.shownRows < outcomes.length) notes.unshift(`the table shows ${table.shownRows} of ${outcomes.length} nodes; the file has every node`);
  budget.tryAdd([context(...notes)]);
  return { message: { text: fallback(result), blocks: budget.blocks }, file: outputFile(result) };
}

/** Room a failures section may need; summaries keep it free while adding the table. */
export const FAILURES_RESERVE = { blocks: 1, chars: MESSAGE_BUDGET.sectionChars } as const;

/**
 * Failed nodes, one sentence each, as many as fit what is left of the message (keeping `reserve`
 * for what follows); the rest are counted and left to the attached file.
 */
export function addFailures<T>(
  budget: MessageBudget,
  outcomes: readonly NodeOutcome<T>[],
  label: (o: NodeOutcome<T>) => string,
  reserve: { readonly blocks: number; readonly chars: number } = { blocks: 1, chars: 400 },
): void {
  const failed = outcomes.filter((o) => o.error !== undefined);
  if (failed.length === 0) return;
  const room = Math.min(MESSAGE_BUDGET.sectionChars, budget.remainingChars - reserve.chars) - 60;
  const lines = failed.map((o) => `• *${escapeMrkdwn(label(o))}*${clipEscaped(redactText(afterNodeName(errorSentence(o.error!), o.node.name)), 280)}`);
  let shown = 0;
  let text = '*Failures*';
  while (shown < lines.length && `${text}\n${lines[shown]}`.length <= room) {
    text = `${text}\n${lines[shown]}`;
    shown += 1;
  }
  if (shown < lines.length) text = `${text}\n…and ${lines.length - shown} more in the attached file`;
  budget.tryAdd([section(text)], reserve);
}

/**
 * What follows the bold node label: driver messages already start with the node's name
 * ("r1 is unreachable: …"), so the sentence continues after it instead of naming the node twice.
 */
function afterNodeName(message: string, node: string): string {
  return message.startsWith(`${node} `) || message.startsWith(`${node}:`) ? message.slice(node.length) : `: ${message}`;
}

/** `:white_check_mark: *r1* · ok · 85 ms`; a dry run passes its own emoji and leaves out the word `ok`. */
export function nodeHeading(o: NodeOutcome<unknown>, name: string, opts: { readonly emoji?: string; readonly okWord?: boolean } = {}): string {
  const word = o.status === 'ok' ? (opts.okWord === false ? undefined : statusWord(o.status)) : `*${statusWord(o.status)}*`;
  return [`${opts.emoji ?? STATUS_EMOJI[o.status]} *${escapeMrkdwn(name)}*`, ...(word ? [word] : []), duration(o.durationMs)].join(' · ');
}

function countsLine(outcomes: readonly NodeOutcome<unknown>[]): string {
  const c = countByStatus(outcomes, NODE_STATUSES);
  const parts = [`${c.ok} ok`];
  for (const s of ['failed', 'stale', 'unknown', 'cancelled', 'skipped'] as const) if (c[s] > 0) parts.push(`${c[s]} ${s}`);
  return `${plural(outcomes.length, 'node')}: ${parts.join(', ')}`;
}

function fallback(result: ExecRequestResult): string {
  return escapeMrkdwn(clip(redactText(`${result.command}: ${countsLine(result.outcomes)}`), MESSAGE_BUDGET.fallbackChars - 200));
}

function outputFile(result: ExecRequestResult): SlackFile {
  const words = result.command.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'output';
  const nodes = result.outcomes.length === 1 ? result.outcomes[0]!.node.name.replace(/[^A-Za-z0-9_.-]/g, '_') : `${result.outcomes.length}-nodes`;
  return {
    filename: `${nodes}-${words}.txt`,
    title: clip(`${result.command} (${plural(result.outcomes.length, 'node')})`, 200),
    content: execTextChunks(result),
  };
}

/** Lines of a text, counted without splitting it. */
function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
