import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsError } from '../../../src/errors.js';
import {
  approvalsMissing,
  approvalsRequired,
  authorize,
  type Action,
  type DecisionRule,
} from '../../../src/permissions/authorize.js';
import { loadPolicy, parsePolicy } from '../../../src/permissions/policy-load.js';
import type { Policy } from '../../../src/permissions/policy-schema.js';
import type { TargetNode } from '../../../src/permissions/scope.js';
import { slackSubject, terminalSubject, type Subject } from '../../../src/permissions/subject.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/policies');
const design = loadPolicy(join(FIXTURES, 'design-example.yaml'));
const extended = loadPolicy(join(FIXTURES, 'extended.yaml'));

const node = (lab: string, name: string, kind: string, labels: Record<string, string> = {}): TargetNode => ({ lab, name, kind, labels });
const N = {
  r1: node('dc1', 'r1', 'juniper_vjunosrouter', { role: 'edge' }),
  r2: node('dc1', 'r2', 'arista_ceos'),
  spine1: node('dc1', 'spine1', 'nokia_srlinux', { role: 'spine' }),
  spine2: node('dc1', 'spine2', 'juniper_vjunosrouter', { role: 'spine' }),
  r3: node('dc2', 'r3', 'juniper_vjunosrouter', { role: 'spine' }),
  s1: node('dc2', 's1', 'nokia_srlinux'),
  lab2r2: node('lab2', 'r2', 'juniper_vjunosrouter'),
  core1: node('lab2', 'core1', 'linux', { role: 'spine' }),
} as const;

const S = {
  bob: slackSubject('U0BOB', { channelId: 'C0OTHER', groups: ['netops'] }),
  bobAt: slackSubject('U0BOB', { groups: ['@NetOps'] }),
  alice: slackSubject('U0ALICE', { channelId: 'C0OTHER' }),
  inLab: slackSubject('U0CAROL', { channelId: 'C0LAB' }),
  aliceInLab: slackSubject('U0ALICE', { channelId: 'C0LAB' }),
  carolElsewhere: slackSubject('U0CAROL', { channelId: 'C0OTHER' }),
  lead: slackSubject('U0LEAD', { groups: ['netops-leads'] }),
  nobody: slackSubject('U0NOBODY', { channelId: 'C0X', groups: ['sales'] }),
  random: slackSubject('U0RANDOM'),
  randomNetops: slackSubject('U0RANDOM', { groups: ['netops'] }),
  carol: slackSubject('U0CAROL'),
  dave: slackSubject('U0DAVE'),
  root: slackSubject('W0ROOT'),
  terminal: terminalSubject(undefined),
  terminalAlice: terminalSubject('user:U0ALICE'),
} as const;

const exec = (command: string): Action => ({ type: 'exec', command });
const approve = (requesterId: string, alreadyApprovedBy: string[] = []): Action => ({ type: 'approve', requesterId, alreadyApprovedBy });
const plan: Action = { type: 'config', stage: 'plan' };
const apply: Action = { type: 'config', stage: 'apply' };

type Row = [
  name: string,
  policy: Policy | null,
  subject: Subject,
  action: Action,
  targets: readonly TargetNode[],
  allowed: boolean,
  rule: DecisionRule,
  reason?: string,
];

const rows: Row[] = [
  // Subjects: user, group, channel, and group handles given with @ and in capitals.
  ['group grants exec in scope', design, S.bob, exec('show version'), [N.r1], true, 'granted', 'allowed by viewer via group:netops (exec `show *`)'],
  ['abbreviation allowed by show *', design, S.bob, exec('sh ver'), [N.r1], true, 'granted'],
  ['upper case and extra spaces', design, S.bob, exec('SHOW   VERSION'), [N.r1], true, 'granted'],
  ['group handle with @ and capitals', design, S.bobAt, exec('show version'), [N.r1], true, 'granted'],
  ['channel grants exec', design, S.inLab, exec('show version'), [N.r1], true, 'granted', 'via channel:C0LAB'],
  ['same user from another channel has no role', design, S.carolElsewhere, exec('show version'), [N.r1], false, 'no-role', 'no grant in the policy names user:U0CAROL, channel:C0OTHER or *'],
  ['user grant, kind glob scope', design, S.alice, exec('ping 10.0.0.1'), [N.r3], true, 'granted', 'allowed by operator via user:U0ALICE (exec `ping *`)'],
  ['nobody has no role', design, S.nobody, exec('show version'), [N.r1], false, 'no-role', 'user:U0NOBODY, channel:C0X, group:sales or *'],
  // Scope: labs, kinds.
  ['lab scope excludes dc2', design, S.bob, exec('show version'), [N.r3], false, 'out-of-scope', 'you need exec `show *` on lab dc2 (node r3); your roles: viewer via group:netops (exec show *; only on lab dc1)'],
  ['every target must be covered: names only the uncovered', design, S.bob, exec('show version'), [N.r1, N.r3, N.s1], false, 'out-of-scope', 'you need exec `show *` on lab dc2 (nodes r3, s1); your roles'],
  ['kind scope excludes srlinux', design, S.alice, exec('ping 10.0.0.1'), [N.r3, N.s1], false, 'out-of-scope', 'you need exec `ping *` on lab dc2 (node s1)'],
  ['two roles together cover both nodes', design, S.aliceInLab, exec('show version'), [N.spine1, N.r3], true, 'granted',
    'allowed by viewer via channel:C0LAB (exec `show *`) on lab dc1 (node spine1); allowed by operator via user:U0ALICE (exec `show *`) on lab dc2 (node r3)'],
  // Patterns.
  ['command no role allows', design, S.bob, exec('request system reboot'), [N.r1], false, 'not-granted', 'no role grants you exec `request system reboot`; your roles: viewer via group:netops (exec show *; only on lab dc1)'],
  ['abbreviated reboot is still a reboot', design, S.bob, exec('req sys reboot'), [N.r1], false, 'not-granted', 'no role grants you exec `request system reboot`'],
  // Bypass attempts.
  ['pipe to save', design, S.bob, exec('show version | save /tmp/x'), [N.r1], false, 'unsafe-pipe', '`| save /tmp/x` is not allowed: save writes a file on the device'],
  ['pipe to tee', design, S.bob, exec('show version | tee'), [N.r1], false, 'unsafe-pipe', 'tee writes a file'],
  ['save after a safe pipe', design, S.bob, exec('show version | match foo | save x'), [N.r1], false, 'unsafe-pipe', 'save writes a file'],
  ['newline smuggles a second command', design, S.bob, exec('show version\nrequest system reboot'), [N.r1], false, 'command-refused', 'line break'],
  ['semicolon smuggles a second command', design, S.bob, exec('show version; request system reboot'), [N.r1], false, 'command-refused', '`;`'],
  ['cyrillic look-alike', design, S.bob, exec('\u0455how version'), [N.r1], false, 'command-refused', 'non-ASCII'],
  ['fullwidth pipe', design, S.bob, exec('show version \uff5c save /tmp/x'), [N.r1], false, 'command-refused', 'U+FF5C'],
  ['trailing backslash', design, S.bob, exec('show version \\'), [N.r1], false, 'command-refused', 'ends with a backslash'],
  ['display xml is a safe pipe', design, S.bob, exec('show | display xml'), [N.r1], true, 'granted'],
  ['pipes on a linux node are refused even for exec *', extended, S.root, exec('ip route | grep x'), [N.core1], false, 'unsafe-pipe', 'pipes are not allowed on Linux nodes'],
  // Config.
  ['config plan by operator', design, S.alice, plan, [N.r3], true, 'granted', 'allowed by operator via user:U0ALICE'],
  ['config apply needs apply', design, S.alice, apply, [N.r3], false, 'not-granted', 'no role grants you config apply; your roles:'],
  ['config plan out of kind scope', design, S.alice, plan, [N.r3, N.s1], false, 'out-of-scope', 'you need config plan on lab dc2 (node s1)'],
  ['viewer cannot plan', design, S.bob, plan, [N.r1], false, 'not-granted', 'no role grants you config plan'],
  // Approvals.
  ['approver approves another user', design, S.lead, approve('U0ALICE'), [N.r1, N.r3], true, 'granted', 'allowed by approver via group:netops-leads'],
  ['requester cannot approve own change', design, S.lead, approve('U0LEAD'), [N.r1], false, 'self-approval', 'self_approval: false'],
  ['cannot approve twice', design, S.lead, approve('U0ALICE', ['U0LEAD']), [N.r1], false, 'already-approved', 'you already approved this change'],
  ['viewer cannot approve', design, S.bob, approve('U0ALICE'), [N.r1], false, 'not-granted', 'no role grants you approve'],
  ['approve scoped to dc1', extended, S.alice, approve('U0LEAD'), [N.r1], true, 'granted'],
  ['approve out of scope', extended, S.alice, approve('U0LEAD'), [N.r1, N.r3], false, 'out-of-scope', 'you need approve on lab dc2 (node r3)'],
  // Read and admin.
  ['help always', design, S.nobody, { type: 'read', what: 'help' }, [], true, 'always-allowed'],
  ['whoami always', design, S.nobody, { type: 'read', what: 'whoami' }, [], true, 'always-allowed'],
  ['labs with a role', design, S.bob, { type: 'read', what: 'labs' }, [], true, 'granted'],
  ['labs without a role', design, S.nobody, { type: 'read', what: 'labs' }, [], false, 'no-role'],
  ['admin needs admin', design, S.bob, { type: 'admin' }, [], false, 'not-granted', 'no role grants you admin'],
  ['admin role', extended, S.root, { type: 'admin' }, [], true, 'granted', 'allowed by admin via user:W0ROOT'],
  // Default deny without a policy.
  ['no policy: exec denied', null, S.bob, exec('show version'), [N.r1], false, 'no-policy', 'set policy: in clab-bot.yaml or CLAB_BOT_POLICY'],
  ['no policy: labs denied', null, S.bob, { type: 'read', what: 'labs' }, [], false, 'no-policy'],
  ['no policy: config denied', null, S.bob, plan, [N.r1], false, 'no-policy'],
  ['no policy: approve denied', null, S.lead, approve('U0ALICE'), [N.r1], false, 'no-policy'],
  ['no policy: help allowed', null, S.bob, { type: 'read', what: 'help' }, [], true, 'always-allowed'],
  ['no policy: whoami allowed', null, S.bob, { type: 'read', what: 'whoami' }, [], true, 'always-allowed'],
  // The terminal: trusted unless bound.
  ['trusted terminal may reboot', design, S.terminal, exec('request system reboot'), [N.r1], true, 'trusted-terminal', 'trusted'],
  ['trusted terminal without a policy', null, S.terminal, exec('show version'), [N.r1], true, 'trusted-terminal'],
  ['trusted terminal may use any pipe', null, S.terminal, exec('show version | save /tmp/x'), [N.r1], true, 'trusted-terminal'],
  ['trusted terminal still runs one command', null, S.terminal, exec('show version; request system reboot'), [N.r1], false, 'command-refused', '`;`'],
  ['trusted terminal applies config', null, S.terminal, apply, [N.r1], true, 'trusted-terminal'],
  ['trusted terminal approves its own change', design, S.terminal, approve('terminal'), [N.r1], true, 'trusted-terminal'],
  ['trusted terminal counts once', design, S.terminal, approve('U0ALICE', ['terminal']), [N.r1], false, 'already-approved'],
  ['bound terminal is the bound user', design, S.terminalAlice, exec('ping 10.0.0.1'), [N.r3], true, 'granted', 'via user:U0ALICE'],
  ['bound terminal is scoped like the user', design, S.terminalAlice, exec('ping 10.0.0.1'), [N.s1], false, 'out-of-scope'],
  ['bound terminal without a policy', null, S.terminalAlice, exec('show version'), [N.r1], false, 'no-policy'],
  // Extended policy: '*', short kind forms, lab globs, node names, labels.
  ['star grants everyone', extended, S.random, exec('show version'), [N.r1, N.s1, N.core1], true, 'granted', 'allowed by viewer via *'],
  ['short kind form and lab glob', extended, S.randomNetops, exec('ping 10.0.0.1'), [N.r1, N.s1], true, 'granted', 'allowed by pinger via group:netops'],
  ['lab glob excludes lab2', extended, S.randomNetops, exec('ping 10.0.0.1'), [N.lab2r2], false, 'out-of-scope', 'you need exec `ping *` on lab lab2 (node r2)'],
  ['kind list excludes ceos', extended, S.randomNetops, exec('ping 10.0.0.1'), [N.r2], false, 'out-of-scope'],
  ['node glob and label match', extended, S.carol, apply, [N.spine1, N.spine2, N.core1], true, 'granted', 'allowed by spine-operator via user:U0CAROL'],
  ['label matches but node does not', extended, S.carol, apply, [N.r3], false, 'out-of-scope', 'you need config apply on lab dc2 (node r3)'],
  ['node matches but label does not', extended, S.carol, apply, [N.r1], false, 'out-of-scope'],
  ['pattern with argument', extended, S.carol, exec('cl bgp nei 10.0.0.1'), [N.spine2], true, 'granted', 'exec `clear bgp neighbor *`'],
  ['other clear commands are not granted', extended, S.carol, exec('clear bgp table'), [N.spine2], false, 'not-granted', 'no role grants you exec `clear bgp table`'],
  ['reboot on the one node granted', extended, S.dave, exec('req sys reboot'), [N.lab2r2], true, 'granted', 'exec `request system reboot`'],
  ['reboot elsewhere', extended, S.dave, exec('request system reboot'), [N.r1], false, 'out-of-scope', 'you need exec `request system reboot` on lab dc1 (node r1)'],
  ['reboot with extra words', extended, S.dave, exec('request system reboot at now'), [N.lab2r2], false, 'not-granted'],
];

describe('authorize', () => {
  it.each(rows)('%s', (_name, policy, subject, action, targets, allowed, rule, reason) => {
    const decision = authorize(policy, subject, action, targets);
    expect({ allowed: decision.allowed, rule: decision.rule }).toEqual({ allowed, rule });
    if (reason !== undefined) expect(decision.reason).toContain(reason);
    if (decision.perTarget !== undefined) {
      expect(decision.perTarget.map((t) => `${t.lab}/${t.name}`)).toEqual(targets.map((t) => `${t.lab}/${t.name}`));
      expect(decision.perTarget.every((t) => t.allowed)).toBe(allowed);
    }
  });

  it('names the missing grant in words a user can act on', () => {
    expect(authorize(design, S.bob, exec('show version'), [N.r1, N.r3]).missing).toBe('exec `show *` on lab dc2 (node r3)');
    expect(authorize(design, S.bob, exec('req sys reboot'), [N.r1]).missing).toBe('exec `request system reboot`');
    expect(authorize(design, S.alice, apply, [N.r3]).missing).toBe('config apply');
    expect(authorize(design, S.bob, exec('show version | save x'), [N.r1]).missing).toBeUndefined();
  });

  it('reports the roles held, whatever the outcome', () => {
    const decision = authorize(extended, S.randomNetops, exec('request system reboot'), [N.r1]);
    expect(decision.matchedRoles).toEqual([
      { role: 'viewer', via: '*', grant: 0 },
      { role: 'pinger', via: 'group:netops', grant: 1 },
    ]);
  });

  it('prefers the most specific grant subject as `via`', () => {
    const policy = parsePolicy('roles:\n  v: { exec: ["show *"] }\ngrants:\n  - { role: v, subjects: ["*", "channel:C0LAB", "group:netops", "user:U0BOB"] }\n', 'p.yaml');
    const decision = authorize(policy, slackSubject('U0BOB', { channelId: 'C0LAB', groups: ['netops'] }), exec('show version'), [N.r1]);
    expect(decision.matchedRoles).toEqual([{ role: 'v', via: 'user:U0BOB', grant: 0 }]);
  });

  it('gives each node the command normalised for its CLI, to be sent as is', () => {
    const decision = authorize(extended, S.random, exec('sh ver'), [N.r1, N.r2]);
    expect(decision.allowed).toBe(true);
    expect(decision.perTarget?.map((t) => [t.name, t.dialect, t.command])).toEqual([
      ['r1', 'junos', 'show version'],
      ['r2', 'eos', 'show version'],
    ]);
    expect(decision.perTarget?.[0]?.grantedBy).toEqual({ role: 'viewer', via: '*', grant: 0, pattern: 'show *' });
  });

  it('denies the whole request when one CLI reads the command differently, naming that node', () => {
    // SR Linux does not expand abbreviations, so `sh ver` is not a show command there.
    const decision = authorize(extended, S.random, exec('sh ver'), [N.r1, N.s1]);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain('on lab dc2 (node s1): no role grants you exec `sh ver`');
    expect(decision.perTarget?.map((t) => t.allowed)).toEqual([true, false]);
  });

  it('puts the most fundamental cause first when nodes fail for different reasons', () => {
    const decision = authorize(extended, S.root, exec('show version | match up'), [N.r1, N.core1]);
    expect(decision.rule).toBe('unsafe-pipe');
    expect(decision.reason).toMatch(/^on lab lab2 \(node core1\): `\| match up` is not allowed/);
  });

  it('with no targets decides on the right alone', () => {
    expect(authorize(design, S.bob, exec('show version'), []).allowed).toBe(true);
    expect(authorize(design, S.bob, exec('show version'), []).reason).toContain('scope and pipes were not checked');
    expect(authorize(design, S.bob, exec('request system reboot'), []).rule).toBe('not-granted');
    expect(authorize(design, S.bob, exec('show; reboot'), []).rule).toBe('command-refused');
    expect(authorize(design, S.alice, plan, []).allowed).toBe(true);
    expect(authorize(design, S.bob, plan, []).allowed).toBe(false);
  });

  it('honours self_approval: true and counts approvals', () => {
    const policy = parsePolicy(
      'roles:\n  a: { approve: true }\ngrants:\n  - { role: a, subjects: ["group:leads"] }\napprovals: { required: 3, self_approval: true }\n',
      'p.yaml',
    );
    const lead = slackSubject('U0LEAD', { groups: ['leads'] });
    expect(authorize(policy, lead, approve('U0LEAD'), [N.r1]).allowed).toBe(true);
    expect(authorize(policy, lead, approve('U0LEAD', ['U0LEAD']), [N.r1]).reason).toContain('it needs 3 approvals from different people');
    expect(approvalsRequired(policy)).toBe(3);
    expect(approvalsMissing(policy, ['U0A', 'U0A', 'U0B'])).toBe(1);
    expect(approvalsMissing(policy, ['U0A', 'U0B', 'U0C', 'U0D'])).toBe(0);
    expect(approvalsRequired(design)).toBe(1);
    expect(approvalsRequired(extended)).toBe(2);
    expect(approvalsRequired(null)).toBe(1);
  });
});

describe('terminalSubject', () => {
  it('is trusted without a binding and bound to a Slack user with one', () => {
    expect(terminalSubject(undefined)).toMatchObject({ kind: 'terminal', trusted: true });
    expect(terminalSubject('user:U0ALICE', { groups: ['netops'] })).toMatchObject({
      kind: 'terminal',
      trusted: false,
      userId: 'U0ALICE',
      groups: ['netops'],
    });
  });

  it('refuses a binding that is not a Slack user, naming the setting', () => {
    expect(() => terminalSubject('alice')).toThrow(SettingsError);
    expect(() => terminalSubject('group:netops')).toThrow(/terminal_subject/);
  });
});

describe('config --check: the check command is authorized like exec (issue 11, finding 1)', () => {
  const policy = parsePolicy(
    `roles:
  engineer: { exec: ["show *"], config: apply }
  operator: { exec: ["*"], config: apply }
grants:
  - { role: engineer, subjects: ["user:U0ENG"] }
  - { role: operator, subjects: ["user:U0OPS"], scope: { labs: ["dc2"] } }
  - { role: engineer, subjects: ["user:U0OPS"] }
`,
    'p.yaml',
  );
  const eng = slackSubject('U0ENG');
  const config = (check: string | undefined): Action => ({ type: 'config', stage: 'apply', check });

  it.each([
    ['request system reboot', 'not-granted', 'no role grants you exec `request system reboot`'],
    ['req sys reb', 'not-granted', 'no role grants you exec `request system reboot`'],
    ['show version | save /var/tmp/x', 'unsafe-pipe', 'save writes a file on the device'],
    ["show version | match 'x | save /var/tmp/x'", 'command-refused', 'Junos quotes only with double quotes'],
    ['show version; request system reboot', 'command-refused', '`;`'],
  ])('an engineer with exec "show *" and config apply cannot propose --check %j', (check, rule, reason) => {
    const d = authorize(policy, eng, config(check), [N.r1]);
    expect(d).toMatchObject({ allowed: false, rule });
    expect(d.reason).toMatch(/^--check: /);
    expect(d.reason).toContain(reason);
  });

  it('allows a check the exec patterns allow, and carries the command as each CLI reads it', () => {
    const d = authorize(policy, eng, config('sh ospf nei'), [N.r1, N.r2]);
    expect(d.allowed).toBe(true);
    // EOS has no `show ospf`: the abbreviation is expanded only where the CLI would expand it.
    expect(d.perTarget?.map((t) => t.command)).toEqual(['show ospf neighbor', 'show ospf nei']);
    expect(d.reason).toContain('--check: allowed by engineer via user:U0ENG (exec `show *`)');
    expect(authorize(policy, eng, config(undefined), [N.r1]).allowed).toBe(true);
  });

  it('checks the command on every target, in the scope of the grant that allows it', () => {
    const ops = slackSubject('U0OPS');
    expect(authorize(policy, ops, config('request system reboot'), [N.r3]).allowed).toBe(true);
    const d = authorize(policy, ops, config('request system reboot'), [N.r3, N.r1]);
    expect(d).toMatchObject({ allowed: false, rule: 'out-of-scope' });
    expect(d.reason).toMatch(/^--check: you need exec `\*` on lab dc1 \(node r1\)/);
    expect(d.perTarget?.map((t) => t.allowed)).toEqual([true, false]);
  });

  it('the trusted terminal may use any check, but it must still be one well-formed command', () => {
    expect(authorize(policy, terminalSubject(undefined), config('request system reboot'), [N.r1]).allowed).toBe(true);
    expect(authorize(policy, terminalSubject(undefined), config('show version; reboot'), [N.r1])).toMatchObject({ allowed: false, rule: 'command-refused' });
  });
});
