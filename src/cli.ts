#!/usr/bin/env node
import { VERBS } from './grammar/verbs.js';

/**
 * Entry point. The grammar's verbs (exec, config, nodes, ...) go straight to the terminal front
 * end, which parses them with the same grammar as Slack; commander handles the rest
 * (serve, console, demo, sim, migrate, policy, health) and the top-level --help.
 * Each side is imported only when used: a one-shot `exec` never loads Bolt or the simulators.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const first = argv[0];
  const isVerb = first !== undefined && (VERBS as readonly string[]).includes(first);
  if (isVerb && (first !== 'help' || argv.length > 1)) {
    const { runTerminalVerb } = await import('./handlers/terminal/one-shot.js');
    return runTerminalVerb(argv);
  }
  const { runProgram } = await import('./cli/program.js');
  return runProgram(argv);
}

const isEntry = process.argv[1] !== undefined && /cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (isEntry) {
  // `clab-bot nodes | head -1`, `| true`: the reader left. Nobody is there to read the rest, so
  // output stops quietly (no EPIPE stack) and the command itself still finishes and cleans up.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'EIO' || err.code === 'ERR_STREAM_DESTROYED') return;
      throw err;
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`clab-bot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
