import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { describeUsageError, generalUsage, parse, usage, type Verb } from '../../../src/grammar/index.js';

function error(text: string, source: 'slack' | 'terminal' = 'terminal'): UsageError {
  const result = parse(text, { source });
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(result.request)}`);
  return result.error;
}

/** [input, verb whose usage is shown (undefined: the general one), message, suggestions] */
type Case = [string, Verb | undefined, string, string[]];

const cases: Case[] = [
  // unknown verbs
  ['exce r1 show version', undefined, 'unknown verb "exce"; did you mean exec?', ['exec']],
  ['confg r1', undefined, 'unknown verb "confg"; did you mean config?', ['config']],
  ['chagnes', undefined, 'unknown verb "chagnes"; did you mean changes or change?', ['changes', 'change']],
  ['deploy lab1', undefined, 'unknown verb "deploy"; the verbs are help, labs, nodes, graph, exec, config, render, rollback, changes, change, backup, drift, history or whoami', []],
  ['deploy', undefined, 'unknown verb "deploy"; the verbs are help, labs, nodes, graph, exec, config, render, rollback, changes, change, backup, drift, history or whoami', []],
  [
    'router1 show version',
    undefined,
    'unknown verb "router1"; to run a command on a node write "clab-bot exec router1 show version"',
    ['exec'],
  ],
  ['--kind srl show version', undefined, 'unknown verb "--kind"; the verbs are help, labs, nodes, graph, exec, config, render, rollback, changes, change, backup, drift, history or whoami', []],
  // unknown flags, with "did you mean" and the verb that owns a foreign flag
  ['exec r1 --fromat json show version', 'exec', 'unknown option --fromat for exec; did you mean --format?', ['--format']],
  ['exec -format json r1 show version', 'exec', 'unknown option -format for exec; did you mean --format?', ['--format']],
  ['exec --knid srl show version', 'exec', 'unknown option --knid for exec; did you mean --kind?', ['--kind']],
  ['exec r1 --dry-run show version', 'exec', 'exec has no option --dry-run (it is an option of config)', []],
  ['config r1 --dryrun', 'config', 'unknown option --dryrun for config; did you mean --dry-run?', ['--dry-run']],
  ['config r1 --xyzzy', 'config', 'unknown option --xyzzy for config', []],
  ['changes --kind srl', 'changes', 'changes has no option --kind (it is an option of nodes, graph, exec, config, render, rollback, backup, drift or history)', []],
  ['render r1', 'render', 'render needs --template PATH: the template to render, in the lab directory or configs_dir', []],
  ['config r1 --var a=1 --file x.conf', 'config', '--var goes with --template: it sets a template variable', []],
  ['render r1 --template t.j2 --var asn', 'render', '--var takes KEY=VALUE, e.g. --var asn=65001; got "asn"', []],
  ['render r1 --template t.j2 --var 1x=2', 'render', '"1x" is not a --var name: letters, digits and _ (not starting with a digit), parts joined by dots (bgp.asn)', []],
  ['render r1 --template t.j2 --var a=1 --var a=2', 'render', '--var a is given twice', []],
  ['config r1 --template t.j2 --file x.conf', 'config', '--template and --file cannot be used together; choose one of --file, --template, --device-file or --rollback', []],
  ['changes --mien', 'changes', 'unknown option --mien for changes; did you mean --mine?', ['--mine']],
  ['history --limt 5', 'history', 'unknown option --limt for history; did you mean --limit?', ['--limit']],
  // missing values
  ['exec r1 --format', 'exec', '--format needs a value: text, json or xml', []],
  ['exec r1 --timeout --format json show version', 'exec', '--timeout needs a value: SEC, a whole number from 1 to 3600', []],
  ['config r1 --file', 'config', '--file needs a value: PATH', []],
  ['config r1 --comment -- x', 'config', '--comment needs a value: TEXT', []],
  ['nodes --label', 'nodes', '--label needs a value: KEY=VALUE', []],
  ['history --limit', 'history', '--limit needs a value: N, a whole number from 1 to 500', []],
  // flags given twice, or alternatives together
  ['exec r1 --format json --format xml show version', 'exec', '--format is given twice', []],
  ['nodes --lab a --lab b', 'nodes', '--lab is given twice', []],
  ['config r1 --dry-run --dry-run', 'config', '--dry-run is given twice', []],
  ['config r1 --file a.conf --rollback 2', 'config', '--file and --rollback cannot be used together; choose one of --file, --template, --device-file or --rollback', []],
  ['config r1 --device-file a --file b', 'config', '--device-file and --file cannot be used together; choose one of --file, --template, --device-file or --rollback', []],
  ['changes --pending --mine', 'changes', '--pending and --mine cannot be used together; choose one of --pending, --mine or --all', []],
  ['nodes --node r1 --nodes r2,r3', 'nodes', '--node and --nodes cannot be used together; list every node in --nodes A,B', []],
  ['config r1 --dry-run=yes', 'config', '--dry-run takes no value', []],
  // bad values
  ['exec r1 --format yaml show version', 'exec', '--format must be text, json or xml; got "yaml"', []],
  ['exec r1 --format jsno show version', 'exec', '--format must be text, json or xml; got "jsno"; did you mean json?', ['json']],
  ['exec r1 --timeout abc show version', 'exec', '--timeout must be a whole number from 1 to 3600; got "abc"', []],
  ['exec r1 --timeout 0 show version', 'exec', '--timeout must be a whole number from 1 to 3600; got 0', []],
  ['exec r1 --timeout 3601 show version', 'exec', '--timeout must be a whole number from 1 to 3600; got 3601', []],
  ['exec r1 --timeout -5 show version', 'exec', '--timeout must be a whole number from 1 to 3600; got "-5"', []],
  ['exec r1 --timeout 1.5 show version', 'exec', '--timeout must be a whole number from 1 to 3600; got "1.5"', []],
  ['exec r1 --timeout 99999999999999999999 show version', 'exec', '--timeout must be a whole number from 1 to 3600; got "99999999999999999999"', []],
  ['config r1 --method mrege', 'config', '--method must be merge, override, replace or set; got "mrege"; did you mean merge?', ['merge']],
  ['config r1 --confirm 0', 'config', '--confirm must be a whole number from 1 to 65535; got 0', []],
  ['config r1 --rollback 50', 'config', '--rollback must be a whole number from 0 to 49; got 50', []],
  ['config r1 --rollback 2 --method override', 'config', '--method does not apply to --rollback: a rollback always replaces the whole configuration', []],
  ['config r1 --comment ""', 'config', '--comment needs a non-empty value', []],
  ['config r1 --check "  "', 'config', '--check needs a non-empty value', []],
  [`config r1 --comment "${'x'.repeat(513)}"`, 'config', '--comment is 513 characters long; the limit is 512', []],
  ['history --limit 0', 'history', '--limit must be a whole number from 1 to 500; got 0', []],
  ['history --limit 501', 'history', '--limit must be a whole number from 1 to 500; got 501', []],
  ['nodes --label role', 'nodes', '--label takes KEY=VALUE, e.g. --label role=spine; got "role"', []],
  ['nodes --label =spine', 'nodes', '--label takes KEY=VALUE, e.g. --label role=spine; got "=spine"', []],
  ['nodes --kind "srl linux"', 'nodes', '"srl linux" is not a valid kind for --kind: use letters, digits, - and _', []],
  ['nodes --node r1,r2', 'nodes', '--node takes one node name; use --nodes r1,r2 for several', []],
  ['nodes r1,,r2', 'nodes', 'the node list has an empty node name in "r1,,r2"; separate names with single commas', []],
  ['exec r1;reboot show version', 'exec', '"r1;reboot" is not a node name: use letters, digits, -, _ and . (or lab/node)', []],
  ['exec ../r1 show version', 'exec', '"../r1" is not a node name: use letters, digits, -, _ and . (or lab/node)', []],
  // selector and command shape
  ['exec', 'exec', 'exec needs nodes and a command, e.g. "clab-bot exec router1 show version"', []],
  ['exec r1', 'exec', 'exec needs a command after the nodes, e.g. "clab-bot exec router1 show version"', []],
  ['exec --kind srl', 'exec', 'exec needs a command after the nodes, e.g. "clab-bot exec router1 show version"', []],
  ['exec r1 --', 'exec', 'exec needs a command after the nodes, e.g. "clab-bot exec router1 show version"', []],
  ['exec -- show version', 'exec', 'exec needs the nodes before the command: a name (exec router1 show version) or selector flags (exec --kind srl …)', []],
  ['exec r1 --kind srl show version', 'exec', '"r1" names the nodes, so --kind cannot be added; to combine them write --nodes r1 --kind srl', []],
  ['config --lab dc1 r1 --file a.conf', 'config', '"r1" names the nodes, so --lab cannot be added; to combine them write --nodes r1 --lab dc1', []],
  [
    'exec r1 show version --format json',
    'exec',
    "--format comes after the command words, so it would be sent to the device; put clab-bot's options before the command, or write -- before the command to send it as typed",
    [],
  ],
  [
    'exec r1 show version --timeout=5',
    'exec',
    "--timeout comes after the command words, so it would be sent to the device; put clab-bot's options before the command, or write -- before the command to send it as typed",
    [],
  ],
  ['config', 'config', 'config needs the nodes: a name (config router1 --file router1.conf) or selector flags (--lab, --kind, --label, --group, --all)', []],
  [
    'config r1 router1.conf',
    'config',
    'unexpected word "router1.conf"; config reads the configuration from --file, --device-file or --rollback (without them, from a form in Slack or standard input)',
    [],
  ],
  ['rollback', 'rollback', 'rollback needs the nodes: a name (rollback router1) or selector flags (--lab, --kind, --label, --group, --all)', []],
  ['rollback r1 0', 'rollback', 'rollback 0 is the active configuration, so there is nothing to go back to; 1 is the configuration before the last commit', []],
  ['rollback r1 50', 'rollback', 'the rollback number must be a whole number from 1 to 49; got 50', []],
  ['rollback r1 two', 'rollback', 'the rollback number must be a whole number from 1 to 49; got "two"', []],
  ['rollback --lab dc1 r1', 'rollback', 'the rollback number must be a whole number from 1 to 49; got "r1" (with selector flags, name nodes with --nodes)', []],
  ['rollback r1 2 3', 'rollback', 'unexpected word "3"', []],
  // change
  ['change', 'change', 'change needs the number of a change request, e.g. "change 42" or "change 42 approve"', []],
  ['change abc', 'change', 'a change ID is a number like 42 or #42; got "abc"', []],
  ['change 0', 'change', 'a change ID is a number like 42 or #42; got "0"', []],
  ['change 42 aprove', 'change', 'the action must be approve, reject, cancel, replan or resolve; got "aprove"; did you mean approve?', ['approve']],
  ['change 42 resolve', 'change', 'change 42 resolve needs what you found on the devices: --committed (they hold the change) or --not-committed (they do not)', []],
  ['change 42 resolve --committed --not-committed', 'change', '--committed and --not-committed cannot be used together; choose one of --committed or --not-committed', []],
  ['change 42 approve --committed', 'change', '--committed goes with resolve: change 42 resolve --committed|--not-committed [--reason TEXT]', []],
  ['change 42 --reason "checked"', 'change', '--reason goes with resolve: change 42 resolve --committed|--not-committed [--reason TEXT]', []],
  ['change 42 approve now', 'change', 'unexpected word "now"', []],
  // verbs without words
  ['labs dc1', 'labs', 'labs takes no words; unexpected "dc1"', []],
  ['whoami please', 'whoami', 'whoami takes no words; unexpected "please"', []],
  ['changes mine', 'changes', 'changes takes no words; unexpected "mine"', []],
  ['nodes r1 r2', 'nodes', 'unexpected word "r2"', []],
  // backup
  // drift
  ['drift r1 r2', 'drift', 'unexpected word "r2"', []],
  ['backup list', 'backup', 'backup list needs a node, e.g. backup list router1', []],
  ['backup show r1 1 2', 'backup', 'unexpected word "2"; backup show takes a node and at most one version', []],
  ['backup diff r1 1 2 3', 'backup', 'unexpected word "3"; backup diff takes a node and at most two versions', []],
  ['backup show r1 latest', 'backup', 'a backup version must be a whole number from 1 to 2000000000; got "latest"', []],
  ['backup r1 2', 'backup', 'unexpected word "2"; backup takes the nodes (router1,router2 or selector flags) and no version', []],
  ['backup r1 --dir out', 'backup', '--dir goes with `backup export SELECTOR --dir DIR`', []],
  ['backup export --all', 'backup', 'backup export needs --dir DIR: the directory to write <lab>/<node>.cfg files into', []],
  // help topics
  ['help exce', 'help', 'no help on "exce"; did you mean exec?', ['exec']],
  ['help zzzzzz', 'help', 'no help on "zzzzzz"; topics are help, labs, nodes, graph, exec, config, render, rollback, changes, change, backup, drift, history, whoami or selectors', []],
  ['help exec config', 'help', 'unexpected word "config"', []],
  // quoting and characters
  ['config r1 --comment "oops', 'config', 'the " quote at column 21 is never closed; close it, or quote the text with \' instead', []],
  ["config r1 --check 'show version", 'config', 'the \' quote at column 19 is never closed; close it, or quote the text with " instead', []],
  ['exec r1 show version\nrequest system reboot', undefined, 'the text has a line break at column 21; a command is one line', []],
  ['exec r1 show\u0000version', undefined, 'the text has a control character (U+0000) at column 13; remove it', []],
  ['exec r1 show \u001b[31mversion', undefined, 'the text has a control character (U+001B) at column 14; remove it', []],
  ['exec r1 show version\u202E', undefined, 'the text has an invisible direction-changing character (U+202E) at column 21; remove it', []],
  ['x'.repeat(10_000), undefined, 'the text is 10000 characters long; the limit is 8000', []],
];

describe('parse: malformed input', () => {
  it.each(cases)('%s', (text, verb, message, suggestions) => {
    const err = error(text);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe('usage');
    expect(err.message).toBe(message);
    expect(err.message).not.toContain('\n');
    expect(err.suggestions).toEqual(suggestions);
    const expectedUsage = verb === undefined ? generalUsage('terminal') : usage(verb, 'terminal');
    expect(err.usage).toBe(expectedUsage);
    expect(err.hint).toBe(`see "clab-bot help${verb === undefined ? '' : ` ${verb}`}"`);
  });
});

describe('what the user sees', () => {
  it('shows the message with its suggestion, then the usage line, then where to read more', () => {
    expect(describeUsageError(error('exec r1 --fromat json show version', 'slack'))).toBe(
      [
        'unknown option --fromat for exec; did you mean --format?',
        'usage: /clab exec SELECTOR [--format text|json|xml] [--timeout SEC] COMMAND...',
        'see "/clab help exec"',
      ].join('\n'),
    );
  });

  it('uses the terminal prefix for the terminal', () => {
    expect(describeUsageError(error('config r1 --method mrege'))).toBe(
      [
        '--method must be merge, override, replace or set; got "mrege"; did you mean merge?',
        'usage: clab-bot config SELECTOR [--file PATH | --template PATH | --device-file PATH | --rollback N] [--var KEY=VALUE]... [--method merge|override|replace|set] [--dry-run] [--confirm MINUTES] [--check COMMAND] [--comment TEXT]',
        'see "/clab help config"'.replace('/clab', 'clab-bot'),
      ].join('\n'),
    );
  });

  it('names the verbs when the verb is unknown', () => {
    expect(describeUsageError(error('exce r1', 'slack'))).toBe(
      [
        'unknown verb "exce"; did you mean exec?',
        'usage: /clab VERB [ARGS...]   (verbs: help, labs, nodes, graph, exec, config, render, rollback, changes, change, backup, drift, history, whoami)',
        'see "/clab help"',
      ].join('\n'),
    );
  });

  it('cuts a long junk word in the message', () => {
    const junk = `q${'z!'.repeat(150)}`;
    const err = error(`${junk} show version`);
    expect(err.message).toBe(`unknown verb "${junk.slice(0, 40)}…"; the verbs are help, labs, nodes, graph, exec, config, render, rollback, changes, change, backup, drift, history or whoami`);
  });
});

describe('config: commit options with --dry-run', () => {
  it.each([
    ['config r1 --file a.conf --dry-run --confirm 3', '--confirm applies only to a change that commits; drop it or drop --dry-run'],
    ['config r1 --file a.conf --dry-run --check "show ospf neighbor" --comment x', '--check, --comment apply only to a change that commits; drop them or drop --dry-run'],
  ])('%s is refused instead of silently ignored', (text, message) => {
    const r = parse(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });
});
