import type { Command } from 'commander';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { guarded } from './guarded.js';
import { settingsFor } from '../handlers/terminal/one-shot.js';
import { registerServeCommand } from './serve.js';
import { registerPolicyCommands } from './policy-commands.js';
import { registerConsoleCommand } from './console.js';
import { registerDemoCommand } from './demo.js';
import { registerSimCommand } from './sim.js';
import { registerAgentCommand } from './agent.js';

/** Commands outside the grammar: operating the bot itself. Each sets the exit code through `exit`. */
export function registerAdminCommands(program: Command, exit: (code: number) => void): void {
  registerServeCommand(program, exit);
  registerPolicyCommands(program, exit);
  registerConsoleCommand(program, exit);
  registerDemoCommand(program, exit);
  registerSimCommand(program, exit);
  registerAgentCommand(program, exit);
  program
    .command('migrate')
    .description('bring the database schema up to date (also done at every start)')
    .option('--db <url>', 'sqlite:PATH or postgres://... (default: CLAB_BOT_DB)')
    .option('--config <file>', 'settings file')
    .action(async (o: { db?: string; config?: string }) => {
      exit(
        await guarded(async () => {
          const settings = settingsFor({ config: o.config, db: o.db }, { env: process.env, cwd: process.cwd() });
          const h = await openDatabase(settings.db);
          try {
            const applied = await migrateToLatest(h.db);
            process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : `${h.describe} is up to date\n`);
          } finally {
            await h.close();
          }
          return 0;
        }),
      );
    });

  program
    .command('health')
    .description('exit 0 when settings load and the database answers (the Docker HEALTHCHECK)')
    .action(async () => {
      exit(
        await guarded(async () => {
          const settings = settingsFor({ config: undefined, db: undefined }, { env: process.env, cwd: process.cwd() });
          const h = await openDatabase(settings.db);
          try {
            await migrateToLatest(h.db);
          } finally {
            await h.close();
          }
          process.stdout.write('ok\n');
          return 0;
        }),
      );
    });
}
