import { describe, expect, it } from 'vitest';
import { authorize } from '../../../src/permissions/authorize.js';
import { dialectFor } from '../../../src/permissions/cli-dialect.js';
import { normaliseCommand } from '../../../src/permissions/command-normalise.js';
import { explain } from '../../../src/permissions/explain.js';
import { policyFromObject } from '../../../src/permissions/policy-load.js';
import { unsafePipeReason } from '../../../src/permissions/safe-pipes.js';
import type { TargetNode } from '../../../src/permissions/scope.js';
import { slackSubject } from '../../../src/permissions/subject.js';

const r1: TargetNode = { lab: 'frr', name: 'r1', kind: 'linux', labels: {} };
const host: TargetNode = { lab: 'frr', name: 'h1', kind: 'linux', labels: {} };
const junos: TargetNode = { lab: 'dc1', name: 'j1', kind: 'juniper_vjunosrouter', labels: {} };

const text = (command: string): string => {
  const n = normaliseCommand(command, 'vtysh');
  return n.ok ? n.text : `refused: ${n.reason}`;
};

describe('vtysh dialect: FRR on linux nodes', () => {
  it('is chosen in one place, per node and command, the way the linux driver routes the command', () => {
    expect(dialectFor(r1, 'show ip ospf neighbor')).toBe('vtysh');
    expect(dialectFor(r1, 'sh ip ospf nei')).toBe('vtysh');
    expect(dialectFor(r1, 'CLEAR ip ospf process')).toBe('vtysh');
    expect(dialectFor(r1, 'wr')).toBe('vtysh');
    // programs on a linux node (FRR or not) keep the shell-strict linux rules
    expect(dialectFor(host, 'ip route')).toBe('linux');
    expect(dialectFor(host, 'ping -c 3 10.0.0.1')).toBe('linux');
    expect(dialectFor(host, 's')).toBe('linux');
    // other kinds are untouched
    expect(dialectFor(junos, 'show ip ospf neighbor')).toBe('junos');
  });

  it('expands the unique prefixes vtysh accepts and refuses the ambiguous ones', () => {
    expect(text('sh ip ospf nei')).toBe('show ip ospf neighbor');
    expect(text('sh run')).toBe('show running-config');
    expect(text('sh ip route 10.0.0.0/8')).toBe('show ip route 10.0.0.0/8');
    // vtysh itself answers "% Ambiguous command" here (route, router-id)
    expect(text('sh ip rou')).toBe('refused: `rou` after `show ip` is ambiguous (route, router-id); type more of it');
    expect(text('sh bgp sum')).toBe('show bgp summary');
    expect(text('SH ip ospf INTerface eth1')).toBe('show ip ospf interface eth1');
    // vtysh resolves this one by what follows (it runs `show interface`); the bot refuses rather than guess
    expect(text('sh i')).toBe('refused: `i` after `show` is ambiguous (interface, ip, ipv6, isis); type more of it');
    expect(text('c ip ospf process')).toBe('refused: `c` is ambiguous (clear, configure, copy); type more of it');
  });

  it('refuses quotes: vtysh has none and would read them as part of the word', () => {
    expect(text('show ip route "10.0.0.0/8"')).toMatch(/^refused: it contains `"`: vtysh has no quoting/);
    expect(text("show run | include 'router ospf'")).toMatch(/^refused: it contains `'`: vtysh has no quoting/);
  });

  it('allows only include, exclude and begin after a pipe (by their full names); anything a shell would run is refused', () => {
    const pipes = (command: string) => {
      const n = normaliseCommand(command, 'vtysh');
      if (!n.ok) return [n.reason];
      return n.pipes.map((stage) => unsafePipeReason('vtysh', stage) ?? 'safe');
    };
    expect(pipes('sh run | include ospf | exclude dead | begin router')).toEqual(['safe', 'safe', 'safe']);
    expect(pipes('sh run | grep ospf')[0]).toBe(
      '`| grep ospf` is not allowed: grep is a shell program; the bot filters vtysh output only with include, exclude and begin; safe pipes on FRR vtysh: include, exclude, begin',
    );
    expect(pipes('sh run | sh -c id')[0]).toMatch(/^`\| sh -c id` is not allowed: sh would run a shell on the node/);
    expect(pipes('sh run | inc ospf')[0]).toMatch(/^`\| inc ospf` is not allowed: `inc` is not a pipe the bot knows to be safe/);
    expect(pipes('sh run | include')[0]).toBe('`| include` is not allowed: include needs an argument');
    expect(pipes('sh run | count')[0]).toMatch(/`count` is not a pipe the bot knows to be safe/);
  });

  describe('policy', () => {
    const policy = policyFromObject({
      roles: { frr: { exec: ['show ip ospf *', 'show running-config'] }, host: { exec: ['ip route'] } },
      grants: [{ role: 'frr', subjects: ['user:U0NET'] }, { role: 'host', subjects: ['user:U0NET'] }],
    });
    const net = slackSubject('U0NET');
    const decide = (command: string, nodes: TargetNode[] = [r1]) => authorize(policy, net, { type: 'exec', command }, nodes);

    it('an abbreviation is allowed by the pattern of the full command, and is sent expanded', () => {
      const d = decide('sh ip ospf nei');
      expect(d.allowed).toBe(true);
      expect(d.perTarget?.[0]).toMatchObject({ dialect: 'vtysh', command: 'show ip ospf neighbor' });
      expect(decide('sh run | include ospf').perTarget?.[0]?.command).toBe('show running-config | include ospf');
    });

    it('an abbreviation of something not granted is refused under its full name', () => {
      const d = decide('sh ip bgp sum');
      expect(d.allowed).toBe(false);
      expect(d.reason).toContain('no role grants you exec `show ip bgp summary`');
      const shell = decide('start-sh');
      expect(shell.allowed).toBe(false);
      expect(shell.reason).toContain('exec `start-sh`');
    });

    it('a pipe vtysh would not run as a filter is refused even when the command is granted', () => {
      const d = decide('sh run | grep -v ospf');
      expect(d.allowed).toBe(false);
      expect(d.rule).toBe('unsafe-pipe');
      expect(d.reason).toContain('grep is a shell program');
    });

    it('a program on a linux node is still checked with the linux rules', () => {
      expect(decide('ip route', [host]).allowed).toBe(true);
      expect(decide('ip route | include x', [host]).reason).toContain('pipes are not allowed on Linux nodes');
    });

    it('policy explain names the CLI and the command as vtysh reads it', () => {
      const lines = explain(policy, net, { type: 'exec', command: 'sh ip ospf nei' }, [r1]).split('\n');
      expect(lines).toContain('  read on FRR vtysh as: `show ip ospf neighbor`');
      expect(lines).toContain('  frr/r1 (linux): allowed by frr via user:U0NET (exec `show ip ospf *`)');
      const pipe = explain(policy, net, { type: 'exec', command: 'sh run | less' }, [r1]);
      expect(pipe).toContain('decision: denied (unsafe-pipe): `| less` is not allowed: less is a pager and the bot has no terminal');
    });
  });
});
