import { mkdir, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { parseTopologyData, readTopologyData } from '../../../src/inventory/readers/topology-data.js';
import { FIXTURES, removeTempDirs, stage, tempDir } from './helpers.js';

afterAll(removeTempDirs);

describe('topology-data.json reader', () => {
  it('reads the current shape (ssh-pub-keys, port-bindings, link endpoints)', async () => {
    const dir = await stage('deployed');
    const file = join(dir, 'clab-jlab/topology-data.json');
    const { labs, warnings } = await readTopologyData(file);
    expect(warnings).toEqual([]);
    const lab = labs[0];
    expect(lab).toMatchObject({ name: 'jlab', origin: 'topology-data', source: file, dir, dataDir: join(dir, 'clab-jlab') });
    expect(lab?.nodes.map((n) => [n.name, n.longName, n.kind, n.mgmtIpv4, n.mgmtIpv6, n.group])).toEqual([
      ['ce1', 'clab-jlab-ce1', 'linux', '172.30.30.31', '3fff:172:30:30::31', 'customers'],
      ['pe1', 'clab-jlab-pe1', 'juniper_vjunosrouter', '172.30.30.11', '3fff:172:30:30::11', undefined],
      ['pe2', 'clab-jlab-pe2', 'juniper_vjunosrouter', '172.30.30.12', '3fff:172:30:30::12', undefined],
      ['rr1', 'clab-jlab-rr1', 'crpd', '172.30.30.21', '3fff:172:30:30::21', undefined],
    ]);
    expect(lab?.nodes[1]?.labels).toMatchObject({ role: 'pe', site: 'lab-a', containerlab: 'jlab' });
    expect(lab?.nodes[1]?.image).toBe('vrnetlab/juniper_vjunos-router:24.2R1-S2.5');
  });

  it('reads the older docs shape: kind as typed, placeholder paths, no keys or port bindings', async () => {
    const file = join(FIXTURES, 'docs-shape/topology-data.json');
    const { labs, warnings } = await readTopologyData(file);
    expect(warnings).toEqual([]);
    const lab = labs[0];
    expect(lab?.name).toBe('core02');
    // Placeholders are not absolute paths: the lab directory is the file's folder (not in clab-core02/).
    expect(lab?.dir).toBe(join(FIXTURES, 'docs-shape'));
    expect(lab?.dataDir).toBeUndefined();
    expect(lab?.nodes.map((n) => [n.name, n.kind, n.mgmtIpv4, n.longName])).toEqual([
      ['c1', 'srl', '172.20.20.7', 'clab-core02-c1'],
      ['c2', 'srl', '172.20.20.8', 'clab-core02-c2'],
    ]);
  });

  it('treats an empty file as a deploy in progress', () => {
    const result = parseTopologyData('', '/labs/clab-x/topology-data.json');
    expect(result.labs).toEqual([]);
    expect(result.warnings).toEqual([expect.objectContaining({ cause: 'empty', message: expect.stringContaining('empty: containerlab writes it empty') })]);
  });

  it.each([
    ['{"name": "x", "nodes": {"r1": {"kind": "srl"', 'invalid JSON'],
    ['{"nodes": {}}', 'name: expected string'],
    ['{"name": "x", "nodes": []}', 'nodes: expected record'],
    ['{"name": "x", "type": "clab"}', 'nodes: no nodes in the file'],
  ])('warns about %s', (text, expected) => {
    const result = parseTopologyData(text, '/labs/clab-x/topology-data.json');
    expect(result.labs).toEqual([]);
    expect(result.warnings[0]?.message).toContain('/labs/clab-x/topology-data.json: ');
    expect(result.warnings[0]?.message).toContain(expected);
  });

  it('skips one malformed node, naming it, and keeps the rest', () => {
    const text = JSON.stringify({
      name: 'x',
      nodes: {
        good: { kind: 'srl', 'mgmt-ipv4-address': '172.20.20.2' },
        bad: { kind: 'srl', labels: ['not', 'a', 'map'] },
        nokind: { 'mgmt-ipv4-address': '172.20.20.4' },
      },
    });
    const result = parseTopologyData(text, '/f.json');
    expect(result.labs[0]?.nodes.map((n) => n.name)).toEqual(['good']);
    expect(result.warnings.map((w) => w.message)).toEqual([
      '/f.json: nodes.bad.labels: expected record, received array; node skipped',
      '/f.json: nodes.nokind.kind: no kind; node skipped',
    ]);
  });

  it('keeps a node with no mgmt address, and an IPv6-only one', () => {
    const text = JSON.stringify({
      name: 'x',
      nodes: {
        none: { kind: 'linux', 'mgmt-ipv4-address': '', 'mgmt-ipv4-prefix-length': 0, 'mgmt-ipv6-address': '' },
        v6: { kind: 'linux', 'mgmt-ipv4-address': '', 'mgmt-ipv6-address': '3fff:1::7' },
      },
    });
    const nodes = parseTopologyData(text, '/f.json').labs[0]?.nodes ?? [];
    expect(nodes.map((n) => [n.name, n.mgmtIpv4, n.mgmtIpv6])).toEqual([['none', undefined, undefined], ['v6', undefined, '3fff:1::7']]);
  });

  it('derives a missing long name from the prefix', () => {
    const text = JSON.stringify({ name: 'x', clab: { config: { prefix: 'acme' } }, nodes: { r1: { kind: 'linux' } } });
    expect(parseTopologyData(text, '/f.json').labs[0]?.nodes[0]?.longName).toBe('acme-x-r1');
  });

  it('warns that a lab may be stale when its topology changed after the deploy or is gone', async () => {
    const dir = await stage('deployed');
    const file = join(dir, 'clab-jlab/topology-data.json');
    const later = Date.now() / 1000 + 120;
    await utimes(join(dir, 'jlab.clab.yml'), later, later);
    const changed = await readTopologyData(file);
    expect(changed.labs).toHaveLength(1);
    expect(changed.warnings).toEqual([expect.objectContaining({ cause: 'stale', message: expect.stringContaining('jlab.clab.yml changed after the lab was deployed') })]);

    await rm(join(dir, 'jlab.clab.yml'));
    const gone = await readTopologyData(file);
    expect(gone.labs).toHaveLength(1);
    expect(gone.warnings[0]?.message).toContain('no longer exists');
  });

  it('says nothing about a file that vanished (lab destroyed with --cleanup)', async () => {
    const dir = await tempDir();
    expect(await readTopologyData(join(dir, 'clab-gone/topology-data.json'))).toEqual({ labs: [], warnings: [] });
  });

  it('reports an unreadable path', async () => {
    const dir = await tempDir();
    const asDir = join(dir, 'clab-odd/topology-data.json');
    await mkdir(asDir, { recursive: true });
    const result = await readTopologyData(asDir);
    expect(result.warnings[0]?.message).toContain('cannot read file (EISDIR)');
  });
});
