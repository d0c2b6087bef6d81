import type { Command } from 'commander';
import { resolve } from 'node:path';
import { startAgent } from '../agents/agent.js';
import { settingsFor } from '../handlers/terminal/one-shot.js';
import { createLogger } from '../log.js';
import { guarded } from './guarded.js';

/** How long a stopping agent waits for its connections to close before it exits anyway. */
const STOP_LIMIT_MS = 10_000;

/** `clab-bot agent`: serves this host's labs to the fleet (PostgreSQL + Redis) until SIGINT or SIGTERM. */
export function registerAgentCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('agent')
    .description('run next to the labs of a containerlab host: register them in the shared PostgreSQL (CLAB_BOT_DB) and run device work from Redis (CLAB_BOT_REDIS); stops on SIGINT/SIGTERM')
    .option('--name <name>', "this agent's name in the fleet, the HOST of HOST:lab/node (default: the host name)")
    .option('--config <file>', 'settings file (default: CLAB_BOT_CONFIG or ./clab-bot.yaml)')
    .option('--db <url>', 'postgres://... (default: CLAB_BOT_DB)')
    .option('--labs <path>', 'a lab directory; repeatable (default: CLAB_LABS, settings labs:)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (o: { name?: string; config?: string; db?: string; labs: string[] }) => {
      exit(
        await guarded(async () => {
          const settings = settingsFor({ config: o.config, db: o.db }, { env: process.env, cwd: process.cwd() });
          const labs = o.labs.map((p) => resolve(process.cwd(), p));
          const agent = await startAgent(settings, {
            ...(o.name ? { name: o.name } : {}),
            ...(labs.length > 0 ? { labs } : {}),
            logger: createLogger(settings.logLevel),
          });
          const signal = await new Promise<NodeJS.Signals>((done) => {
            process.once('SIGINT', () => done('SIGINT'));
            process.once('SIGTERM', () => done('SIGTERM'));
          });
          process.stderr.write(`${signal}: agent ${agent.id} stopping\n`);
          // Closing waits on Redis and PostgreSQL; with either gone it could wait for ever, so
          // it gets a time limit, and a second signal stops at once.
          const again = new Promise<'again'>((done) => {
            process.once('SIGINT', () => done('again'));
            process.once('SIGTERM', () => done('again'));
          });
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<'late'>((done) => (timer = setTimeout(() => done('late'), STOP_LIMIT_MS)));
          const how = await Promise.race([agent.stop().then(() => 'stopped' as const), again, late]);
          clearTimeout(timer);
          if (how === 'stopped') return 0;
          process.stderr.write(
            how === 'late'
              ? `agent ${agent.id} did not close its connections within ${STOP_LIMIT_MS / 1000} s (Redis or PostgreSQL not answering): exiting anyway\n`
              : `agent ${agent.id}: second signal, exiting without closing its connections\n`,
          );
          // The connections still open would keep the process alive: leave now (stderr is synchronous).
          process.exit(1);
        }),
      );
    });
}
