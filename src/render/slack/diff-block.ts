import { codeBlock, type CodeBlock } from './mrkdwn.js';

/** Where the device's text had tab stops: every 8 columns of the line's own content. */
const TAB_STOP = 8;

function expandTabs(text: string): string {
  if (!text.includes('\t')) return text;
  let out = '';
  for (const ch of text) out += ch === '\t' ? ' '.repeat(TAB_STOP - (out.length % TAB_STOP)) : ch;
  return out;
}

/**
 * A diff with one marker column: every line starts with `+`, `-` or a space, so the added and
 * removed lines and their context line up in a fixed-width block. Lines without a marker (Junos
 * `[edit …]` headers, `@@` hunks, a CLI's banner) get a space; tabs become spaces, counted from
 * the content after the marker, so a tab never shifts one line against the next in Slack's font.
 */
export function alignDiff(diff: string): string {
  return diff
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      if (line === '') return line;
      const marker = line[0] === '+' || line[0] === '-' || line[0] === ' ' ? line[0] : '';
      const rest = marker === '' ? line : line.slice(1);
      return `${marker === '' ? ' ' : marker}${expandTabs(rest)}`.trimEnd();
    })
    .join('\n');
}

/** A diff as a fenced code block (see codeBlock for the cut), aligned by alignDiff. */
export function diffBlock(diff: string, maxChars: number): CodeBlock {
  return codeBlock(alignDiff(diff), maxChars);
}
