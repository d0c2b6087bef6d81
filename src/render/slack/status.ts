import { firstNonBlankLine } from '../terminal.js';
import type { NodeOutcome, NodeStatus, OutcomeError } from '../../ops/outcome.js';
import { statusWord } from '../terminal.js';
import { nodeKey } from '../../model/node-ref.js';

export { statusWord };

export const STATUS_EMOJI: Readonly<Record<NodeStatus, string>> = {
  ok: ':white_check_mark:',
  failed: ':x:',
  stale: ':warning:',
  skipped: ':fast_forward:',
  unknown: ':grey_question:',
  cancelled: ':no_entry_sign:',
};

/** A node's failure as one sentence: the error's own message plus device messages it does not already quote. */
export function errorSentence(error: OutcomeError): string {
  const extra = error.deviceErrors.filter((d) => !error.message.includes(d));
  return [error.message, ...extra].join('; ');
}

/** `r1`, or `lab1/r1` when the outcomes span several labs (a bare name would be ambiguous). */
export function nodeLabeller(outcomes: readonly NodeOutcome<unknown>[]): (o: NodeOutcome<unknown>) => string {
  const multiLab = new Set(outcomes.map((o) => o.node.lab)).size > 1;
  return (o) => (multiLab ? nodeKey(o.node) : o.node.name);
}

/** First non-blank line, for a table cell. */
export function firstLine(text: string, max = 60): string {
  const line = firstNonBlankLine(text).trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
