import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { SettingsError } from '../../../src/errors.js';
import { loadInventory, type Inventory } from '../../../src/inventory/load.js';
import type { LabNode } from '../../../src/inventory/types.js';
import { FIXTURES, removeTempDirs, stage, tempDir, write } from './helpers.js';

afterAll(removeTempDirs);

const NO_ENV = {};

function node(inventory: Inventory, lab: string, name: string): LabNode {
  const found = inventory.nodes.find((n) => n.lab === lab && n.name === name);
  if (found === undefined) throw new Error(`no node ${lab}/${name} in ${inventory.nodes.map((n) => `${n.lab}/${n.name}`).join(' ')}`);
  return found;
}

describe('loadInventory over a folder of labs', () => {
  it('finds topologies and deployed labs one level down, with canonical kinds, vendors and addresses', async () => {
    const dir = await stage('.');
    const inv = await loadInventory([dir], { env: NO_ENV });
    expect(inv.warnings).toEqual([]);
    expect(inv.labs.map((l) => [l.name, l.nodes.length])).toEqual([
      ['core02', 2], ['duo01', 2], ['edge01', 6], ['jlab', 4], ['srlvsw01', 2], ['tri01', 5],
    ]);
    expect(inv.nodes).toHaveLength(21);

    const pe1 = node(inv, 'jlab', 'pe1');
    expect(pe1).toMatchObject({
      kind: 'juniper_vjunosrouter', vendor: 'juniper', driver: 'junos', mgmtIpv4: '172.30.30.11', host: '172.30.30.11',
      port: undefined, longName: 'clab-jlab-pe1', labDir: join(dir, 'deployed'), source: join(dir, 'deployed/clab-jlab/topology-data.json'),
    });
    expect(node(inv, 'jlab', 'rr1')).toMatchObject({ kind: 'juniper_crpd', vendor: 'juniper', driver: 'junos' });
    expect(node(inv, 'core02', 'c1')).toMatchObject({ kind: 'nokia_srlinux', vendor: 'nokia', driver: 'srlinux', host: '172.20.20.7' });
    expect(node(inv, 'duo01', 'spine')).toMatchObject({ kind: 'arista_ceos', vendor: 'arista', driver: 'eos', mgmtIpv4: undefined, host: 'clab-duo01-spine' });
    expect(node(inv, 'srlvsw01', 'sw1')).toMatchObject({ kind: 'juniper_vjunosswitch', vendor: 'juniper', driver: 'junos' });
    expect(node(inv, 'tri01', 'h1')).toMatchObject({ kind: 'linux', vendor: 'linux', group: 'clients' });
  });

  it('orders nodes naturally within each lab', async () => {
    const dir = await tempDir();
    await write(join(dir, 'many.clab.yml'), 'name: many\ntopology:\n  nodes:\n    n10: { kind: linux }\n    n2: { kind: linux }\n    n1: { kind: linux }\n');
    const inv = await loadInventory([dir], { env: NO_ENV });
    expect(inv.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n10']);
  });

  it('reads a clab-<lab> folder given directly', async () => {
    const dir = await stage('deployed');
    const inv = await loadInventory([join(dir, 'clab-jlab')], { env: NO_ENV });
    expect(inv.labs.map((l) => l.name)).toEqual(['jlab']);
    expect(node(inv, 'jlab', 'pe2').credentials.password).toBe('Pe2-secret!');
  });

  it('warns about a configured path that does not exist and loads the rest', async () => {
    const dir = await stage('examples');
    const inv = await loadInventory([join(dir, 'nope'), dir], { env: NO_ENV });
    expect(inv.labs.map((l) => l.name)).toEqual(['duo01', 'edge01', 'srlvsw01', 'tri01']);
    expect(inv.warnings.map((w) => w.message)).toEqual([`${join(dir, 'nope')}: configured lab path does not exist`]);
  });
});

describe('loadInventory: one file, read by its content', () => {
  it.each([
    ['docs-shape/topology-data.json', 'core02', 'c2', 'nokia_srlinux', '172.20.20.8'],
    ['examples/duo.clab.yml', 'duo01', 'leaf', 'nokia_srlinux', undefined],
    ['inspect/by-lab.json', 'jlab', 'pe1', 'juniper_vjunosrouter', '172.30.30.11'],
    ['inspect/legacy.json', 'old01', 'vmx', 'juniper_vmx', '172.20.20.3'],
    ['inspect/details.json', 'jlab', 'pe1', 'juniper_vjunosrouter', '172.30.30.11'],
  ])('%s', async (file, lab, name, kind, ipv4) => {
    const inv = await loadInventory([join(FIXTURES, file)], { env: NO_ENV });
    expect(node(inv, lab, name)).toMatchObject({ kind, mgmtIpv4: ipv4 });
  });

  it('finds the deployed lab of a topology file given directly (a deployed lab wins)', async () => {
    const dir = await stage('deployed');
    const inv = await loadInventory([join(dir, 'jlab.clab.yml')], { env: NO_ENV });
    expect(inv.labs.map((l) => [l.name, l.source])).toEqual([['jlab', join(dir, 'clab-jlab/topology-data.json')]]);
    expect(node(inv, 'jlab', 'pe1').mgmtIpv4).toBe('172.30.30.11');
  });

  it('applies a nornir inventory given as a file to the lab whose folder holds it', async () => {
    const dir = await stage('deployed');
    const inv = await loadInventory([join(dir, 'clab-jlab/nornir-simple-inventory.yml'), join(dir, 'clab-jlab/topology-data.json')], { env: NO_ENV });
    expect(node(inv, 'jlab', 'pe2').credentials).toEqual({ username: 'admin', password: 'Pe2-secret!' });
  });

  it('ignores a file that is not a containerlab file, saying so', async () => {
    const dir = await tempDir();
    const file = await write(join(dir, 'notes.yml'), 'shopping:\n  - milk\n');
    const inv = await loadInventory([file], { env: NO_ENV });
    expect(inv.nodes).toEqual([]);
    expect(inv.warnings[0]?.message).toContain(`${file}: not a containerlab file`);
  });

  it('takes `containerlab inspect` output as text', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(join(FIXTURES, 'inspect/by-lab.json'), 'utf8');
    const inv = await loadInventory([], { env: NO_ENV, texts: [{ source: 'containerlab inspect', text }] });
    expect(node(inv, 'v6only', 'edge1')).toMatchObject({ kind: 'arista_ceos', host: '3fff:10:0:1::5', source: 'containerlab inspect' });
  });
});

describe('loadInventory: several sources of one lab', () => {
  it('prefers inspect over the topology, filling labels and credentials from the topology', async () => {
    const dir = await tempDir();
    await write(join(dir, 'jlab.clab.yml'), `
name: jlab
topology:
  nodes:
    pe1: { kind: juniper_vjunosrouter, labels: { role: pe }, credentials: { password: topo-pw } }
    ce1: { kind: linux, group: customers }
`);
    const inspect = await write(join(dir, 'inspect.json'), JSON.stringify({
      jlab: [{ lab_name: 'jlab', absLabPath: join(dir, 'jlab.clab.yml'), name: 'clab-jlab-pe1', kind: 'juniper_vjunosrouter', ipv4_address: '172.30.30.11/24', ipv6_address: 'N/A' }],
    }));
    const inv = await loadInventory([dir, inspect], { env: NO_ENV });
    expect(inv.warnings).toEqual([]);
    expect(inv.labs.map((l) => [l.name, l.source])).toEqual([['jlab', inspect]]);
    expect(inv.nodes.map((n) => n.name)).toEqual(['pe1']);
    expect(node(inv, 'jlab', 'pe1')).toMatchObject({ host: '172.30.30.11', labels: expect.objectContaining({ role: 'pe' }) });
    expect(node(inv, 'jlab', 'pe1').credentials).toEqual({ username: 'admin', password: 'topo-pw' });
  });

  it('uses the topology-data.json over inspect output and the topology', async () => {
    const dir = await stage('deployed');
    const inv = await loadInventory([dir, join(FIXTURES, 'inspect/by-lab.json')], { env: NO_ENV });
    expect(inv.labs.find((l) => l.name === 'jlab')?.source).toBe(join(dir, 'clab-jlab/topology-data.json'));
    expect(node(inv, 'jlab', 'rr1').mgmtIpv4).toBe('172.30.30.21');
  });

  it('falls back to the topology while topology-data.json is empty (deploy starting), with a warning', async () => {
    const dir = await stage('deployed');
    const data = join(dir, 'clab-jlab/topology-data.json');
    await writeFile(data, '');
    await writeFile(join(dir, 'clab-jlab/nornir-simple-inventory.yml'), '');
    const inv = await loadInventory([dir], { env: NO_ENV });
    expect(inv.labs.map((l) => [l.name, l.source])).toEqual([['jlab', join(dir, 'jlab.clab.yml')]]);
    expect(node(inv, 'jlab', 'pe1')).toMatchObject({ mgmtIpv4: '172.30.30.11', kind: 'juniper_vjunosrouter' });
    expect(node(inv, 'jlab', 'pe2').credentials).toEqual({ username: 'admin', password: 'Pe2-secret!' });
    expect(inv.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining(`${data}: empty: containerlab writes it empty`),
      expect.stringContaining('nornir-simple-inventory.yml: empty'),
    ]);
  });

  it('loads the other labs when one file is malformed', async () => {
    const dir = await stage('.');
    await writeFile(join(dir, 'deployed/clab-jlab/topology-data.json'), '{"name": "jlab", "nodes": {"pe1": ');
    await writeFile(join(dir, 'examples/duo.clab.yml'), 'name: duo01\ntopology:\n  nodes: [leaf, spine]\n');
    const inv = await loadInventory([dir], { env: NO_ENV });
    expect(inv.labs.map((l) => l.name)).toEqual(['core02', 'edge01', 'jlab', 'srlvsw01', 'tri01']);
    expect(inv.labs.find((l) => l.name === 'jlab')?.source).toBe(join(dir, 'deployed/jlab.clab.yml'));
    expect(inv.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/clab-jlab\/topology-data\.json: invalid JSON/),
      `${join(dir, 'examples/duo.clab.yml')}: topology.nodes: expected record, received array`,
    ]);
  });

  it('warns when two topologies define the same lab and uses the first', async () => {
    const dir = await tempDir();
    await write(join(dir, 'a.clab.yml'), 'name: twin\ntopology:\n  nodes:\n    r1: { kind: linux }\n');
    await write(join(dir, 'b.clab.yml'), 'name: twin\ntopology:\n  nodes:\n    r9: { kind: linux }\n');
    const inv = await loadInventory([dir], { env: NO_ENV });
    expect(inv.nodes.map((n) => n.name)).toEqual(['r1']);
    expect(inv.warnings.map((w) => w.message)).toEqual([
      `${join(dir, 'b.clab.yml')}: lab "twin" is also read from ${join(dir, 'a.clab.yml')}, which is used; this one is ignored`,
    ]);
  });

  it('finds a deployed lab under CLAB_LABDIR_BASE', async () => {
    const topo = await tempDir();
    const base = await tempDir();
    await write(join(topo, 'based.clab.yml'), 'name: based\ntopology:\n  nodes:\n    r1: { kind: srl }\n');
    await mkdir(join(base, 'clab-based'));
    await write(join(base, 'clab-based/topology-data.json'), JSON.stringify({
      name: 'based', type: 'clab', nodes: { r1: { shortname: 'r1', longname: 'clab-based-r1', kind: 'srl', 'mgmt-ipv4-address': '172.20.20.9' } },
    }));
    const inv = await loadInventory([topo], { env: { CLAB_LABDIR_BASE: base } });
    expect(node(inv, 'based', 'r1')).toMatchObject({ mgmtIpv4: '172.20.20.9', source: join(base, 'clab-based/topology-data.json') });
  });

  it('lists a node of a kind it does not know, without a driver, and warns with suggestions', async () => {
    const dir = await tempDir();
    await write(join(dir, 'odd.clab.yml'), 'name: odd\ntopology:\n  nodes:\n    r1: { kind: juniper_vex }\n    r2: { kind: linux }\n');
    const inv = await loadInventory([dir], { env: NO_ENV });
    expect(node(inv, 'odd', 'r1')).toMatchObject({ kind: 'juniper_vex', vendor: 'unknown', driver: 'none', credentials: { username: '', password: '' } });
    expect(inv.warnings).toHaveLength(1);
    expect(inv.warnings[0]?.message).toMatch(/kind "juniper_vex" is not a containerlab kind clab-bot knows \(did you mean juniper_v\w+.*\?\); r1 listed without a driver/);
  });
});

describe('loadInventory: credentials, host and port', () => {
  const TOPO = `
name: creds
topology:
  nodes:
    a: { kind: juniper_vmx, mgmt-ipv4: 10.0.0.1 }
    b: { kind: juniper_vmx, credentials: { password: topo-pw } }
    c: { kind: srl, mgmt-ipv6: "3fff:1::c" }
    d: { kind: linux }
`;

  it('uses containerlab kind defaults when nothing else is given', async () => {
    const dir = await tempDir();
    await write(join(dir, 'creds.clab.yml'), TOPO);
    const inv = await loadInventory([dir], { env: NO_ENV });
    expect(node(inv, 'creds', 'a').credentials).toEqual({ username: 'admin', password: 'admin@123' });
    expect(node(inv, 'creds', 'b').credentials).toEqual({ username: 'admin', password: 'topo-pw' });
    expect(node(inv, 'creds', 'c').credentials).toEqual({ username: 'admin', password: 'NokiaSrl1!' });
    expect(node(inv, 'creds', 'd').credentials).toEqual({ username: '', password: '' });
    expect(node(inv, 'creds', 'c').host).toBe('3fff:1::c');
    expect(node(inv, 'creds', 'd').host).toBe('clab-creds-d');
  });

  it('layers settings overrides: labs < kinds (globs, then exact) < nodes; topology and nornir still win', async () => {
    const dir = await tempDir();
    await write(join(dir, 'creds.clab.yml'), TOPO);
    const inv = await loadInventory([dir], {
      env: NO_ENV,
      overrides: {
        labs: { creds: { username: 'lab-user', password: 'lab-pw' } },
        kinds: { vmx: { username: 'vmx-user' }, 'juniper_*': { username: 'glob-user', port: 2830 } },
        nodes: { a: { password: 'short-pw' }, 'creds/a': { password: 'node-pw', host: '127.0.0.5' }, 'clab-creds-d': { username: 'root' } },
      },
    });
    expect(node(inv, 'creds', 'a')).toMatchObject({ credentials: { username: 'vmx-user', password: 'node-pw' }, host: '127.0.0.5', port: 2830 });
    expect(node(inv, 'creds', 'b').credentials).toEqual({ username: 'vmx-user', password: 'topo-pw' });
    expect(node(inv, 'creds', 'c')).toMatchObject({ credentials: { username: 'lab-user', password: 'lab-pw' }, port: undefined });
    expect(node(inv, 'creds', 'd').credentials).toEqual({ username: 'root', password: 'lab-pw' });

    await mkdir(join(dir, 'clab-creds'));
    await write(join(dir, 'clab-creds/nornir-simple-inventory.yml'), '---\nb:\n    username: admin\n    password: nornir-pw\n    platform: juniper_vmx\n    hostname: \nd:\n    username: \n    password: \n    platform: linux\n    hostname: \n');
    const again = await loadInventory([dir], { env: NO_ENV, overrides: { nodes: { b: { password: 'settings-pw' }, d: { password: 'd-pw' } } } });
    expect(node(again, 'creds', 'b').credentials).toEqual({ username: 'admin', password: 'nornir-pw' });
    // Empty nornir fields mean "not known": the settings value stays.
    expect(node(again, 'creds', 'd').credentials).toEqual({ username: '', password: 'd-pw' });
  });

  it('reads env: and file: secrets, and names the key when one is missing', async () => {
    const dir = await tempDir();
    await write(join(dir, 'creds.clab.yml'), TOPO);
    await write(join(dir, 'pw.txt'), 'from-file\n');
    const inv = await loadInventory([dir], {
      env: { LAB_PW: 'from-env' },
      baseDir: dir,
      overrides: { nodes: { a: { password: 'env:LAB_PW' }, c: { password: 'file:pw.txt' } } },
    });
    expect(node(inv, 'creds', 'a').credentials.password).toBe('from-env');
    expect(node(inv, 'creds', 'c').credentials.password).toBe('from-file');

    const missing = loadInventory([dir], { env: {}, overrides: { nodes: { a: { password: 'env:LAB_PW' } } } });
    await expect(missing).rejects.toThrow(SettingsError);
    await expect(missing).rejects.toThrow('setting credentials.nodes.a.password: environment variable LAB_PW is not set');
    await expect(loadInventory([dir], { env: {}, baseDir: dir, overrides: { labs: { creds: { password: 'file:nope.txt' } } } }))
      .rejects.toThrow(/credentials\.labs\.creds\.password: cannot read secret file .*nope\.txt \(ENOENT\)/);
    await expect(loadInventory([dir], { env: {}, overrides: { kinds: { srl: { port: 70000 } } } }))
      .rejects.toThrow('setting credentials.kinds.srl.port: must be a TCP port number (1-65535)');
  });

  it('takes the port from the clab-bot.port label (simulated labs), settings winning', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'clab-sim'));
    await write(join(dir, 'clab-sim/topology-data.json'), JSON.stringify({
      name: 'sim', type: 'clab',
      nodes: {
        node1: { shortname: 'node1', longname: 'clab-sim-node1', kind: 'juniper_vjunosrouter', 'mgmt-ipv4-address': '127.20.20.1', labels: { 'clab-bot.port': '18830' } },
        node2: { shortname: 'node2', longname: 'clab-sim-node2', kind: 'juniper_vjunosrouter', 'mgmt-ipv4-address': '127.20.20.2', labels: { 'clab-bot.port': '18830' } },
        node3: { shortname: 'node3', longname: 'clab-sim-node3', kind: 'juniper_vjunosrouter', 'mgmt-ipv4-address': '127.20.20.3', labels: { 'clab-bot.port': 'eight' } },
      },
    }));
    const inv = await loadInventory([dir], { env: NO_ENV, overrides: { nodes: { 'sim/node2': { port: 19830 } } } });
    expect(inv.nodes.map((n) => [n.name, n.host, n.port])).toEqual([
      ['node1', '127.20.20.1', 18830], ['node2', '127.20.20.2', 19830], ['node3', '127.20.20.3', undefined],
    ]);
    expect(inv.warnings.map((w) => w.message)).toEqual([
      `${join(dir, 'clab-sim/topology-data.json')}: node3: label clab-bot.port: "eight" is not a TCP port; ignored`,
    ]);
  });

  it('never puts a password in a warning', async () => {
    const dir = await stage('deployed');
    await writeFile(join(dir, 'clab-jlab/nornir-simple-inventory.yml'), 'pe2:\n  password: [Pe2-secret!\n');
    const inv = await loadInventory([dir], { env: NO_ENV });
    expect(inv.warnings.length).toBeGreaterThan(0);
    for (const warning of inv.warnings) expect(warning.message).not.toContain('Pe2-secret!');
  });
});
