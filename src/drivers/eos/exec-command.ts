/**
 * An exec command as typed → what eAPI runs and what the driver does with the answer. Output
 * filters (`| include`, `| exclude`, `| begin`, `| section`, `| no-more`, `| nz`) are applied here
 * to the text eAPI returns, so the device runs only the command itself; `| json` selects eAPI's
 * JSON format. A pipe stage starts at a `|` preceded by a space, so a regex such as
 * `include Et1|Et2` stays one argument. The permission check has already refused unsafe stages;
 * anything else reaching here is refused too.
 */
import type { OutputFormat } from '../contract.js';
import { UnsupportedError, type DriverErrorContext } from '../errors.js';

export type OutputFilter =
  | { readonly kind: 'include' | 'exclude' | 'begin' | 'section'; readonly pattern: RegExp; readonly text: string }
  | { readonly kind: 'nz' };

export interface PreparedExec {
  readonly command: string;
  readonly format: 'json' | 'text';
  readonly filters: readonly OutputFilter[];
}

const STAGES = ['include', 'exclude', 'begin', 'section', 'json', 'no-more', 'nz'] as const;

function stageName(word: string): (typeof STAGES)[number] | undefined {
  const lower = word.toLowerCase();
  const matches = STAGES.filter((s) => s.startsWith(lower));
  return matches.length === 1 ? matches[0] : STAGES.find((s) => s === lower);
}

export function prepareExec(typed: string, requested: OutputFormat | undefined, ctx: DriverErrorContext): PreparedExec {
  if (requested === 'xml') throw new UnsupportedError(ctx, 'XML output (EOS answers in text or JSON)');
  const [command = '', ...stages] = typed.split(/\s+\|/);
  let format: 'json' | 'text' = requested === 'json' ? 'json' : 'text';
  const filters: OutputFilter[] = [];
  for (const stage of stages) {
    const [word = '', ...args] = stage.trim().split(/\s+/);
    const name = stageName(word);
    // A pattern quoted as a whole (`include "Serial number"`) is matched without its quotes.
    const text = args.join(' ').replace(/^"(.*)"$|^'(.*)'$/, (_m, d: string | undefined, q: string | undefined) => d ?? q ?? '');
    switch (name) {
      case 'json':
        format = 'json';
        break;
      case 'no-more':
        break;
      case 'nz':
        filters.push({ kind: 'nz' });
        break;
      case 'include':
      case 'exclude':
      case 'begin':
      case 'section': {
        if (text === '') throw new UnsupportedError(ctx, `\`| ${word}\` without a pattern`);
        let pattern: RegExp;
        try {
          pattern = new RegExp(text);
        } catch {
          throw new UnsupportedError(ctx, `the pattern \`${text}\` (not a regular expression the bot can apply)`);
        }
        filters.push({ kind: name, pattern, text });
        break;
      }
      default:
        throw new UnsupportedError(ctx, `the pipe \`| ${stage.trim()}\``);
    }
  }
  if (format === 'json' && filters.length > 0) throw new UnsupportedError(ctx, 'a text filter on JSON output');
  return { command: command.trim(), format, filters };
}

/** Applies the filters in order, as the EOS CLI would to the command's text output. */
export function filterOutput(output: string, filters: readonly OutputFilter[]): string {
  let lines = output.split('\n');
  const trailing = output.endsWith('\n');
  if (trailing) lines.pop();
  for (const f of filters) {
    switch (f.kind) {
      case 'include':
        lines = lines.filter((l) => f.pattern.test(l));
        break;
      case 'exclude':
        lines = lines.filter((l) => !f.pattern.test(l));
        break;
      case 'begin': {
        const at = lines.findIndex((l) => f.pattern.test(l));
        lines = at < 0 ? [] : lines.slice(at);
        break;
      }
      case 'section':
        lines = section(lines, f.pattern);
        break;
      case 'nz':
        lines = lines.filter((l) => !/^\s*\S+(\s+0)+\s*$/.test(l));
        break;
      default:
        f satisfies never;
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}${trailing ? '\n' : ''}`;
}

/** `| section RE`: each top-level block (a line and its indented children) where any line matches. */
function section(lines: readonly string[], pattern: RegExp): string[] {
  const out: string[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.some((l) => pattern.test(l))) out.push(...block);
    block = [];
  };
  for (const line of lines) {
    if (!/^\s/.test(line)) flush();
    block.push(line);
  }
  flush();
  return out;
}
