import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoLab, type DemoLab } from '../../../src/sim/demo-lab.js';
import { runCli } from '../../helpers/cli.js';
import { mermaidProblems, pngSize, svgParts, type SvgPart } from '../../helpers/graph-checks.js';

const RED = '#c62828';
const GREEN = '#2e7d32';

/**
 * `clab-bot graph` on the demo lab (four simulated vJunos routers in an OSPF chain), each step a
 * fresh clab-bot process over one SQLite database: router2 is stopped, router3 stops running OSPF
 * towards router4 (a real commit through the simulator), and the pictures show both in red.
 */
describe('graph from a terminal', { timeout: 300_000 }, () => {
  let dir: string;
  let demo: DemoLab;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string) =>
    runCli([...args, '--labs', demo.labDir], { env, cwd: dir, timeoutMs: 120_000, ...(input === undefined ? {} : { input }) });
  const node = (svg: string, name: string): SvgPart => svgParts(svg, 'node').find((n) => n.title === `demo/${name}`)!;
  const edge = (svg: string, a: string, z: string): SvgPart => svgParts(svg, 'edge').find((e) => e.title === `demo/${a}--demo/${z}`)!;
  const stroke = (part: SvgPart) => /<path [^>]*stroke="([^"]+)"/.exec(part.body)?.[1] ?? /<(?:polygon|ellipse) [^>]*stroke="([^"]+)"/.exec(part.body)?.[1];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-graph-'));
    demo = await startDemoLab({ routers: 4, baseIp: '127.20.81.1' });
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
  }, 90_000);

  afterAll(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the four routers and their links, all Full, with --check ospf', async () => {
    const r = await cli(['graph', '--lab', 'demo', '--check', 'ospf', '--out', 'up.svg']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 nodes: 4 reachable (green), 0 unreachable (red), 0 unknown (grey)');
    expect(r.stdout).toContain('3 links: 3 up (green, OSPF Full at both ends), 0 down (red), 0 unknown (grey)');
    const svg = readFileSync(join(dir, 'up.svg'), 'utf8');
    for (const name of ['router1', 'router2', 'router3', 'router4']) expect(stroke(node(svg, name))).toBe(GREEN);
    for (const [a, z] of [['router1', 'router2'], ['router2', 'router3'], ['router3', 'router4']] as const) {
      const e = edge(svg, a, z);
      expect(e.texts).toEqual(expect.arrayContaining(['ge-0/0/1', 'ge-0/0/0', 'full / full']));
      expect(stroke(e)).toBe(GREEN);
    }
  });

  it('marks a stopped router unreachable and a missing OSPF adjacency down, in red', async () => {
    // router3 stops running OSPF on its link to router4: router4 still reports the neighbour (its dead timer has not run out).
    const commit = await cli(['config', 'router3', '--method', 'set', '--yes'], 'delete protocols ospf area 0.0.0.0 interface ge-0/0/1.0\n');
    expect(commit.code).toBe(0);
    await demo.lab.nodes[1]!.sim.close();

    const r = await cli(['graph', '--lab', 'demo', '--check', 'ospf', '--out', 'down.svg']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 nodes: 3 reachable (green), 1 unreachable (red), 0 unknown (grey)');
    expect(r.stdout).toContain('3 links: 0 up (green, OSPF Full at both ends), 3 down (red), 0 unknown (grey)');
    const svg = readFileSync(join(dir, 'down.svg'), 'utf8');
    expect(stroke(node(svg, 'router2'))).toBe(RED);
    expect(node(svg, 'router2').body).toContain('fill="#f9d6d5"');
    expect(stroke(node(svg, 'router3'))).toBe(GREEN);
    expect(edge(svg, 'router1', 'router2').texts).toContain('full / unreachable');
    expect(edge(svg, 'router3', 'router4').texts).toContain('missing / full');
    for (const [a, z] of [['router1', 'router2'], ['router2', 'router3'], ['router3', 'router4']] as const) expect(stroke(edge(svg, a, z))).toBe(RED);

    // The text summary says the same in words.
    const text = await cli(['graph', '--lab', 'demo']);
    expect(text.stdout).toMatch(/^demo\/router2 +unreachable +juniper_vjunosrouter +\(last exec just now: unreachable\)$/m);
  });

  it('writes demo.png without --check: the stopped router drawn down from the last exec', async () => {
    const r = await cli(['graph', '--lab', 'demo', '--out', 'demo.png']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(dir, 'demo.png')} (png`);
    const png = readFileSync(join(dir, 'demo.png'));
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(800);
    expect(width).toBeLessThan(6000);
    expect(height).toBeGreaterThan(150);
    expect(height).toBeLessThan(3000);
    const svg = await cli(['graph', '--lab', 'demo', '--output', 'svg']);
    expect(stroke(node(svg.stdout, 'router2'))).toBe(RED);
    expect(svg.stderr).toContain('1 unreachable (red)');
  });

  it('prints mermaid and writes dot for docs, and refuses a file name whose format it cannot tell', async () => {
    const mermaid = await cli(['graph', 'demo', '--output', 'mermaid']);
    expect(mermaid.code).toBe(0);
    expect(mermaidProblems(mermaid.stdout)).toEqual([]);
    expect(mermaid.stdout.match(/---\|/g)).toHaveLength(3);
    const dot = await cli(['graph', 'demo', '--out', 'demo.dot']);
    expect(readFileSync(join(dir, 'demo.dot'), 'utf8')).toMatch(/^graph lab \{/);
    expect(dot.code).toBe(0);
    const bad = await cli(['graph', 'demo', '--out', 'demo.txt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot tell the format of demo.txt from its extension');
  });
});
