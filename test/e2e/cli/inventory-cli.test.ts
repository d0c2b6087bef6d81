import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../../helpers/cli.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'containerlab');

describe('clab-bot labs / nodes from a terminal', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clab-cli-'));
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the nodes of a directory of topologies as JSON with canonical kind, vendor and group', async () => {
    const r = await runCli(['nodes', '--all', '--labs', join(FIXTURES, 'examples'), '--output', 'json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const nodes = JSON.parse(r.stdout) as { lab: string; name: string; kind: string; vendor: string; mgmtIpv4: string | null; host: string; group: string | null }[];
    expect(nodes.length).toBeGreaterThan(3);
    for (const n of nodes) {
      expect(n).toHaveProperty('labels');
      // An undeployed topology has no mgmt address: the host is containerlab's long name.
      if (n.mgmtIpv4 === null) expect(n.host).toMatch(new RegExp(`^clab-${n.lab}-${n.name}$`));
    }
    const vswitch = nodes.find((n) => n.kind === 'juniper_vjunosswitch');
    expect(vswitch?.vendor).toBe('juniper');
    expect(nodes.some((n) => n.kind === 'nodes' || n.kind === '')).toBe(false);
  });

  it('reads one file by its content, and selectors narrow the list', async () => {
    const r = await runCli(['nodes', '--kind', 'srl', '--labs', join(FIXTURES, 'docs-shape', 'topology-data.json'), '--output', 'json'], { env });
    expect(r.code).toBe(0);
    const nodes = JSON.parse(r.stdout) as { kind: string; vendor: string; mgmtIpv4: string }[];
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) {
      expect(n.kind).toBe('nokia_srlinux');
      expect(n.vendor).toBe('nokia');
      expect(n.mgmtIpv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
  });

  it('an unknown node is a usage error (exit 2) with suggestions, and nothing runs', async () => {
    const r = await runCli(['nodes', 'nosuchnode', '--labs', join(FIXTURES, 'examples')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown node "nosuchnode"/);
    expect(r.stdout).toBe('');
  });

  it('a malformed topology gives a one-line warning naming the file and the field, the other labs still load', async () => {
    const labs = join(dir, 'labs');
    cpSync(join(FIXTURES, 'examples'), labs, { recursive: true });
    writeFileSync(join(labs, 'broken.clab.yml'), 'name: broken\ntopology:\n  nodes:\n    r1:\n      kind: [not, a, string]\n');
    const r = await runCli(['labs', '--labs', labs], { env });
    expect(r.code).toBe(0);
    const warning = r.stdout.split('\n').find((l) => l.includes('broken.clab.yml'));
    expect(warning).toBeDefined();
    expect(warning).toMatch(/kind/);
    expect(r.stdout).toMatch(/LAB\s+NODES/);
  });

  it('help for a verb lists its usage and the terminal options; a bad flag names the usage line', async () => {
    const help = await runCli(['help', 'exec'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/clab-bot exec SELECTOR/);
    expect(help.stdout).toMatch(/--labs PATH/);
    const bad = await runCli(['exec', '--kindd', 'srl', 'show', 'version'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--kind/);
    expect(bad.stderr).toMatch(/usage: clab-bot exec/);
  });
});
