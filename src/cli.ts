#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERBS, type Verb } from './grammar/request.js';
import { VERB_DEFS } from './grammar/index.js';
import { runTerminalVerb } from './handlers/terminal/one-shot.js';
import { registerAdminCommands } from './cli/admin-commands.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

/**
 * Entry point. The grammar's verbs (exec, config, nodes, ...) go straight to the terminal front
 * end, which parses them with the same grammar as Slack; commander handles the rest
 * (serve, console, demo, sim, migrate, policy, health) and the top-level --help.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const first = argv[0];
  if (first !== undefined && (VERBS as readonly string[]).includes(first) && first !== 'help') {
    return runTerminalVerb(argv);
  }
  if (first === 'help' && argv.length > 1) return runTerminalVerb(argv);

  const program = new Command('clab-bot')
    .description('containerlab-native chat/ops bot: run commands and approval-gated config changes on lab nodes from Slack or a terminal')
    .version('0.1.0')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  for (const verb of VERBS.filter((v): v is Exclude<Verb, 'help'> => v !== 'help')) {
    program.command(verb).description(`${VERB_DEFS[verb].summary}  (clab-bot ${verb} --help)`).allowUnknownOption().helpOption(false);
  }
  let code = 0;
  registerAdminCommands(program, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return code;
}

const isEntry = process.argv[1] !== undefined && /cli\.(ts|js)$/.test(process.argv[1]);
if (isEntry) {
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
