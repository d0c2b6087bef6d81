import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { UsageError } from '../../../src/errors.js';
import { startSimLab, simulatedKinds, type SimLab } from '../../../src/sim/lab.js';
import { connectNetconf, replyText, type RawNetconf } from './netconf-client.js';

interface TopologyData {
  name: string;
  type: string;
  clab: { config: { prefix: string; mgmt: Record<string, unknown> } };
  'ssh-pub-keys': string[];
  nodes: Record<string, Record<string, unknown> & { labels: Record<string, string> }>;
  links: { endpoints: { a: Record<string, string>; z: Record<string, string> } }[];
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clab-bot-simlab-'));
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function command(host: string, port: number, cli: string): Promise<string> {
  const nc: RawNetconf = await connectNetconf({ host, port });
  try {
    return replyText(await nc.rpc(`<command format="text">${cli}</command>`));
  } finally {
    nc.close();
  }
}

describe('simulated lab', () => {
  let lab: SimLab;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    lab = await startSimLab({ lab: 'ospf3', kind: 'vjunosrouter', count: 3, dir, baseIp: '127.20.21.1' });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('starts the nodes on consecutive loopback addresses with the standard port, or says why not', () => {
    expect(lab.nodes.map((n) => [n.name, n.host])).toEqual([
      ['node1', '127.20.21.1'],
      ['node2', '127.20.21.2'],
      ['node3', '127.20.21.3'],
    ]);
    for (const n of lab.nodes) expect(n.portFallback).toBe(n.port !== 830);
    if (lab.nodes.some((n) => n.portFallback)) expect(lab.notes.join(' ')).toMatch(/port 830 could not be bound/);
    else expect(lab.notes).toEqual([]);
  });

  it('writes topology-data.json the way containerlab does', () => {
    const data = JSON.parse(readFileSync(join(dir, 'clab-ospf3', 'topology-data.json'), 'utf8')) as TopologyData;
    expect(data.name).toBe('ospf3');
    expect(data.type).toBe('clab');
    expect(data.clab.config.prefix).toBe('clab');
    expect(Object.keys(data.nodes)).toEqual(['node1', 'node2', 'node3']);
    const n2 = data.nodes['node2'];
    expect(n2).toMatchObject({
      index: '1',
      shortname: 'node2',
      longname: 'clab-ospf3-node2',
      fqdn: 'node2.ospf3.io',
      kind: 'juniper_vjunosrouter',
      'mgmt-ipv4-address': '127.20.21.2',
      'mgmt-ipv4-prefix-length': 24,
      labdir: join(dir, 'clab-ospf3', 'node2'),
    });
    expect(n2?.labels).toMatchObject({
      containerlab: 'ospf3',
      'clab-node-name': 'node2',
      'clab-node-longname': 'clab-ospf3-node2',
      'clab-node-kind': 'juniper_vjunosrouter',
      'clab-topo-file': join(dir, 'ospf3.clab.yml'),
    });
    const node2 = lab.nodes[1];
    if (node2?.portFallback) expect(n2?.labels['clab-bot.port']).toBe(String(node2.port));
    else expect(n2?.labels['clab-bot.port']).toBeUndefined();
    expect(data.links).toEqual([
      { endpoints: { a: expect.objectContaining({ node: 'node1', interface: 'ge-0/0/1', peer: 'z' }), z: expect.objectContaining({ node: 'node2', interface: 'ge-0/0/0', peer: 'a' }) } },
      { endpoints: { a: expect.objectContaining({ node: 'node2', interface: 'ge-0/0/1', peer: 'z' }), z: expect.objectContaining({ node: 'node3', interface: 'ge-0/0/0', peer: 'a' }) } },
    ]);
  });

  it('writes the nornir simple inventory with the credentials, and a topology file', () => {
    const inv = YAML.parse(readFileSync(join(dir, 'clab-ospf3', 'nornir-simple-inventory.yml'), 'utf8')) as Record<string, Record<string, string>>;
    expect(inv['node3']).toEqual({ username: 'admin', password: 'admin@123', platform: 'juniper_vjunosrouter', hostname: '127.20.21.3' });
    const topo = YAML.parse(readFileSync(join(dir, 'ospf3.clab.yml'), 'utf8')) as { name: string; topology: { nodes: Record<string, { kind: string; 'mgmt-ipv4': string }> } };
    expect(topo.name).toBe('ospf3');
    expect(topo.topology.nodes['node1']).toMatchObject({ kind: 'juniper_vjunosrouter', 'mgmt-ipv4': '127.20.21.1' });
  });

  it('wires an OSPF chain: the middle router sees both neighbours Full and routes to every loopback', async () => {
    const n2 = lab.nodes[1];
    const n1 = lab.nodes[0];
    if (n2 === undefined || n1 === undefined) throw new Error('nodes missing');
    const neighbors = await command(n2.host, n2.port, 'show ospf neighbor');
    expect(neighbors).toMatch(/10\.1\.1\.0\s+ge-0\/0\/0\.0\s+Full\s+10\.255\.0\.1\s/);
    expect(neighbors).toMatch(/10\.1\.2\.1\s+ge-0\/0\/1\.0\s+Full\s+10\.255\.0\.3\s/);
    const routes = await command(n1.host, n1.port, 'show route 10.255.0.3');
    expect(routes).toMatch(/10\.255\.0\.3\/32\s+\*\[OSPF\/10\] [\d:]+, metric 2\n\s+>  to 10\.1\.1\.1 via ge-0\/0\/1\.0/);
    const version = await command(n1.host, n1.port, 'show version');
    expect(version).toContain('Hostname: node1');
  });
});

describe('simulated lab: port fallback, kinds and bad options', () => {
  let blocker: Server | undefined;
  let lab: SimLab | undefined;
  afterAll(async () => {
    await lab?.close();
    await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
  });

  it('falls back to an ephemeral port when 830 is taken or needs root, and records it in the labels', async () => {
    // Occupy 830 on the first address; when that needs root, the lab hits the same EACCES.
    blocker = await new Promise<Server | undefined>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(undefined));
      s.listen(830, '127.20.22.1', () => resolve(s));
    });
    const dir = tempDir();
    lab = await startSimLab({ lab: 'fallback', kind: 'juniper_vjunosswitch', count: 2, dir, baseIp: '127.20.22.1' });
    for (const n of lab.nodes) {
      expect(n.portFallback).toBe(true);
      expect(n.port).not.toBe(830);
    }
    expect(lab.notes.join(' ')).toMatch(/port 830 could not be bound .*clab-bot\.port/);
    const data = JSON.parse(readFileSync(join(dir, 'clab-fallback', 'topology-data.json'), 'utf8')) as TopologyData;
    expect(data.nodes['node2']?.labels['clab-bot.port']).toBe(String(lab.nodes[1]?.port));
    const n1 = lab.nodes[0];
    if (n1 === undefined) throw new Error('node missing');
    expect(await command(n1.host, n1.port, 'show version')).toContain('Model: ex9214');
  });

  it('accepts containerlab aliases (vr-vmx runs rfc-compliant like vrnetlab configures it)', async () => {
    const dir = tempDir();
    const vmx = await startSimLab({ lab: 'alias', kind: 'vr-vmx', count: 1, dir, baseIp: '127.20.23.1', port: 0 });
    try {
      expect(vmx.kind).toBe('juniper_vmx');
      const n = vmx.nodes[0];
      if (n === undefined) throw new Error('node missing');
      const nc = await connectNetconf({ host: n.host, port: n.port });
      try {
        expect(await nc.rpc('<get-software-information/>')).toMatch(/^<nc:rpc-reply /);
      } finally {
        nc.close();
      }
    } finally {
      await vmx.close();
    }
  });

  it('refuses unknown kinds, non-loopback addresses and bad counts with usage errors', async () => {
    const dir = tempDir();
    await expect(startSimLab({ lab: 'x', kind: 'nokia_frobnicator', count: 1, dir })).rejects.toThrow(UsageError);
    await expect(startSimLab({ lab: 'x', kind: 'nokia_frobnicator', count: 1, dir })).rejects.toMatchObject({ hint: expect.stringContaining('juniper_vjunosrouter') });
    await expect(startSimLab({ lab: 'x', kind: 'vjunosrouter', count: 1, dir, baseIp: '10.0.0.1' })).rejects.toThrow(/loopback/);
    await expect(startSimLab({ lab: 'x', kind: 'vjunosrouter', count: 0, dir })).rejects.toThrow(/--count/);
    expect(simulatedKinds()).toContain('juniper_vmx');
  });

  it('simulates cEOS (kind ceos): eAPI over HTTPS on 443 or a fallback port, a chain with Full OSPF adjacencies', async () => {
    const dir = tempDir();
    const ceos = await startSimLab({ lab: 'arista2', kind: 'ceos', count: 2, dir, baseIp: '127.20.23.1' });
    try {
      expect(ceos.kind).toBe('arista_ceos');
      expect(simulatedKinds()).toContain('arista_ceos');
      for (const n of ceos.nodes) expect(n.portFallback).toBe(n.port !== 443);
      const data = JSON.parse(readFileSync(join(ceos.labDir, 'topology-data.json'), 'utf8')) as TopologyData;
      expect(data.nodes['node1']?.['kind']).toBe('arista_ceos');
      expect(data.links[0]?.endpoints.a).toMatchObject({ node: 'node1', interface: 'Ethernet2' });
      expect(data.links[0]?.endpoints.z).toMatchObject({ node: 'node2', interface: 'Ethernet1' });
      const nornir = YAML.parse(readFileSync(join(ceos.labDir, 'nornir-simple-inventory.yml'), 'utf8')) as Record<string, Record<string, string>>;
      expect(nornir['node1']).toMatchObject({ username: 'admin', password: 'admin', platform: 'arista_ceos' });
      const node2 = ceos.nodes[1];
      if (node2 === undefined) throw new Error('no node2');
      const { request } = await import('node:https');
      const output = await new Promise<string>((resolve, reject) => {
        const req = request({ host: node2.host, port: node2.port, path: '/command-api', method: 'POST', auth: 'admin:admin', rejectUnauthorized: false }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(((JSON.parse(body) as { result: { output: string }[] }).result[0] as { output: string }).output));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ jsonrpc: '2.0', method: 'runCmds', params: { version: 1, cmds: ['show ip ospf neighbor'], format: 'text' }, id: '1' }));
      });
      expect(output).toMatch(/^10\.255\.0\.1 +1 +default +0 +FULL .* 10\.1\.1\.0 +Ethernet1$/m);
    } finally {
      await ceos.close();
    }
  });
});
