import { afterAll, describe, expect, it } from 'vitest';
import { toDot } from '../../../src/graph/dot.js';
import { toMermaid } from '../../../src/graph/mermaid.js';
import type { LabGraph } from '../../../src/graph/model.js';
import { graphBytes, outputFormat } from '../../../src/graph/output.js';
import { MAX_PNG_SIDE } from '../../../src/graph/render.js';
import { readLabLinks } from '../../../src/graph/topology-links.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { buildLabGraph, type GraphReads } from '../../../src/ops/graph-ops.js';
import { mermaidProblems, pngSize, svgParts } from '../../helpers/graph-checks.js';
import { FIXTURES, removeTempDirs, stage, tempDir } from '../inventory/helpers.js';
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Nothing stored and no device to read (the probe of nodes never read answers for none): every node unknown. */
const NOTHING: GraphReads = {
  now: new Date('2026-12-07T04:00:00Z'),
  cachedFacts: async () => new Map(),
  lastExecs: async () => new Map(),
  probe: async () => [],
  exec: async () => {
    throw new Error('no exec without --check ospf|bgp');
  },
};

async function graphOf(fixture: string): Promise<LabGraph> {
  // A topology file is staged alone in a folder of its own; a folder fixture is staged whole.
  const dir = fixture.endsWith('.yml') ? await tempDir() : await stage(fixture);
  if (fixture.endsWith('.yml')) copyFileSync(join(FIXTURES, fixture), join(dir, basename(fixture)));
  const inv = await loadInventory([dir], { env: {} });
  expect(inv.labs.length).toBeGreaterThan(0);
  return buildLabGraph(inv.labs, inv.nodes, undefined, NOTHING);
}

afterAll(removeTempDirs);

/** The containerlab example labs of test/fixtures (both topology-data.json shapes and the topology forms). */
const LABS: Record<string, { nodes: string[]; links: [string, string, string, string][] }> = {
  deployed: {
    nodes: ['ce1', 'pe1', 'pe2', 'rr1'],
    links: [
      ['pe1', 'eth1', 'pe2', 'eth1'],
      ['pe1', 'eth2', 'rr1', 'eth1'],
      ['ce1', 'eth1', 'pe2', 'eth2'],
    ],
  },
  'docs-shape': { nodes: ['c1', 'c2'], links: [['c1', 'e1-1', 'c2', 'e1-1']] },
  'examples/duo.clab.yml': { nodes: ['leaf', 'spine'], links: [['leaf', 'ethernet-1/1', 'spine', 'eth1']] },
  'examples/srl-vswitch.clab.yml': {
    nodes: ['leaf1', 'sw1'],
    links: [
      ['leaf1', 'e1-1', 'sw1', 'eth1'],
      ['leaf1', 'e1-2', 'sw1', 'eth2'],
    ],
  },
  'examples/triangle.clab.yml': {
    nodes: ['r1', 'r2', 'r3', 'h1', 'h2'],
    links: [
      ['r1', 'eth1', 'r2', 'eth1'],
      ['r2', 'eth2', 'r3', 'eth1'],
      ['r3', 'eth2', 'r1', 'eth2'],
      ['h1', 'eth1', 'r1', 'eth3'],
      ['h2', 'eth1', 'r2', 'eth3'],
    ],
  },
};

describe('graph pictures of the example labs', () => {
  it.each(Object.keys(LABS))('%s: the SVG holds every node and every link with the interface at both ends', async (fixture) => {
    const want = LABS[fixture]!;
    const graph = await graphOf(fixture);
    const svg = (await graphBytes(graph, 'svg')).toString('utf8');
    expect(svg.startsWith('<?xml')).toBe(true);
    const nodes = svgParts(svg, 'node');
    for (const name of want.nodes) {
      const node = nodes.find((n) => n.title.endsWith(`/${name}`));
      expect(node, `node ${name}`).toBeDefined();
      expect(node!.texts[0]).toBe(name);
    }
    const edges = svgParts(svg, 'edge');
    expect(edges).toHaveLength(want.links.length);
    const unmatched = [...edges];
    for (const [a, ai, z, zi] of want.links) {
      // Parallel links share a title: each must find an edge of its own carrying both its interfaces.
      const at = unmatched.findIndex((e) => e.title === `${graph.labs[0]}/${a}--${graph.labs[0]}/${z}` && e.texts.includes(ai) && e.texts.includes(zi));
      expect(at, `link ${a}:${ai} -- ${z}:${zi}`).toBeGreaterThanOrEqual(0);
      unmatched.splice(at, 1);
    }
  });

  it('makes a PNG of the size the layout asks for', async () => {
    const graph = await graphOf('deployed');
    const png = await graphBytes(graph, 'png');
    const { width, height } = pngSize(png);
    // Four nodes side by side with the legend under them, at 2 pixels per point.
    expect(width).toBeGreaterThan(600);
    expect(width).toBeLessThan(4000);
    expect(height).toBeGreaterThan(300);
    expect(height).toBeLessThan(2500);
  });

  it('reads the extended link form, draws a host: end as text and counts the hosts without links', async () => {
    const graph = await graphOf('examples/edge-hosts.clab.yml');
    expect(graph.links.map((l) => `${l.a.node}:${l.a.iface}-${l.z.node}:${l.z.iface}`)).toEqual([
      'gw1:ethernet-1/1-gw2:eth1',
      'probe:eth1-gw1:ethernet-1/2',
      'gw2:eth2-host:gw2-uplink',
    ]);
    expect(graph.collapsed).toEqual([{ lab: 'edge01', group: 'servers', count: 3 }]);
    expect(graph.nodes.map((n) => n.name).sort()).toEqual(['gw1', 'gw2', 'host', 'probe']);
    expect(graph.nodes.find((n) => n.name === 'host')?.external).toBe(true);
    const svg = (await graphBytes(graph, 'svg')).toString('utf8');
    expect(svg).toMatch(/<text[^>]*>3 hosts<\/text>/);
    expect(svg).toMatch(/<text[^>]*>servers<\/text>/);
    expect(svg).toMatch(/<text[^>]*>core<\/text>/);
  });

  it('writes the links of a deployed lab from topology-data.json, not the topology file', async () => {
    const dir = await stage('deployed');
    const inv = await loadInventory([dir], { env: {} });
    const read = readLabLinks(inv.labs[0]!);
    expect(read.ok && read.from.endsWith('clab-jlab/topology-data.json')).toBe(true);
  });
});

describe('mermaid output', () => {
  it.each(Object.keys(LABS))('%s parses as a flowchart', async (fixture) => {
    const text = toMermaid(await graphOf(fixture));
    expect(mermaidProblems(text)).toEqual([]);
    expect(text.split('\n').filter((l) => l.includes('---|'))).toHaveLength(LABS[fixture]!.links.length);
  });

  it('quotes names and kinds that would end a label or start markup', () => {
    const graph: LabGraph = {
      labs: ['x'],
      nodes: [
        { lab: 'x', name: 'a"b', kind: 'k<i>n|d#1`', vendor: 'juniper', group: 'g"1', state: 'unreachable', why: '' },
        { lab: 'x', name: 'c]d', kind: 'end', vendor: 'nokia', group: undefined, state: 'reachable', why: '' },
      ],
      links: [{ lab: 'x', a: { node: 'a"b', iface: 'e|1"' }, z: { node: 'c]d', iface: 'e]2' }, adjacency: { a: 'full', z: 'missing', verdict: 'down' } }],
      collapsed: [{ lab: 'x', group: undefined, count: 2 }],
      check: 'ospf',
      notes: [],
    };
    const text = toMermaid(graph);
    expect(mermaidProblems(text)).toEqual([]);
    expect(text).toContain('a#quot;b<br/>k#lt;i#gt;n#124;d#35;1#96;');
    expect(text).toMatch(/^ {2}linkStyle 0 stroke:#c62828/m);
    // The same names survive DOT quoting too.
    expect(toDot(graph)).toContain('"x/a\\"b"');
  });
});

describe('large labs', () => {
  it('draws 260 nodes as groups, with the hosts without links counted, in a PNG of bounded size', async () => {
    const vendors = [
      ['juniper', 'juniper_vjunosrouter'],
      ['nokia', 'nokia_srlinux'],
      ['arista', 'arista_ceos'],
      ['cisco', 'cisco_xrd'],
    ] as const;
    const nodes: LabGraph['nodes'][number][] = [];
    const links: LabGraph['links'][number][] = [];
    for (let i = 0; i < 60; i++) {
      const [vendor, kind] = vendors[i % 4]!;
      nodes.push({ lab: 'big', name: `r${i}`, kind, vendor, group: `pod${Math.floor(i / 15)}`, state: i % 7 === 0 ? 'unreachable' : 'reachable', why: '' });
      links.push({ lab: 'big', a: { node: `r${i}`, iface: 'eth1' }, z: { node: `r${(i + 1) % 60}`, iface: 'eth2' } });
    }
    const graph: LabGraph = {
      labs: ['big'],
      nodes,
      links,
      collapsed: [
        { lab: 'big', group: 'servers-a', count: 120 },
        { lab: 'big', group: 'servers-b', count: 80 },
      ],
      check: undefined,
      notes: [],
    };
    const svg = (await graphBytes(graph, 'svg')).toString('utf8');
    expect(svgParts(svg, 'node')).toHaveLength(62);
    expect(svg).toMatch(/<text[^>]*>120 hosts<\/text>/);
    const { width, height } = pngSize(await graphBytes(graph, 'png'));
    expect(Math.max(width, height)).toBeLessThanOrEqual(MAX_PNG_SIDE);
    expect(Math.min(width, height)).toBeGreaterThan(100);
  });
});

describe('--out and --output', () => {
  it('takes the format from the file name unless --output names it', () => {
    expect(outputFormat('lab.PNG', undefined)).toBe('png');
    expect(outputFormat('lab.mmd', undefined)).toBe('mermaid');
    expect(outputFormat('lab.gv', undefined)).toBe('dot');
    expect(outputFormat('picture', 'svg')).toBe('svg');
    expect(() => outputFormat('lab.png', 'svg')).toThrow(/does not match the file name/);
    expect(() => outputFormat('lab.txt', undefined)).toThrow(/cannot tell the format/);
  });
});
