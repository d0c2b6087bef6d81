import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSubject, explain } from '../../../src/permissions/explain.js';
import { loadPolicy, policyFromObject } from '../../../src/permissions/policy-load.js';
import type { TargetNode } from '../../../src/permissions/scope.js';
import { slackSubject, terminalSubject } from '../../../src/permissions/subject.js';

const FILE = join(import.meta.dirname, '../../fixtures/policies/design-example.yaml');
const policy = loadPolicy(FILE);
/** Line of the grant naming `role` in the fixture, found in the text rather than assumed. */
const grantLine = (role: string): number =>
  readFileSync(FILE, 'utf8').split('\n').findIndex((l) => l.startsWith('  - ') && l.includes(`role: ${role},`)) + 1;

const r1: TargetNode = { lab: 'dc1', name: 'r1', kind: 'juniper_vjunosrouter', labels: {} };
const r3: TargetNode = { lab: 'dc2', name: 'r3', kind: 'juniper_vjunosrouter', labels: {} };
const s1: TargetNode = { lab: 'dc2', name: 's1', kind: 'nokia_srlinux', labels: {} };
const alice = slackSubject('U0ALICE', { channelId: 'C0LAB', displayName: 'alice' });
const bob = slackSubject('U0BOB', { groups: ['netops'] });

describe('explain', () => {
  it('prints who, which roles from which grant line, how the command reads, each node and the decision', () => {
    const text = explain(policy, alice, { type: 'exec', command: 'sh ver' }, [r1, r3, s1]).split('\n');
    expect(text[0]).toBe('subject: user:U0ALICE (alice), channel:C0LAB, groups: none');
    expect(text).toContain(`  viewer via channel:C0LAB (grant 1, ${FILE}:${grantLine('viewer')}): exec show *; only on lab dc1`);
    expect(text).toContain(
      `  operator via user:U0ALICE (grant 2, ${FILE}:${grantLine('operator')}): exec show *, ping *; config plan; only on kind juniper_*`,
    );
    expect(text).toContain('action: exec `sh ver`');
    expect(text).toContain('  read on Junos as: `show version`');
    expect(text).toContain('  read on SR Linux as: `sh ver`');
    expect(text).toContain('  dc1/r1 (juniper_vjunosrouter): allowed by viewer via channel:C0LAB (exec `show *`)');
    expect(text).toContain('  dc2/r3 (juniper_vjunosrouter): allowed by operator via user:U0ALICE (exec `show *`)');
    expect(text).toContain('  dc2/s1 (nokia_srlinux): denied: no role grants you exec `sh ver`');
    expect(text.at(-2)).toMatch(/^decision: denied \(not-granted\): on lab dc2 \(node s1\): no role grants you exec `sh ver`; your roles: /);
    expect(text.at(-1)).toBe('missing: exec `sh ver`');
  });

  it('explains an allowed approval and a self-approval', () => {
    const lead = slackSubject('U0LEAD', { groups: ['netops-leads'] });
    expect(explain(policy, lead, { type: 'approve', requesterId: 'U0ALICE', alreadyApprovedBy: [] }, [r1])).toContain(
      'decision: allowed (granted): allowed by approver via group:netops-leads',
    );
    const own = explain(policy, lead, { type: 'approve', requesterId: 'U0LEAD', alreadyApprovedBy: [] }, [r1]);
    expect(own).toContain('action: approve a change requested by U0LEAD');
    expect(own).toContain('decision: denied (self-approval)');
  });

  it('says there is no role and no policy', () => {
    expect(explain(policy, slackSubject('U0X'), { type: 'read', what: 'labs' }, [])).toContain('roles: none');
    expect(explain(null, bob, { type: 'exec', command: 'show version' }, [r1])).toContain(
      'decision: denied (no-policy): no permission policy is set, so only help and whoami are allowed; set policy: in clab-bot.yaml or CLAB_BOT_POLICY',
    );
  });

  it('numbers grants without a file when the policy was built in code', () => {
    const built = policyFromObject({ roles: { v: { exec: ['show *'] } }, grants: [{ role: 'v', subjects: ['*'] }] });
    expect(explain(built, bob, { type: 'exec', command: 'show version' }, [r1])).toContain('  v via * (grant 1): exec show *; on every node');
  });
});

describe('describeSubject (whoami)', () => {
  it('lists each role with what it grants, where and via which subject', () => {
    const lines = describeSubject(policy, slackSubject('U0BOB', { groups: ['netops', 'netops-leads'] })).split('\n');
    expect(lines).toEqual([
      'you are user:U0BOB, groups: netops, netops-leads',
      'your roles:',
      `  viewer via group:netops (grant 1, ${FILE}:${grantLine('viewer')}): exec show *; only on lab dc1`,
      `  approver via group:netops-leads (grant 3, ${FILE}:${grantLine('approver')}): approve; on every node`,
      'changes need 1 approval; you cannot approve your own changes',
    ]);
  });

  it('says when the caller has no role', () => {
    expect(describeSubject(policy, slackSubject('U0X', { channelId: 'C0X' }))).toContain('you have no role');
  });

  it('describes the trusted terminal and how to bind it', () => {
    const text = describeSubject(policy, terminalSubject(undefined, { displayName: 'root' }));
    expect(text).toContain('you are the terminal operator (root), trusted');
    expect(text).toContain('terminal_subject: user:U…');
  });

  it('describes a bound terminal like the bound user', () => {
    expect(describeSubject(policy, terminalSubject('user:U0ALICE'))).toContain('operator via user:U0ALICE');
  });

  it('says how to add a policy when there is none', () => {
    expect(describeSubject(null, bob)).toContain('set policy: in clab-bot.yaml or CLAB_BOT_POLICY');
  });
});

describe('explain: config with --check', () => {
  it('shows the check command as the CLI reads it and why it is refused', () => {
    const eng = policyFromObject({ roles: { engineer: { exec: ['show *'], config: 'apply' } }, grants: [{ role: 'engineer', subjects: ['user:U0ENG'] }] });
    const subject = slackSubject('U0ENG');
    const denied = explain(eng, subject, { type: 'config', stage: 'apply', check: 'req sys reboot' }, [r1]).split('\n');
    expect(denied).toContain('action: config apply with --check `req sys reboot`');
    expect(denied).toContain('  read on Junos as: `request system reboot`');
    expect(denied).toContain('  dc1/r1 (juniper_vjunosrouter): denied: --check: no role grants you exec `request system reboot`');
    expect(denied.at(-2)).toMatch(/^decision: denied \(not-granted\): --check: no role grants you exec `request system reboot`/);
    const allowed = explain(eng, subject, { type: 'config', stage: 'apply', check: 'sh ver' }, [r1]).split('\n');
    expect(allowed.find((l) => l.startsWith('decision:'))).toBe(
      'decision: allowed (granted): allowed by engineer via user:U0ENG; --check: allowed by engineer via user:U0ENG (exec `show *`)',
    );
  });
});
