import type { Command } from 'commander';
import { resolve } from 'node:path';
import { createApp } from '../app.js';
import { createSlackFrontEnd } from '../handlers/slack/index.js';
import { settingsFor } from '../handlers/terminal/one-shot.js';
import { guarded } from './guarded.js';
import { acquireServeLock } from '../db/serve-lock.js';

export interface ServeOptions {
  readonly config?: string | undefined;
  readonly db?: string | undefined;
  readonly labs?: readonly string[];
}

export interface ServeIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
  readonly stopRequested: () => Promise<NodeJS.Signals>;
}

/** `clab-bot serve`: the Slack bot, until SIGINT or SIGTERM. */
export function registerServeCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('serve')
    .description('run the Slack bot: Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN) or HTTP mode (SLACK_SIGNING_SECRET); stops on SIGINT/SIGTERM')
    .option('--config <file>', 'settings file (default: CLAB_BOT_CONFIG or ./clab-bot.yaml)')
    .option('--db <url>', 'sqlite:PATH or postgres://... (default: CLAB_BOT_DB)')
    .option('--labs <path>', 'a lab directory; repeatable (default: CLAB_LABS, settings labs:)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (o: { config?: string; db?: string; labs: string[] }) => {
      exit(await guarded(() => serve(o)));
    });
}

/** Loads settings, builds the app (watching lab and policy files), serves Slack, and stops cleanly. */
export async function serve(opts: ServeOptions, io: ServeIo = processIo()): Promise<number> {
  const settings = settingsFor({ config: opts.config, db: opts.db }, io);
  const labs = (opts.labs ?? []).map((p) => resolve(io.cwd, p));
  // Refused before anything starts: a second serve on one SQLite file, or on one PostgreSQL database
  // without Redis (the lock goes with the process).
  const lock = await acquireServeLock(settings.db, settings.redis);
  let app;
  let frontEnd;
  try {
    app = await createApp(settings, { watch: true, ...(labs.length > 0 ? { labs } : {}) });
    frontEnd = createSlackFrontEnd(app);
    await frontEnd.start();
  } catch (err) {
    await app?.close();
    lock?.release();
    throw err;
  }
  const stop = io.stopRequested();
  const inv = app.inventory.inventory();
  app.logger.info(
    { mode: frontEnd.mode, labs: inv.labs.length, nodes: inv.nodes.length, ...(frontEnd.eventsUrl ? { eventsUrl: frontEnd.eventsUrl } : {}) },
    `clab-bot ready: serving /clab over Slack ${frontEnd.mode === 'socket' ? 'Socket Mode' : `HTTP at ${frontEnd.eventsUrl}`} for ${inv.nodes.length} nodes in ${inv.labs.length} labs`,
  );
  const signal = await stop;
  app.logger.info({ signal }, 'clab-bot stopping');
  await frontEnd.stop();
  await app.close();
  lock?.release();
  return 0;
}

function processIo(): ServeIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stopRequested: () =>
      new Promise((resolveStop) => {
        const on = (signal: NodeJS.Signals) => {
          process.off('SIGINT', on);
          process.off('SIGTERM', on);
          resolveStop(signal);
        };
        process.on('SIGINT', on);
        process.on('SIGTERM', on);
      }),
  };
}
