import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connect.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { runCli } from '../../helpers/cli.js';

/** Three vJunos routers of a deployed lab, each on its own loopback address, linked in a ring. */
const ROUTERS = [
  { name: 'r1', ip: '127.20.61.11' },
  { name: 'r2', ip: '127.20.61.12' },
  { name: 'r12', ip: '127.20.61.22' },
] as const;
const LINKS = [
  ['r1', 'ge-0/0/0', 'r2', 'ge-0/0/0'],
  ['r2', 'ge-0/0/1', 'r12', 'ge-0/0/0'],
  ['r12', 'ge-0/0/1', 'r1', 'ge-0/0/1'],
] as const;

const TEMPLATE = [
  'interfaces {',
  '    lo0 {',
  '        unit 0 {',
  '            description "{{ node.name }} loopback, managed at {{ node.mgmt_ipv4 }}";',
  '            family inet {',
  '                address 10.255.{{ vars.pod }}.{{ node.index }}/32;',
  '            }',
  '        }',
  '    }',
  '{% for l in node.links %}',
  '    {{ l.interface }} {',
  '        description "to {{ l.peer }} {{ l.peer_interface }}";',
  '    }',
  '{% endfor %}',
  '}',
  '',
].join('\n');

/**
 * Issue 18, templates, done-when: `clab-bot config --kind vjunosrouter --template t.j2 --dry-run`
 * against simulated Junos routers (NETCONF over SSH on loopback) shows per-node diffs in which
 * each node's own name and addresses appear; `render` prints the same text without touching a
 * device; a proposed change commits exactly the text rendered at proposal, even after the
 * template file changed.
 */
describe('config --template and render with the real CLI and the Junos simulator', { timeout: 180_000 }, () => {
  let dir: string;
  let sims: JunosSim[];
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli([...args, '--labs', dir], { env, timeoutMs: 90_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-template-'));
    sims = [];
    for (const r of ROUTERS) sims.push(await startJunosSim({ hostname: r.name, host: r.ip, port: 0 }));
    // A deployed lab as containerlab leaves it: the topology file and clab-<lab>/topology-data.json.
    const topo = join(dir, 'tpl.clab.yml');
    writeFileSync(topo, `name: tpl\ntopology:\n  nodes:\n${ROUTERS.map((r) => `    ${r.name}:\n      kind: juniper_vjunosrouter\n`).join('')}`);
    const nodes = Object.fromEntries(
      ROUTERS.map((r, i) => [
        r.name,
        {
          index: String(i),
          shortname: r.name,
          longname: `clab-tpl-${r.name}`,
          fqdn: `${r.name}.tpl.io`,
          group: '',
          labdir: join(dir, 'clab-tpl', r.name),
          kind: 'juniper_vjunosrouter',
          image: 'vrnetlab/juniper_vjunos-router:24.2R1-S2.5',
          'mgmt-ipv4-address': r.ip,
          'mgmt-ipv4-prefix-length': 24,
          'mgmt-ipv6-address': '',
          'mgmt-ipv6-prefix-length': 0,
          labels: {
            'clab-node-kind': 'juniper_vjunosrouter',
            'clab-node-lab-dir': join(dir, 'clab-tpl', r.name),
            'clab-node-name': r.name,
            'clab-topo-file': topo,
            containerlab: 'tpl',
            'clab-bot.port': String(sims[i]!.port),
          },
          'port-bindings': [],
        },
      ]),
    );
    const links = LINKS.map(([a, ai, z, zi]) => ({
      endpoints: { a: { node: a, interface: ai, mac: 'aa:c1:ab:00:00:01', peer: 'z' }, z: { node: z, interface: zi, mac: 'aa:c1:ab:00:00:02', peer: 'a' } },
    }));
    mkdirSync(join(dir, 'clab-tpl'));
    writeFileSync(join(dir, 'clab-tpl', 'topology-data.json'), JSON.stringify({ name: 'tpl', type: 'clab', nodes, links }, null, 2));
    writeFileSync(join(dir, 't.j2'), TEMPLATE);
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
  });

  afterAll(async () => {
    await Promise.all((sims ?? []).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** The output's block for one node (from its `== name (` heading to the next). */
  const blockOf = (out: string, name: string): string => {
    const blocks = out.split(/^(?===? )/m);
    const block = blocks.find((b) => b.startsWith(`== ${name} (`));
    expect(block, `no block for ${name} in:\n${out}`).toBeDefined();
    return block!;
  };

  it('config --kind vjunosrouter --template t.j2 --dry-run: each node its own rendering and diff, nothing committed', async () => {
    const before = sims.map((s) => s.commitHistory().length);
    const r = await cli('config', '--kind', 'vjunosrouter', '--template', 't.j2', '--var', 'pod=7', '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const peers: Record<string, string[]> = {
      r1: ['ge-0/0/0 {\n+        description "to r2 ge-0/0/0";', 'ge-0/0/1 {\n+        description "to r12 ge-0/0/1";'],
      r2: ['ge-0/0/0 {\n+        description "to r1 ge-0/0/0";', 'ge-0/0/1 {\n+        description "to r12 ge-0/0/0";'],
      r12: ['ge-0/0/0 {\n+        description "to r2 ge-0/0/1";', 'ge-0/0/1 {\n+        description "to r1 ge-0/0/1";'],
    };
    for (const router of ROUTERS) {
      const block = blockOf(r.stdout, router.name);
      const index = /\d+$/.exec(router.name)![0];
      expect(block).toMatch(new RegExp(`^== ${router.name} \\(tpl, juniper_vjunosrouter\\)  ok`));
      expect(block).toMatch(/rendered \(sha256 [0-9a-f]{12}\):/);
      // The rendered text, then the device's diff: both with this node's own name and addresses.
      expect(block).toContain(`description "${router.name} loopback, managed at ${router.ip}";`);
      expect(block).toMatch(new RegExp(`\\+\\s+description "${router.name} loopback, managed at ${router.ip.replaceAll('.', '\\.')}";`));
      expect(block).toMatch(new RegExp(`\\+\\s+address 10\\.255\\.7\\.${index}/32;`));
      for (const peer of peers[router.name]!) expect(block.replace(/\+ +/g, '+        ')).toContain(peer.replace(/ +description/, '        description'));
      for (const other of ROUTERS.filter((o) => o.name !== router.name)) expect(block).not.toContain(other.ip);
      expect(block).toContain('commit check: ok');
    }
    expect(r.stdout).toMatch(/dry run \(merge, template t\.j2\): 3 of 3 nodes would change, 0 failing; nothing was committed/);
    expect(sims.map((s) => s.commitHistory().length)).toEqual(before);
  });

  it('render prints each rendering without touching a device', async () => {
    const before = sims.map((s) => s.commitHistory().length);
    const r = await cli('render', '--kind', 'vjunosrouter', '--template', 't.j2', '--var', 'pod=7');
    expect(r.code, r.stderr).toBe(0);
    expect(blockOf(r.stdout, 'r12')).toContain('address 10.255.7.12/32;');
    expect(blockOf(r.stdout, 'r2')).toContain('description "r2 loopback, managed at 127.20.61.12";');
    expect(r.stdout).toMatch(/rendered t\.j2 \(sha256 [0-9a-f]{12}\) for 3 nodes; no device was touched/);
    expect(sims.map((s) => s.commitHistory().length)).toEqual(before);
    const json = JSON.parse((await cli('render', 'r1', '--template', 't.j2', '--var', 'pod=7', '--output', 'json')).stdout) as {
      rendered: { node: string; sha256: string; text: string }[];
    };
    expect(json.rendered.map((x) => x.node)).toEqual(['r1']);
    expect(json.rendered[0]!.text).toContain('address 10.255.7.1/32;');
  });

  it('an undefined variable is an error naming it, the line and the node; nothing is planned', async () => {
    const r = await cli('config', '--kind', 'vjunosrouter', '--template', 't.j2', '--dry-run');
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('t.j2, line 6 for tpl/r1: `vars.pod` is undefined');
    expect(r.stdout + r.stderr).toContain('--var NAME=VALUE');
  });

  it('approval commits exactly the renderings stored at proposal, even after the template file changed', async () => {
    const proposed = await cli('config', '--kind', 'vjunosrouter', '--template', 't.j2', '--var', 'pod=9', '--comment', 'loopbacks');
    expect(proposed.stdout).toMatch(/not committed; the change stays planned/);
    const id = /clab-bot change (\d+) approve/.exec(proposed.stdout)![1]!;
    // The change keeps every node's rendering and its sha256.
    const db = await openDatabase(`sqlite:${join(dir, 'bot.db')}`);
    const stored = await db.db.selectFrom('change_nodes').select(['node', 'source_content', 'source_sha256']).where('change_id', '=', Number(id)).execute();
    await db.close();
    expect(stored.map((s) => s.node).sort()).toEqual(['r1', 'r12', 'r2']);
    for (const s of stored) {
      expect(s.source_content).toContain(`address 10.255.9.${/\d+$/.exec(s.node)![0]}/32;`);
      expect(s.source_sha256).toMatch(/^[0-9a-f]{64}$/);
      // The proposal names the rendering each node will commit by its hash.
      expect(proposed.stdout).toMatch(new RegExp(`== tpl/${s.node}  plan ok  rendering sha256 ${s.source_sha256!.slice(0, 12)} \\(\\d+ lines\\)`));
    }

    // Someone edits the template after the proposal: the approved change must not pick it up.
    writeFileSync(join(dir, 't.j2'), TEMPLATE.replace('loopback, managed', 'EDITED AFTER PROPOSAL'));
    const approved = await cli('change', id, 'approve');
    expect(approved.code, approved.stdout + approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`change #${id} committed`));
    for (const [i, router] of ROUTERS.entries()) {
      const running = sims[i]!.runningConfig();
      expect(running).toContain(`description "${router.name} loopback, managed at ${router.ip}";`);
      expect(running).toContain(`address 10.255.9.${/\d+$/.exec(router.name)![0]}/32;`);
      expect(running).not.toContain('EDITED AFTER PROPOSAL');
    }
  });
});
