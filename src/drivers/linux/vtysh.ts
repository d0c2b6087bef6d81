/**
 * FRR's vtysh as the linux driver uses it: which commands go to vtysh, the argv, the `json` suffix
 * for --format json, and the output pipes. vtysh's own pipe knows only `| include` (FRR's
 * cmd_execute hook; anything else is "% Unknown action"), with POSIX regex semantics: a pipe never
 * reaches it. The bot applies include/exclude/begin itself and the vtysh permission dialect
 * refuses every other stage.
 */
import { ShellWordError } from './shell-words.js';

export const VTYSH = 'vtysh';

/** First words that are vtysh commands on an FRR node; any other command is a program on the node. */
export const VTYSH_WORDS: ReadonlySet<string> = new Set(['show', 'clear', 'debug', 'undebug', 'write', 'mtrace']);

/** Output filters the bot applies to vtysh output (the words FRR's own docs and IOS users expect). */
export const VTYSH_PIPES = ['include', 'exclude', 'begin'] as const;
type PipeName = (typeof VTYSH_PIPES)[number];

export interface OutputFilter {
  readonly pipe: PipeName;
  readonly pattern: RegExp;
}

export interface VtyshCommand {
  /** What vtysh receives after -c. */
  readonly command: string;
  readonly filters: readonly OutputFilter[];
  readonly json: boolean;
}

export function isVtyshCommand(command: string): boolean {
  const first = command.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  // Abbreviations vtysh accepts (`sh ip ospf nei`) are vtysh commands too.
  return [...VTYSH_WORDS].some((word) => first.length >= 2 && word.startsWith(first));
}

/** Splits `show ... | include X | exclude Y` into the vtysh command and the bot-side filters. */
export function parseVtyshCommand(text: string, format: 'text' | 'json'): VtyshCommand {
  const segments = splitPipes(text);
  const command = (segments[0] ?? '').trim();
  if (command === '') throw new ShellWordError('empty vtysh command');
  if (/[\n\r\0]/.test(command)) throw new ShellWordError('a vtysh command is one line');
  const filters = segments.slice(1).map((segment): OutputFilter => {
    const trimmed = segment.trim();
    const [name = '', ...rest] = trimmed.split(/\s+/);
    const pipe = VTYSH_PIPES.find((p) => p === name.toLowerCase());
    if (pipe === undefined) throw new ShellWordError(`"| ${name}" is not a pipe the bot applies on FRR (use ${VTYSH_PIPES.map((p) => `| ${p}`).join(', ')})`);
    const source = unquote(rest.join(' '));
    if (source === '') throw new ShellWordError(`"| ${pipe}" needs a pattern`);
    try {
      return { pipe, pattern: new RegExp(source) };
    } catch {
      throw new ShellWordError(`"| ${pipe} ${source}": not a valid regular expression`);
    }
  });
  const json = format === 'json';
  if (json && filters.length > 0) throw new ShellWordError('output pipes apply to text output; drop them with --format json');
  const wantsJson = json && !/\sjson$/i.test(command);
  return { command: wantsJson ? `${command} json` : command, filters, json };
}

/** Applies the filters line by line, in order. */
export function applyFilters(output: string, filters: readonly OutputFilter[]): string {
  let lines = output.split('\n');
  for (const { pipe, pattern } of filters) {
    if (pipe === 'include') lines = lines.filter((l) => pattern.test(l));
    else if (pipe === 'exclude') lines = lines.filter((l) => !pattern.test(l));
    else {
      const start = lines.findIndex((l) => pattern.test(l));
      lines = start < 0 ? [] : lines.slice(start);
    }
  }
  return lines.join('\n');
}

/** `show running-config` without vtysh's banner ("Building configuration...", "Current configuration:"). */
export function stripRunningBanner(text: string): string {
  return text.replace(/^\s*Building configuration\.\.\.\s*\n/, '').replace(/^\s*Current configuration:\s*\n/, '');
}

/** vtysh's own error lines (`% Unknown command: ...`), for RejectedError. */
export function vtyshErrors(stdout: string, stderr: string): string[] {
  const lines = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const marked = lines.filter((l) => l.startsWith('%') || /^line \d+:/.test(l));
  return (marked.length > 0 ? marked : lines).filter((l) => !l.startsWith('vtysh_pam:')).slice(0, 20);
}

function splitPipes(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === '|') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  if (quote !== undefined) throw new ShellWordError(`unbalanced ${quote} quote`);
  out.push(current);
  return out;
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.endsWith(t[0]) ? t.slice(1, -1) : t;
}
