import type { Command } from 'commander';
import type { App } from '../app.js';
import { startConsole } from '../handlers/console/start.js';
import { processIo, settingsFor } from '../handlers/terminal/one-shot.js';
import { guarded } from './guarded.js';

export interface ConsoleFlags {
  labs: string[];
  config?: string;
  db?: string;
  as?: string;
  color: boolean;
}

/** `--labs` may be repeated. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `clab-bot console`: the interactive front end over the configured labs. */
export function registerConsoleCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('console')
    .description('interactive terminal: the /clab grammar with history, Tab completion, colours and progress')
    .option('--labs <path>', 'a lab directory or topology file; repeatable (default: CLAB_LABS, settings labs:)', collect, [])
    .option('--config <file>', 'settings file (default: CLAB_BOT_CONFIG or ./clab-bot.yaml)')
    .option('--db <url>', 'sqlite:PATH or postgres://... (default: CLAB_BOT_DB)')
    .option('--as <subject>', 'act as this policy user (user:U…) instead of settings terminal_subject')
    .option('--no-color', 'plain output')
    .action(async (o: ConsoleFlags) => {
      exit(
        await guarded(async () => {
          const io = processIo();
          const settings = settingsFor({ config: o.config, db: o.db }, io);
          return startConsole({ settings, io, labs: o.labs, as: o.as, noColor: !o.color, intro: consoleBanner });
        }),
      );
    });
}

/** The line a person sees on opening the console: what was found, and where to start. */
export function consoleBanner(app: App): string {
  const labs = app.inventory.labs();
  const nodes = app.inventory.nodes().length;
  if (nodes === 0) {
    return 'clab-bot console: no lab nodes found; point --labs (or CLAB_LABS) at a directory holding clab-<lab>/topology-data.json or *.clab.yml, or try `clab-bot demo`\ntype help for the commands, exit to leave';
  }
  return `clab-bot console: ${nodes} node${nodes === 1 ? '' : 's'} in ${labs.length} lab${labs.length === 1 ? '' : 's'} (${labs.map((l) => l.name).join(', ')}); type help for the commands, exit to leave`;
}
