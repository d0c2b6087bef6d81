import { Command, CommanderError } from 'commander';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { VERB_DEFS } from '../grammar/index.js';
import { VERBS, type Verb } from '../grammar/request.js';
import { registerAdminCommands } from './admin-commands.js';

/**
 * Everything that is not a grammar verb: serve, console, demo, sim, migrate, policy, health and
 * the top-level --help, through commander. Loaded only for those (it pulls in Bolt and the simulators).
 */
export async function runProgram(argv: readonly string[]): Promise<number> {
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
