import { describe, expect, it } from 'vitest';
import { denyPatternProblem, denyRulesFor, findDenied } from '../../../src/permissions/config-deny.js';
import { parsePolicy } from '../../../src/permissions/policy-load.js';
import { slackSubject, terminalSubject } from '../../../src/permissions/subject.js';

const RULES = ['system login *', 'delete system', 'system services ssh root-login allow'].map((pattern) => ({ pattern, role: 'engineer', via: 'user:U0ENG' }));

describe('config_deny: set-form patterns against the planned diff', () => {
  it.each([
    ['set system login user eve class super-user', 'system login *'],
    ['set system login message "hello"', 'system login *'],
    ['delete system login user bob', 'system login *'],
    ['delete system', 'delete system'],
    // Deleting an ancestor removes what a rule protects.
    ['delete system services', 'system services ssh root-login allow'],
    ['set system services ssh root-login allow', 'system services ssh root-login allow'],
  ])('%s is refused by `%s`', (statement, pattern) => {
    expect(findDenied([statement], RULES)).toBeDefined();
    expect(findDenied([statement], RULES.filter((r) => r.pattern === pattern))?.statement).toBe(statement);
  });

  it.each([
    'set system host-name r9',
    'set system services ssh root-login deny',
    'set interfaces ge-0/0/0 description "system login"',
    'delete interfaces ge-0/0/0',
    'set system loginx y',
  ])('%s is not refused', (statement) => {
    expect(findDenied([statement], RULES)).toBeUndefined();
  });

  it('a pattern starting with set or delete only matches that verb; `*` matches one word inside', () => {
    const rules = [{ pattern: 'set interfaces * disable', role: 'r', via: '*' }];
    expect(findDenied(['set interfaces ge-0/0/1 disable'], rules)).toBeDefined();
    expect(findDenied(['delete interfaces ge-0/0/1 disable'], rules)).toBeUndefined();
    expect(findDenied(['set interfaces ge-0/0/1 unit 0 disable'], rules)).toBeUndefined();
  });

  it('validates patterns in the policy file', () => {
    expect(denyPatternProblem('system login *')).toBeUndefined();
    expect(denyPatternProblem('delete')).toContain('names no configuration path');
    expect(denyPatternProblem('system login*')).toContain('must be a word of its own');
    expect(denyPatternProblem('system\u00a0login')).toContain('plain ASCII');
    expect(() => parsePolicy('roles:\n  e: { config: apply, config_deny: ["login*"] }\ngrants: []\n', 'p.yaml')).toThrow(/must be a word of its own/);
  });

  it('applies the rules of every role the requester holds whose scope covers the node; never to the trusted terminal', () => {
    const policy = parsePolicy(
      `roles:
  engineer: { config: apply, config_deny: ["system login *"] }
  lab2: { config: apply, config_deny: ["protocols *"], scope: { labs: [dc2] } }
grants:
  - { role: engineer, subjects: ["user:U0ENG"] }
  - { role: lab2, subjects: ["user:U0ENG"] }
`,
      'p.yaml',
    );
    const eng = slackSubject('U0ENG');
    const r1 = { lab: 'dc1', name: 'r1', kind: 'juniper_vjunosrouter', labels: {} };
    const r3 = { lab: 'dc2', name: 'r3', kind: 'juniper_vjunosrouter', labels: {} };
    expect(denyRulesFor(policy, eng, r1).map((r) => r.pattern)).toEqual(['system login *']);
    expect(denyRulesFor(policy, eng, r3).map((r) => r.pattern)).toEqual(['system login *', 'protocols *']);
    expect(denyRulesFor(policy, terminalSubject(undefined), r1)).toEqual([]);
    expect(denyRulesFor(null, eng, r1)).toEqual([]);
  });
});
