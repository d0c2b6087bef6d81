import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseInspectJson } from '../../../src/inventory/readers/inspect.js';
import { FIXTURES } from './helpers.js';

async function fixture(name: string) {
  const file = join(FIXTURES, 'inspect', name);
  return parseInspectJson(await readFile(file, 'utf8'), file);
}

describe('containerlab inspect --format json reader', () => {
  it('reads the 0.68+ shape keyed by lab, stripping /prefix and treating N/A as none', async () => {
    const { labs, warnings } = await fixture('by-lab.json');
    expect(warnings).toEqual([]);
    expect(labs.map((l) => [l.name, l.origin, l.dir])).toEqual([['jlab', 'inspect', '/srv/labs'], ['v6only', 'inspect', '/srv/labs']]);
    const jlab = labs[0]?.nodes ?? [];
    expect(jlab.map((n) => [n.name, n.longName, n.kind, n.mgmtIpv4, n.mgmtIpv6, n.group])).toEqual([
      ['ce1', 'clab-jlab-ce1', 'linux', '172.30.30.31', undefined, 'customers'],
      ['pe1', 'clab-jlab-pe1', 'juniper_vjunosrouter', '172.30.30.11', '3fff:172:30:30::11', undefined],
      ['rr1', 'clab-jlab-rr1', 'crpd', undefined, undefined, undefined],
    ]);
    expect(jlab[0]?.labels).toMatchObject({ containerlab: 'jlab', 'clab-node-name': 'ce1', 'clab-topo-file': '/srv/labs/jlab.clab.yml' });
    // prefix __lab-name: `<lab>-<node>`; IPv6 only.
    expect(labs[1]?.nodes.map((n) => [n.name, n.mgmtIpv4, n.mgmtIpv6])).toEqual([['edge1', undefined, '3fff:10:0:1::5']]);
  });

  it('reads the pre-0.68 {"containers": [...]} shape', async () => {
    const { labs, warnings } = await fixture('legacy.json');
    expect(warnings).toEqual([]);
    expect(labs).toHaveLength(1);
    expect(labs[0]?.name).toBe('old01');
    expect(labs[0]?.nodes.map((n) => [n.name, n.kind, n.mgmtIpv4, n.mgmtIpv6])).toEqual([
      ['srl', 'srl', '172.20.20.2', '3fff:172:20:20::2'],
      ['vmx', 'vr-vmx', '172.20.20.3', undefined],
    ]);
  });

  it('reads --details output from container labels and leaves tool containers out', async () => {
    const { labs, warnings } = await fixture('details.json');
    expect(warnings).toEqual([]);
    expect(labs[0]).toMatchObject({ name: 'jlab', dir: '/srv/labs', dataDir: '/srv/labs/clab-jlab' });
    expect(labs[0]?.nodes.map((n) => [n.name, n.longName, n.kind, n.mgmtIpv4, n.labels['role']])).toEqual([
      ['pe1', 'clab-jlab-pe1', 'juniper_vjunosrouter', '172.30.30.11', 'pe'],
    ]);
  });

  it('derives short names from long names under any prefix', () => {
    const entry = (name: string) => ({ lab_name: 'lab1', name, kind: 'linux', ipv4_address: 'N/A' });
    const text = JSON.stringify({ lab1: [entry('clab-lab1-a'), entry('lab1-b'), entry('acme-lab1-c'), entry('d')] });
    const nodes = parseInspectJson(text, 'i.json').labs[0]?.nodes ?? [];
    expect(nodes.map((n) => [n.name, n.longName])).toEqual([
      ['a', 'clab-lab1-a'], ['b', 'lab1-b'], ['c', 'acme-lab1-c'], ['d', 'd'],
    ]);
  });

  it('reads "{}" (nothing running) as no labs, silently', () => {
    expect(parseInspectJson('{}\n', 'inspect')).toEqual({ labs: [], warnings: [] });
  });

  it.each([
    ['', 'empty'],
    ['{"jlab": [', 'invalid JSON'],
    ['"text"', 'expected an object keyed by lab name'],
    ['{"jlab": {"name": "x"}}', 'jlab: expected a list of containers'],
    ['{"containers": [{"name": "clab-x-r1", "kind": "linux"}]}', 'containers[0].lab_name: no lab name'],
    ['{"x": [{"lab_name": "x", "kind": "linux", "ipv4_address": 7}]}', 'x[0].ipv4_address: expected string'],
  ])('warns about %j', (text, expected) => {
    const result = parseInspectJson(text, 'inspect.json');
    expect(result.labs).toEqual([]);
    expect(result.warnings[0]?.message).toContain(`inspect.json: ${expected}`);
  });

  it('keeps a container whose address is garbled, without the address', () => {
    const result = parseInspectJson('{"x": [{"lab_name": "x", "name": "clab-x-r1", "kind": "linux", "ipv4_address": "banana/24"}]}', 'i.json');
    expect(result.labs[0]?.nodes[0]?.mgmtIpv4).toBeUndefined();
    expect(result.warnings.map((w) => w.message)).toEqual(['i.json: x[0].ipv4_address: not an IPv4 address; ignored']);
  });
});
