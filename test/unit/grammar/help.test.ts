import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { VERB_DEFS, VERBS, parse, parseArgv, renderHelp, usage, type Verb } from '../../../src/grammar/index.js';
import { SELECTOR_FLAGS } from '../../../src/grammar/definitions.js';

describe('usage lines', () => {
  // DESIGN.md §3, with the prefix of each front end.
  const expected: Record<Verb, string> = {
    help: 'help [TOPIC]',
    labs: 'labs',
    nodes: 'nodes [SELECTOR] [--facts] [--refresh]',
    graph: 'graph [SELECTOR] [--check [reach|ospf|bgp]] [--output png|svg|dot|mermaid] [--out FILE]',
    exec: 'exec SELECTOR [--format text|json|xml] [--timeout SEC] COMMAND...',
    config:
      'config SELECTOR [--file PATH | --template PATH | --device-file PATH | --rollback N] [--var KEY=VALUE]... [--method merge|override|replace|set] [--dry-run] [--confirm MINUTES] [--check COMMAND] [--comment TEXT]',
    render: 'render SELECTOR --template PATH [--var KEY=VALUE]...',
    rollback: 'rollback SELECTOR [N]',
    changes: 'changes [--pending|--mine|--all]',
    change: 'change ID [approve|reject|cancel|replan|resolve] [--committed|--not-committed] [--reason TEXT]',
    backup: 'backup [list|show|diff|export] [SELECTOR] [VERSION...] [--dir DIR]',
    drift: 'drift [SELECTOR]',
    history: 'history [SELECTOR] [--limit N]',
    whoami: 'whoami',
  };

  it.each(VERBS)('%s', (verb) => {
    expect(usage(verb, 'slack')).toBe(`/clab ${expected[verb]}`);
    expect(usage(verb, 'terminal')).toBe(`clab-bot ${expected[verb]}`);
  });
});

describe('help text', () => {
  it('lists every verb with its summary, the selector syntax and runnable examples', () => {
    const text = renderHelp({ source: 'slack' });
    for (const verb of VERBS) expect(text).toContain(VERB_DEFS[verb].summary);
    expect(text).toContain('SELECTOR: NAME[,NAME...] | --node NAME | --nodes A,B | --kind KIND | --label KEY=VALUE | --group GROUP | --lab LAB | --all');
    expect(text).toContain('  /clab exec router1 show version');
    expect(text).not.toContain('clab-bot ');
  });

  it('lists only the verbs the caller may run', () => {
    const text = renderHelp({ source: 'terminal', verbs: ['help', 'nodes', 'exec'] });
    expect(text).toContain(VERB_DEFS.exec.summary);
    expect(text).not.toContain(VERB_DEFS.config.summary);
    expect(text).not.toContain('clab-bot config');
  });

  it.each(VERBS)('help %s shows the usage line, every option and the examples', (verb) => {
    const text = renderHelp({ topic: verb, source: 'terminal' });
    expect(text.split('\n')[0]).toBe(`usage: ${usage(verb, 'terminal')}`);
    for (const flag of VERB_DEFS[verb].flags) expect(text).toContain(`  ${flag.name}`);
    for (const example of VERB_DEFS[verb].examples) expect(text).toContain(`  clab-bot ${example}`);
  });

  it('shows number ranges next to number options', () => {
    expect(renderHelp({ topic: 'exec' })).toMatch(/--timeout SEC\s+give up on a node after SEC seconds \(1-3600\)/);
    expect(renderHelp({ topic: 'history' })).toMatch(/--limit N\s+how many entries, newest first \(default 20\) \(1-500\)/);
  });

  it('has examples that mean the same when pasted into a shell (POSIX sh splits them)', () => {
    for (const verb of VERBS) {
      for (const example of VERB_DEFS[verb].examples) {
        // printf gets the words exactly as sh would pass them to clab-bot; a pipe or comment would cut them short.
        const sh = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${example}`], { encoding: 'utf8' });
        expect(sh.status, example).toBe(0);
        const argv = sh.stdout.split('\0').slice(0, -1);
        expect(parseArgv(argv), example).toEqual(parse(example));
      }
    }
  });

  it('help exec tells a shell user to quote a command holding a pipe; the console and Slack get no prefix or shell note', () => {
    const terminal = renderHelp({ topic: 'exec', source: 'terminal' });
    expect(terminal).toMatch(/quote the whole command/);
    expect(terminal).toContain(`clab-bot exec --lab dc1 --label role=spine 'show route | match "10.0.0.1"'`);
    // the selector row holds the syntax only; where to read more is a line of its own
    expect(terminal).toMatch(/^ {2}SELECTOR +the nodes: NAME\[,NAME\.\.\.\] \| .* \| --all$/m);
    expect(terminal).toContain('\nSelectors in full: clab-bot help selectors\n');
    const console = renderHelp({ topic: 'exec', source: 'console' });
    expect(console).not.toMatch(/clab-bot [a-z]/);
    expect(console).toContain('usage: exec SELECTOR');
    expect(console).toContain('  exec router1 show version');
    expect(renderHelp({ topic: 'exec', source: 'slack' })).not.toMatch(/quote the whole command/);
  });

  it('explains selectors', () => {
    const text = renderHelp({ topic: 'selectors', source: 'slack' });
    for (const flag of SELECTOR_FLAGS) expect(text).toContain(flag.name);
    expect(text).toContain('intersection');
  });

  it('has examples that all parse to the verb they illustrate', () => {
    for (const verb of VERBS) {
      for (const example of VERB_DEFS[verb].examples) {
        const result = parse(example);
        expect(result, example).toMatchObject({ ok: true, request: { verb } });
      }
    }
  });
});
