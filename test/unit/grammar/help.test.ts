import { describe, expect, it } from 'vitest';
import { VERB_DEFS, VERBS, flagsOf, parse, renderHelp, usage, type Verb } from '../../../src/grammar/index.js';

describe('usage lines', () => {
  // DESIGN.md §3, with the prefix of each front end.
  const expected: Record<Verb, string> = {
    help: 'help [TOPIC]',
    labs: 'labs',
    nodes: 'nodes [SELECTOR]',
    exec: 'exec SELECTOR [--format text|json|xml] [--timeout SEC] COMMAND...',
    config:
      'config SELECTOR [--file PATH | --device-file PATH | --rollback N] [--method merge|override|replace|set] [--dry-run] [--confirm MINUTES] [--check COMMAND] [--comment TEXT]',
    rollback: 'rollback SELECTOR [N]',
    changes: 'changes [--pending|--mine|--all]',
    change: 'change ID [approve|reject|cancel|replan]',
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

  it('explains selectors', () => {
    const text = renderHelp({ topic: 'selectors', source: 'slack' });
    for (const flag of flagsOf('nodes')) if (flag.name !== '--help') expect(text).toContain(flag.name);
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
