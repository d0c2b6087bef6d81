import { UsageError } from '../../errors.js';
import { colorWanted } from '../../render/color.js';

/** Flags the terminal front end handles itself, on top of the shared grammar. */
export const TERMINAL_HOST_FLAGS = {
  '--output': 'value',
  '--config': 'value',
  '--db': 'value',
  '--yes': 'switch',
  '--no-color': 'switch',
} as const satisfies Record<string, 'value' | 'switch'>;

export const OUTPUT_FORMATS = ['text', 'table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface TerminalOptions {
  readonly labs: string[];
  readonly output: OutputFormat;
  readonly config: string | undefined;
  readonly db: string | undefined;
  readonly yes: boolean;
  readonly color: boolean;
}

/**
 * `--labs PATH` may be given many times, so it is taken out of argv here (before `--`);
 * the other host flags go through the grammar's hostFlags and come back in hostOptions.
 */
export function takeLabs(argv: readonly string[]): { labs: string[]; rest: string[] } {
  const labs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--labs') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--'))
        throw new UsageError('--labs needs a value: a lab directory or a topology file', { hint: 'e.g. --labs ~/labs' });
      labs.push(v);
      i++;
    } else if (a.startsWith('--labs=')) {
      labs.push(a.slice('--labs='.length));
    } else {
      rest.push(a);
    }
  }
  return { labs, rest };
}

export function terminalOptions(labs: string[], host: Readonly<Record<string, string | true>>, isTty: boolean, env: NodeJS.ProcessEnv): TerminalOptions {
  const output = (host['--output'] ?? 'text') as string;
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
    throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')} (got ${output})`);
  }
  return {
    labs,
    output: output as OutputFormat,
    config: typeof host['--config'] === 'string' ? host['--config'] : undefined,
    db: typeof host['--db'] === 'string' ? host['--db'] : undefined,
    yes: host['--yes'] === true,
    color: colorWanted({ isTty, noColorFlag: host['--no-color'] === true, env }),
  };
}
