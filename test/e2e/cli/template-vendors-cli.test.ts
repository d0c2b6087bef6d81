import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoLab, type DemoLab } from '../../../src/sim/demo-lab.js';
import { runCli } from '../../helpers/cli.js';

/** One template, each vendor's own configuration language, chosen by the node's facts. */
const TEMPLATE = `{% set what = node.name ~ " at " ~ node.mgmt_ipv4 %}
{% if node.vendor == "juniper" %}
interfaces { ge-0/0/0 { description "{{ what }}"; } }
{% elif node.vendor == "nokia" %}
set / interface ethernet-1/1 description "{{ what }}"
{% elif node.vendor == "arista" %}
interface Ethernet1
   description {{ what }}
!
{% elif node.kind == "cisco_xrd" %}
interface GigabitEthernet0/0/0/3
 description {{ what }}
!
{% else %}
interface Ethernet0/3
 description {{ what }}
!
{% endif %}
`;

interface PlanJson {
  results: { node: string; lab: string; ok: boolean; error: unknown; diff: string | null; check: { ok: boolean } | null }[];
  rendered: Record<string, { content: string; sha256: string }>;
}

/**
 * Templates are text in each node's own language, so they work through the driver contract for
 * every kind: a dry run of one template across the demo lab of Junos, SR Linux, EOS, IOS-XR and
 * IOS simulators plans each node with its own rendering over its real protocol.
 */
describe('config --template across vendors from a terminal', { timeout: 300_000 }, () => {
  let dir: string;
  let demo: DemoLab;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-tpl-vendors-'));
    demo = await startDemoLab({ routers: 1, vendors: ['junos', 'srlinux', 'eos', 'iosxr', 'ios'], baseIp: '127.20.63.1' });
    writeFileSync(join(demo.labDir, 'vendors.j2'), TEMPLATE);
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
  }, 90_000);

  afterAll(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans every node of every vendor with its own text, each diff naming the node and its address', async () => {
    const r = await runCli(['config', '--all', '--labs', demo.labDir, '--template', 'vendors.j2', '--dry-run', '--output', 'json'], { env, timeoutMs: 180_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as PlanJson;
    expect(out.results).toHaveLength(5);
    const nodes = await runCli(['nodes', '--all', '--labs', demo.labDir, '--output', 'json'], { env, timeoutMs: 60_000 });
    const facts = JSON.parse(nodes.stdout) as { name: string; lab: string; vendor: string; mgmtIpv4: string }[];
    expect(new Set(facts.map((n) => n.vendor))).toEqual(new Set(['juniper', 'nokia', 'arista', 'cisco']));
    for (const result of out.results) {
      const node = facts.find((n) => n.name === result.node)!;
      expect(result.ok, `${result.node}: ${JSON.stringify(result.error)}`).toBe(true);
      expect(result.check?.ok).toBe(true);
      const rendering = out.rendered[`${result.lab}/${result.node}`]!;
      expect(rendering.content).toContain(`${node.name} at ${node.mgmtIpv4}`);
      expect(rendering.sha256).toMatch(/^[0-9a-f]{64}$/);
      // The device's own diff carries the node's own name and address, and no other node's.
      expect(result.diff).toContain(`${node.name} at ${node.mgmtIpv4}`);
      for (const other of facts.filter((n) => n.name !== node.name)) expect(result.diff).not.toContain(`${other.name} at`);
    }
    expect(r.code).toBe(0);
  });
});
