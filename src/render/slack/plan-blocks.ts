import type { Plan } from '../../drivers/contract.js';
import type { NodeOutcome } from '../../ops/outcome.js';
import type { RequestResult } from '../../ops/results.js';
import { redactText } from '../../redact/index.js';
import { renderTerminal } from '../terminal.js';
import type { MessageBlock, SlackFile, ThreadPost } from './block-types.js';
import { context, section } from './blocks.js';
import { FAILURES_RESERVE, addFailures, nodeHeading } from './exec-blocks.js';
import { INLINE_MAX_NODES, MESSAGE_BUDGET, TABLE_MAX_ROWS } from './limits.js';
import { MessageBudget } from './message-budget.js';
import { diffBlock } from './diff-block.js';
import { clip, clipEscaped, escapeMrkdwn, plural } from './mrkdwn.js';
import { nodeLabeller, statusWord } from './status.js';
import { addTable } from './table.js';

type PlanRequestResult = Extract<RequestResult, { kind: 'plan' }>;

const NOTE_RESERVE = { blocks: 3, chars: 800 } as const;

/**
 * Thread posts for a dry run: per node the diff and the commit check (few nodes, diffs inline and
 * cut visibly with the full text attached), or a summary table plus a file (many nodes).
 */
export function planThread(result: PlanRequestResult): ThreadPost[] {
  const plans = result.outcomes.length <= INLINE_MAX_NODES ? [inlinePlan(result)] : [summaryPlan(result)];
  return result.rendered === undefined ? plans : [...plans, renderingsPost(result, result.rendered)];
}

/**
 * config --template: what each node was planned with, as one file (the diffs above show only what
 * changes). Redacted like any output: a template may set secrets.
 */
function renderingsPost(result: PlanRequestResult, rendered: NonNullable<PlanRequestResult['rendered']>): ThreadPost {
  const entries = Object.entries(rendered);
  const text = redactText(entries.map(([key, r]) => `== ${key}\nrendered (sha256 ${r.sha256.slice(0, 12)}):\n${r.content.trimEnd()}`).join('\n\n'));
  const line = `${result.sourceLabel}: the text each node was planned with (${plural(entries.length, 'node')})`;
  const name = result.sourceLabel.replace(/^template /, '').split('/').at(-1) ?? 'template';
  return {
    message: { text: clip(line, MESSAGE_BUDGET.fallbackChars), blocks: [context(`:page_facing_up: ${clipEscaped(line, 300)}: attached`)] },
    file: { filename: `${name}.rendered.txt`.replace(/[^A-Za-z0-9_.-]/g, '_'), title: clip(line, 200), content: text },
  };
}

/** `+3 −1`, or `no changes`. */
export function diffStat(diff: string): string {
  if (diff.trim() === '') return 'no changes';
  const lines = diff.split('\n');
  const added = lines.filter((l) => /^\s*\+/.test(l)).length;
  const removed = lines.filter((l) => /^\s*-/.test(l)).length;
  return `+${added} −${removed}`;
}

function checkWord(plan: Plan): string {
  return plan.check.ok ? 'commit check ok' : 'commit check FAILED';
}

/** The dry run's one-line verdict, also used for the root message. */
export function planSummary(result: PlanRequestResult): string {
  const changed = result.outcomes.filter((o) => o.value && o.value.diff.trim() !== '').length;
  const failing = result.outcomes.filter((o) => o.status !== 'ok' || (o.value && !o.value.check.ok)).length;
  return `dry run (${result.method}, ${result.sourceLabel}): ${changed} of ${plural(result.outcomes.length, 'node')} would change, ${failing} failing; nothing was committed`;
}

function inlinePlan(result: PlanRequestResult): ThreadPost {
  const { outcomes } = result;
  const label = nodeLabeller(outcomes);
  const budget = new MessageBudget();
  const share = Math.min(MESSAGE_BUDGET.sectionChars - 300, Math.floor((MESSAGE_BUDGET.chars - NOTE_RESERVE.chars) / outcomes.length) - 600);
  const truncated: string[] = [];
  for (const o of outcomes) {
    const blocks: MessageBlock[] = [];
    if (o.value !== undefined) {
      const plan = o.value;
      const head = nodeHeading(o, label(o), { okWord: false, ...(plan.check.ok ? {} : { emoji: ':x:' }) });
      const stat = diffStat(plan.diff);
      const title = `${head} · ${stat} · ${plan.check.ok ? checkWord(plan) : `*${checkWord(plan)}*`}`;
      if (plan.diff.trim() === '') blocks.push(section(`${title}\n_the configuration is already in place_`));
      else {
        const code = diffBlock(redactText(plan.diff), share);
        if (code.truncated) truncated.push(`${label(o)} shows ${code.shownLines} of ${code.totalLines} diff lines`);
        blocks.push(section(`${title}\n${code.text}`));
      }
      const notes = [...plan.check.errors.map((e) => `:x: ${e}`), ...plan.check.warnings.map((w) => `:warning: ${w}`)];
      if (notes.length > 0) {
        const listed = clipEscapedLines(notes, 500);
        if (listed.cut) truncated.push(`${label(o)} lists ${listed.shown} of ${notes.length} check messages`);
        blocks.push(section(listed.text));
      }
    } else {
      blocks.push(section(`${nodeHeading(o, label(o))}\n${o.error ? clipEscaped(redactText(o.error.message), share) : '_no result_'}`));
    }
    if (!budget.tryAdd(blocks, NOTE_RESERVE)) truncated.push(`${label(o)} is not shown`);
  }
  const file = truncated.length > 0 ? planFile(result) : undefined;
  const notes = [escapeMrkdwn(planSummary(result))];
  if (file) notes.push(`:scissors: truncated: ${escapeMrkdwn(clip(truncated.join('; '), 400))}; the full diff is attached`);
  budget.tryAdd([context(...notes)]);
  return { message: { text: fallback(result), blocks: budget.blocks }, ...(file ? { file } : {}) };
}

function summaryPlan(result: PlanRequestResult): ThreadPost {
  const { outcomes } = result;
  const label = nodeLabeller(outcomes);
  const budget = new MessageBudget();
  budget.tryAdd([section(`*Dry run* · ${escapeMrkdwn(planSummary(result))}`)]);
  const table = addTable(
    budget,
    ['NODE', 'STATUS', 'CHANGES', 'CHECK'],
    outcomes.map((o) => [
      label(o),
      statusWord(o.status),
      o.value ? diffStat(o.value.diff) : '-',
      o.value ? (o.value.check.ok ? 'ok' : `FAILED: ${o.value.check.errors[0] ?? ''}`) : redactText(o.error?.message ?? ''),
    ]),
    { maxRows: TABLE_MAX_ROWS, reserve: { blocks: 2 + FAILURES_RESERVE.blocks, chars: 600 + (outcomes.some((o) => o.error) ? FAILURES_RESERVE.chars : 0) } },
  );
  addFailures(budget, outcomes as readonly NodeOutcome<Plan>[], label);
  const notes = [`:page_facing_up: every node's diff and commit check is attached`];
  if (table.shownRows < outcomes.length) notes.unshift(`the table shows ${table.shownRows} of ${outcomes.length} nodes; the file has every node`);
  budget.tryAdd([context(...notes)]);
  return { message: { text: fallback(result), blocks: budget.blocks }, file: planFile(result) };
}

/** As many lines as fit one section, each clipped; `cut` when some were left out. */
function clipEscapedLines(lines: readonly string[], perLine: number): { text: string; shown: number; cut: boolean } {
  const out: string[] = [];
  let total = 0;
  let clipped = false;
  for (const l of lines) {
    const escaped = clipEscaped(redactText(l), perLine);
    clipped ||= escaped.endsWith('…') && escapeMrkdwn(redactText(l)).length > perLine;
    if (total + escaped.length > MESSAGE_BUDGET.sectionChars - 100) break;
    out.push(escaped);
    total += escaped.length + 1;
  }
  const shown = out.length;
  if (shown < lines.length) out.push(`…and ${lines.length - shown} more`);
  return { text: out.join('\n'), shown, cut: clipped || shown < lines.length };
}

function fallback(result: PlanRequestResult): string {
  return escapeMrkdwn(clip(redactText(planSummary(result)), MESSAGE_BUDGET.fallbackChars - 200));
}

function planFile(result: PlanRequestResult): SlackFile {
  return {
    filename: `dry-run-${result.method}-${plural(result.outcomes.length, 'node').replace(' ', '-')}.diff`,
    snippetType: 'diff',
    title: clip(planSummary(result), 200),
    content: `${renderTerminal(result, 'text', { color: false })}\n`,
  };
}
