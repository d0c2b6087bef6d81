import { MESSAGE_BUDGET } from './limits.js';

/**
 * Slack mrkdwn: only `&`, `<` and `>` need escaping (everything else is shown as typed); `<…>`
 * would otherwise be read as a link, mention or broadcast. Lengths below are measured after
 * escaping, since Slack counts what it receives.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text for inside a code block: escaped, and a ``` (which would close the fence early) broken by
 * a zero-width space so it stays visible but inert.
 */
export function escapeCode(text: string): string {
  return escapeMrkdwn(text).replace(/```/g, '`\u200b``');
}

/** Shortens plain text to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** One line of inline code (command text, node names): escaped, backticks neutralised, clipped visibly. */
export function inlineCode(text: string, max = 300): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ').replace(/`/g, "'");
  return `\`${escapeMrkdwn(clip(oneLine, max))}\``;
}

/** Escaped mrkdwn clipped to `max` characters without splitting an entity like `&amp;`. */
export function clipEscaped(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  return `${cutEscaped(escaped, max - 1)}…`;
}

export interface CodeBlock {
  /** The fenced block, at most the requested size. */
  readonly text: string;
  /** True when some of the text did not fit. */
  readonly truncated: boolean;
  readonly shownLines: number;
  readonly totalLines: number;
}

const FENCE = '```';

/**
 * A fenced code block of at most `maxChars` characters, fences and escapes included. When the text
 * does not fit, it is cut at a line boundary (or inside an over-long line, never inside an entity)
 * and `truncated` is set so the caller says so: output is never cut silently.
 */
export function codeBlock(text: string, maxChars: number = MESSAGE_BUDGET.sectionChars): CodeBlock {
  const body = text.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  const lines = body === '' ? [] : body.split('\n');
  if (lines.length === 0) return { text: '_(no output)_', truncated: false, shownLines: 0, totalLines: 0 };
  const escaped = escapeCode(body);
  const room = maxChars - FENCE.length * 2 - 2;
  if (escaped.length <= room) return { text: `${FENCE}\n${escaped}\n${FENCE}`, truncated: false, shownLines: lines.length, totalLines: lines.length };
  const cut = escaped.lastIndexOf('\n', room);
  const shown = cut > 0 ? escaped.slice(0, cut) : cutEscaped(escaped, room);
  const shownLines = shown.split('\n').length;
  return { text: `${FENCE}\n${shown}\n${FENCE}`, truncated: true, shownLines, totalLines: lines.length };
}

/** Cuts escaped mrkdwn to at most `max` characters, backing off an entity cut in half. */
function cutEscaped(escaped: string, max: number): string {
  let out = escaped.slice(0, Math.max(0, max));
  const amp = out.lastIndexOf('&');
  if (amp !== -1 && !out.slice(amp).includes(';')) out = out.slice(0, amp);
  return out;
}

/** Splits text into pieces of at most `max` characters, at line boundaries where possible. */
export function splitLines(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current !== '') pieces.push(current);
    let rest = line;
    while (rest.length > max) {
      pieces.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    current = rest;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}


/** `1 node` / `3 nodes` */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
