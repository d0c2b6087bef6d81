import type { Command } from 'commander';
import { startConsole } from '../handlers/console/start.js';
import { processIo, settingsFor } from '../handlers/terminal/one-shot.js';
import { guarded } from './admin-commands.js';

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
          return startConsole({ settings, io, labs: o.labs, as: o.as, noColor: !o.color });
        }),
      );
    });
}
