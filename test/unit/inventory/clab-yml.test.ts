import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import type { NodeDraft } from '../../../src/inventory/draft.js';
import { parseClabYml, readClabYml } from '../../../src/inventory/readers/clab-yml.js';
import { FIXTURES } from './helpers.js';

const FILE = '/labs/inh.clab.yml';

function parse(text: string, env: Record<string, string> = {}) {
  return parseClabYml(text, FILE, env);
}

function nodesOf(text: string, env: Record<string, string> = {}): Record<string, NodeDraft> {
  const result = parse(text, env);
  expect(result.warnings).toEqual([]);
  return Object.fromEntries((result.labs[0]?.nodes ?? []).map((n) => [n.name, n]));
}

describe('clab.yml reader: lab-example shapes', () => {
  it('reads a two-vendor topology with the kind on each node', async () => {
    const { labs, warnings } = await readClabYml(join(FIXTURES, 'examples/duo.clab.yml'), {});
    expect(warnings).toEqual([]);
    expect(labs).toHaveLength(1);
    const lab = labs[0];
    expect(lab?.name).toBe('duo01');
    expect(lab?.origin).toBe('clab-yml');
    expect(lab?.dir).toBe(join(FIXTURES, 'examples'));
    expect(lab?.dataDir).toBe(join(FIXTURES, 'examples/clab-duo01'));
    expect(lab?.nodes.map((n) => [n.name, n.kind, n.longName, n.image])).toEqual([
      ['leaf', 'nokia_srlinux', 'clab-duo01-leaf', 'ghcr.io/nokia/srlinux:25.3.1'],
      ['spine', 'arista_ceos', 'clab-duo01-spine', 'ceos:4.33.1F'],
    ]);
    expect(lab?.nodes[0]?.mgmtIpv4).toBeUndefined();
  });

  it('takes kind and image from the group, as the FRR example does', async () => {
    const { labs, warnings } = await readClabYml(join(FIXTURES, 'examples/triangle.clab.yml'), {});
    expect(warnings).toEqual([]);
    const nodes = labs[0]?.nodes ?? [];
    expect(nodes.map((n) => [n.name, n.kind, n.group, n.image])).toEqual([
      ['r1', 'linux', 'core', 'quay.io/frrouting/frr:10.2.1'],
      ['r2', 'linux', 'core', 'quay.io/frrouting/frr:10.2.1'],
      ['r3', 'linux', 'core', 'quay.io/frrouting/frr:10.2.1'],
      ['h1', 'linux', 'clients', 'ghcr.io/hellt/network-multitool'],
      ['h2', 'linux', 'clients', 'ghcr.io/hellt/network-multitool'],
    ]);
    expect(nodes[0]?.labels['clab-node-group']).toBe('core');
  });

  it('reads SR Linux next to a vJunos-switch with startup configs', async () => {
    const { labs } = await readClabYml(join(FIXTURES, 'examples/srl-vswitch.clab.yml'), {});
    expect(labs[0]?.nodes.map((n) => [n.name, n.kind])).toEqual([['leaf1', 'nokia_srlinux'], ['sw1', 'juniper_vjunosswitch']]);
  });
});

describe('clab.yml reader: inheritance as containerlab resolves it', () => {
  it('takes scalars from node, then group, then kind, then defaults', () => {
    const nodes = nodesOf(`
name: inh
topology:
  defaults: { kind: nokia_srlinux, image: img-defaults }
  kinds:
    nokia_srlinux: { image: img-kind }
  groups:
    g: { image: img-group }
  nodes:
    a: { group: g, image: img-node }
    b: { group: g }
    c: {}
    d: { kind: linux }
`);
    expect(nodes['a']?.image).toBe('img-node');
    expect(nodes['b']?.image).toBe('img-group');
    expect(nodes['c']?.image).toBe('img-kind');
    expect(nodes['d']?.image).toBe('img-defaults');
    expect(nodes['c']?.kind).toBe('nokia_srlinux');
  });

  it('finds the kind through the node group, the defaults group and defaults', () => {
    const nodes = nodesOf(`
name: inh
topology:
  defaults: { group: pes, kind: linux }
  groups:
    pes: { kind: juniper_vmx }
    cores: { kind: Nokia_SRLinux }
  nodes:
    pe1: {}
    core1: { group: cores }
`);
    expect(nodes['pe1']?.kind).toBe('juniper_vmx');
    expect(nodes['pe1']?.group).toBe('pes');
    expect(nodes['core1']?.kind).toBe('nokia_srlinux');
  });

  it('takes a node group from its kind block', () => {
    const nodes = nodesOf(`
name: inh
topology:
  kinds:
    juniper_vmx: { group: pe }
  nodes:
    r1: { kind: juniper_vmx }
    r2: { kind: juniper_vmx, group: core }
`);
    expect(nodes['r1']?.group).toBe('pe');
    expect(nodes['r2']?.group).toBe('core');
  });

  it('looks kinds: up by the kind exactly as written, without aliases (containerlab#1771)', () => {
    const nodes = nodesOf(`
name: inh
topology:
  kinds:
    srl: { image: srl-by-alias }
  nodes:
    long: { kind: nokia_srlinux }
    short: { kind: srl }
`);
    expect(nodes['long']?.image).toBeUndefined();
    expect(nodes['short']?.image).toBe('srl-by-alias');
  });

  it('merges labels per key, the more specific level winning', () => {
    const nodes = nodesOf(`
name: inh
topology:
  defaults: { kind: linux, labels: { site: a, role: x } }
  kinds:
    linux: { labels: { role: k, tier: 1 } }
  groups:
    g: { labels: { role: g } }
  nodes:
    n1: { group: g, labels: { owner: me } }
`);
    const labels = nodes['n1']?.labels ?? {};
    expect(labels).toMatchObject({ site: 'a', role: 'g', tier: '1', owner: 'me' });
    expect(labels).toMatchObject({ containerlab: 'inh', 'clab-node-name': 'n1', 'clab-node-kind': 'linux', 'clab-topo-file': FILE });
  });

  it('reads mgmt addresses from the node only', () => {
    const nodes = nodesOf(`
name: inh
topology:
  defaults: { kind: linux, mgmt-ipv4: 172.20.20.99 }
  nodes:
    with: { mgmt-ipv4: 172.20.20.10, mgmt-ipv6: "3fff:172:20:20::10" }
    v6only: { mgmt-ipv6: "3fff:172:20:20::11" }
    without: {}
    bare:
`);
    expect(nodes['with']?.mgmtIpv4).toBe('172.20.20.10');
    expect(nodes['with']?.mgmtIpv6).toBe('3fff:172:20:20::10');
    expect(nodes['v6only']?.mgmtIpv4).toBeUndefined();
    expect(nodes['v6only']?.mgmtIpv6).toBe('3fff:172:20:20::11');
    expect(nodes['without']?.mgmtIpv4).toBeUndefined();
    expect(nodes['bare']?.kind).toBe('linux');
  });

  it('takes one credentials pair from the most specific level that sets one, unmerged', () => {
    const nodes = nodesOf(`
name: inh
topology:
  defaults: { kind: juniper_vmx, credentials: { username: d-user, password: d-pass } }
  kinds:
    juniper_vmx: { credentials: { password: k-pass } }
  groups:
    g: { credentials: { username: g-user } }
  nodes:
    viaGroup: { group: g }
    viaKind: {}
    legacy: { username: old-user, password: "0123" }
    otherKind: { kind: linux }
`);
    expect(nodes['viaGroup']?.declaredCredentials).toEqual({ username: 'g-user' });
    expect(nodes['viaKind']?.declaredCredentials).toEqual({ password: 'k-pass' });
    expect(nodes['legacy']?.declaredCredentials).toEqual({ username: 'old-user', password: '0123' });
    expect(nodes['otherKind']?.declaredCredentials).toEqual({ username: 'd-user', password: 'd-pass' });
  });

  it('honours YAML anchors and merge keys', () => {
    const nodes = nodesOf(`
name: inh
x-common: &pe { kind: juniper_vjunosrouter, image: vjunos:24 }
topology:
  nodes:
    pe1: { <<: *pe, mgmt-ipv4: 10.0.0.1 }
`);
    expect(nodes['pe1']).toMatchObject({ kind: 'juniper_vjunosrouter', image: 'vjunos:24', mgmtIpv4: '10.0.0.1' });
  });
});

describe('clab.yml reader: names and variables', () => {
  const lab = (prefix: string) => `
name: pfx
${prefix}
topology:
  nodes:
    r1: { kind: linux }
`;
  it.each([
    ['', 'clab-pfx-r1'],
    ['prefix:', 'clab-pfx-r1'],
    ['prefix: ""', 'r1'],
    ['prefix: __lab-name', 'pfx-r1'],
    ['prefix: acme', 'acme-pfx-r1'],
  ])('long name with "%s" is %s', (prefix, longName) => {
    expect(parse(lab(prefix)).labs[0]?.nodes[0]?.longName).toBe(longName);
  });

  it('expands ${VAR:-default} and ${VAR} before parsing', () => {
    const text = `
name: \${LAB_NAME:-envlab}
topology:
  nodes:
    r1: { kind: \${R1_KIND:-nokia_srlinux}, image: "\${R1_IMAGE}" }
`;
    const unset = parse(text).labs[0];
    expect(unset?.name).toBe('envlab');
    expect(unset?.nodes[0]?.kind).toBe('nokia_srlinux');
    expect(unset?.nodes[0]?.image).toBe('$R1_IMAGE');
    const set = parse(text, { LAB_NAME: 'prod', R1_KIND: 'ceos', R1_IMAGE: 'ceos:4.33' }).labs[0];
    expect(set?.name).toBe('prod');
    expect(set?.nodes[0]?.kind).toBe('ceos');
    expect(set?.nodes[0]?.image).toBe('ceos:4.33');
    expect(set?.nodes[0]?.longName).toBe('clab-prod-r1');
  });

  it('puts the lab directory under CLAB_LABDIR_BASE when set', () => {
    const result = parse('name: based\ntopology:\n  nodes:\n    r1: { kind: linux }\n', { CLAB_LABDIR_BASE: '/var/clab' });
    expect(result.labs[0]?.dataDir).toBe('/var/clab/clab-based');
    expect(result.labs[0]?.dir).toBe('/labs');
    expect(result.labs[0]?.nodes[0]?.labels['clab-node-lab-dir']).toBe('/var/clab/clab-based/r1');
  });
});

describe('clab.yml reader: broken files give one warning naming the file and field', () => {
  it.each([
    ['', 'empty topology file'],
    ['name: x\ntopology:\n  nodes: [a, b]\n', 'topology.nodes: expected record'],
    ['name: x\ntopology:\n  nodes:\n    r1: { kind: linux, labels: [a] }\n', 'topology.nodes.r1.labels: expected record'],
    ['name: x\ntopology:\n  nodes:\n    r1: { kind: [linux] }\n', 'topology.nodes.r1.kind: expected string'],
    ['topology:\n  nodes: {}\n', 'name: expected string'],
    ['name: x\n', 'topology: expected object'],
    ['name: x\ntopology:\n  nodes:\n    r1: { kind: linux\n', 'invalid YAML at line'],
    ['name: x\nname: y\ntopology: {}\n', 'invalid YAML at line 2'],
    ['name: x\ntopology:\n  nodes:\n    r1:\n      image: ${IMG\n', 'line 5: closing brace expected'],
    ['name: lab-__gitBranch__\ntopology:\n  nodes:\n    r1: { kind: linux }\n', 'name: the lab name uses __gitBranch__'],
    ['name: x\ntopology:\n  nodes:\n{{ range .nodes }}    {{ . }}: {}\n{{ end }}', 'Go template syntax'],
  ])('%j', (text, expected) => {
    const result = parse(text);
    expect(result.labs).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    const message = result.warnings[0]?.message ?? '';
    expect(message.startsWith(`${FILE}: `)).toBe(true);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('skips a node with no kind anywhere and keeps the others', () => {
    const result = parse('name: x\ntopology:\n  nodes:\n    r1: { kind: linux }\n    r2: { image: foo }\n');
    expect(result.labs[0]?.nodes.map((n) => n.name)).toEqual(['r1']);
    expect(result.warnings.map((w) => w.message)).toEqual([`${FILE}: topology.nodes.r2.kind: no kind on the node, its group or defaults; node skipped`]);
  });

  it('ignores a mgmt address that is not an IP, saying where', () => {
    const result = parse('name: x\ntopology:\n  nodes:\n    r1: { kind: linux, mgmt-ipv4: 300.1.1.1 }\n');
    expect(result.labs[0]?.nodes[0]?.mgmtIpv4).toBeUndefined();
    expect(result.warnings[0]?.message).toBe(`${FILE}: topology.nodes.r1.mgmt-ipv4: not an IPv4 address; ignored`);
  });
});
