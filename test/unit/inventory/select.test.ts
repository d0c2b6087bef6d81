import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/errors.js';
import { resolveKind } from '../../../src/inventory/kinds.js';
import { selectNodes } from '../../../src/inventory/select.js';
import type { LabNode, Selector } from '../../../src/inventory/types.js';

function labNode(lab: string, name: string, kind: string, extra: { group?: string; labels?: Record<string, string> } = {}): LabNode {
  const spec = resolveKind(kind);
  return {
    lab, name, longName: `clab-${lab}-${name}`, kind: spec?.kind ?? kind, vendor: spec?.vendor ?? 'unknown', driver: spec?.driver ?? 'none',
    mgmtIpv4: undefined, mgmtIpv6: undefined, host: `clab-${lab}-${name}`, port: undefined, labels: extra.labels ?? {},
    group: extra.group, image: undefined, labDir: '/labs', source: `/labs/${lab}.clab.yml`, credentials: { username: 'u', password: 'p' },
  };
}

const NODES: LabNode[] = [
  labNode('dc1', 'router1', 'juniper_vjunosrouter', { group: 'core', labels: { role: 'pe', site: 'a' } }),
  labNode('dc1', 'router2', 'juniper_vjunosrouter', { group: 'core', labels: { role: 'pe', site: 'b' } }),
  labNode('dc1', 'leaf1', 'nokia_srlinux', { group: 'fabric', labels: { role: 'leaf', site: 'a' } }),
  labNode('dc1', 'spine1', 'arista_ceos', { group: 'fabric', labels: { role: 'spine', site: 'a' } }),
  labNode('dc1', 'r1', 'juniper_vmx'),
  labNode('dc2', 'r1', 'juniper_crpd'),
  labNode('dc2', 'host1', 'linux', { labels: { role: 'client' } }),
  labNode('junos', 'pe1', 'juniper_vjunosrouter'),
];

const select = (selector: Selector) => selectNodes(NODES, selector).map((n) => `${n.lab}/${n.name}`);

function usageError(selector: Selector): UsageError {
  try {
    selectNodes(NODES, selector);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('selectNodes by name', () => {
  it('finds short names, long names and lab/node', () => {
    expect(select({ names: ['router1'] })).toEqual(['dc1/router1']);
    expect(select({ names: ['clab-dc1-leaf1', 'spine1'] })).toEqual(['dc1/leaf1', 'dc1/spine1']);
    expect(select({ names: ['dc2/r1'] })).toEqual(['dc2/r1']);
    expect(select({ names: ['dc2/clab-dc2-host1'] })).toEqual(['dc2/host1']);
  });

  it('accepts a name in another case when it is the only match', () => {
    expect(select({ names: ['Router1'] })).toEqual(['dc1/router1']);
  });

  it('lists a node named twice once', () => {
    expect(select({ names: ['router1', 'clab-dc1-router1', 'dc1/router1'] })).toEqual(['dc1/router1']);
  });

  it('suggests the closest names for an unknown node', () => {
    const err = usageError({ names: ['routr1'] });
    expect(err.message).toBe('unknown node "routr1" (did you mean router1 or router2?)');
    expect(err.suggestions).toEqual(['router1', 'router2']);
    expect(err.hint).toContain('clab-bot nodes');
    expect(usageError({ names: ['zzzz'] }).message).toBe('unknown node "zzzz"');
  });

  it('asks for lab/node or --lab when a short name is in two labs', () => {
    const err = usageError({ names: ['r1'] });
    expect(err.message).toBe('node "r1" is in labs dc1 and dc2: write dc1/r1 or dc2/r1, or add --lab dc1');
    expect(err.suggestions).toEqual(['dc1/r1', 'dc2/r1']);
    expect(select({ names: ['r1'], labs: ['dc2'] })).toEqual(['dc2/r1']);
  });

  it('says where a node is when --lab excludes it', () => {
    const err = usageError({ names: ['leaf1'], labs: ['dc2'] });
    expect(err.message).toBe('node "leaf1" is not in the selected lab (it is in dc1)');
    expect(err.suggestions).toEqual(['dc1/leaf1']);
  });

  it('checks both parts of lab/node', () => {
    expect(usageError({ names: ['dc3/r1'] }).message).toBe('unknown lab "dc3" (did you mean dc1 or dc2?)');
    expect(usageError({ names: ['dc2/host2'] }).message).toBe('unknown node in lab dc2: "host2" (did you mean host1?)');
  });
});

describe('selectNodes by kind', () => {
  it.each([
    [['vjunosrouter'], ['dc1/router1', 'dc1/router2', 'junos/pe1']],
    [['juniper_vjunosrouter'], ['dc1/router1', 'dc1/router2', 'junos/pe1']],
    [['srl'], ['dc1/leaf1']],
    [['ceos'], ['dc1/spine1']],
    [['vr-vmx'], ['dc1/r1']],
    [['crpd'], ['dc2/r1']],
    [['juniper_*'], ['dc1/router1', 'dc1/router2', 'dc1/r1', 'dc2/r1', 'junos/pe1']],
    [['srl', 'ceos'], ['dc1/leaf1', 'dc1/spine1']],
  ])('--kind %j', (kinds, expected) => {
    expect(select({ kinds })).toEqual(expected);
  });

  it('suggests kind names for an unknown kind', () => {
    const err = usageError({ kinds: ['vjunos'] });
    expect(err.message).toBe('unknown kind "vjunos" (did you mean vjunosrouter, vjunosswitch or vjunosevolved?)');
    expect(usageError({ kinds: ['srll'] }).suggestions).toContain('srl');
  });

  it('says nothing matched when a known kind is absent, listing the kinds present', () => {
    const err = usageError({ kinds: ['srl'], labs: ['junos'] });
    expect(err.message).toBe('no node matches --kind srl --lab junos');
    expect(err.hint).toBe('kinds here: juniper_vjunosrouter');
    expect(usageError({ kinds: ['cisco_*'] }).message).toBe('no node matches --kind cisco_*');
  });
});

describe('selectNodes by label, group, lab, all', () => {
  it('matches KEY=VALUE labels', () => {
    expect(select({ labels: [{ key: 'role', value: 'pe' }] })).toEqual(['dc1/router1', 'dc1/router2']);
    expect(select({ labels: [{ key: 'role', value: 'leaf' }, { key: 'role', value: 'spine' }] })).toEqual(['dc1/leaf1', 'dc1/spine1']);
  });

  it('suggests label keys and values', () => {
    expect(usageError({ labels: [{ key: 'rol', value: 'pe' }] }).message).toBe('unknown label "rol" (did you mean role?)');
    expect(usageError({ labels: [{ key: 'role', value: 'spin' }] }).message).toBe('unknown value of label role: "spin" (did you mean spine?)');
  });

  it('matches groups and suggests known ones', () => {
    expect(select({ groups: ['fabric'] })).toEqual(['dc1/leaf1', 'dc1/spine1']);
    expect(usageError({ groups: ['fabrik'] }).message).toBe('unknown group "fabrik" (did you mean fabric?)');
  });

  it('matches labs and suggests known ones', () => {
    expect(select({ labs: ['dc2'] })).toEqual(['dc2/r1', 'dc2/host1']);
    const err = usageError({ labs: ['dc'] });
    expect(err.suggestions).toEqual(['dc1', 'dc2']);
    expect(err.hint).toContain('clab-bot labs');
  });

  it('selects everything with --all, and intersects it with the other flags', () => {
    expect(select({ all: true })).toHaveLength(NODES.length);
    expect(select({ all: true, labs: ['junos'] })).toEqual(['junos/pe1']);
  });

  it('intersects names, kinds, groups, labels and labs', () => {
    expect(select({ names: ['router1', 'leaf1'], kinds: ['srl'] })).toEqual(['dc1/leaf1']);
    expect(select({ groups: ['fabric'], labels: [{ key: 'site', value: 'a' }], kinds: ['ceos'] })).toEqual(['dc1/spine1']);
    expect(select({ kinds: ['juniper_*'], labs: ['dc2'] })).toEqual(['dc2/r1']);
    const err = usageError({ names: ['router1'], kinds: ['srl'] });
    expect(err.message).toBe('no node matches router1 --kind srl');
  });

  it('refuses an empty selector', () => {
    expect(usageError({}).message).toMatch(/^no nodes selected/);
    expect(usageError({ names: [], kinds: [] }).code).toBe('usage');
  });
});
