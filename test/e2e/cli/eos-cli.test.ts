import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { SimProcesses } from '../../helpers/sim-processes.js';

/**
 * Issue "Arista EOS over eAPI", done-when: `clab-bot sim` starts vJunos routers, SR Linux and cEOS
 * switches side by side (three labs in one directory), then the terminal commands run against
 * them over real NETCONF/SSH, JSON-RPC/HTTPS and eAPI/HTTPS on loopback, each in its own process.
 */
const sims = new SimProcesses();

// Each step is a fresh clab-bot process; on a loaded machine a handful of them take a while.
describe('mixed vJunos + SR Linux + cEOS lab from a terminal', { timeout: 240_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[]) => runCli([...args, '--labs', dir], { env, timeoutMs: 120_000 });
  const sessions = async (node: string): Promise<string> => {
    const r = await cli(['exec', node, 'show', 'configuration', 'sessions', 'detail']);
    expect(r.code).toBe(0);
    return r.stdout;
  };
  const running = async (node: string): Promise<string> => {
    const r = await cli(['exec', node, '--output', 'json', 'show', 'running-config']);
    return (JSON.parse(r.stdout) as { results: { output: string }[] }).results[0]!.output;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-eos-cli-'));
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
    await Promise.all([
      sims.start(['--lab', 'core', '--kind', 'vjunosrouter', '--count', '2', '--prefix', 'router', '--dir', dir, '--base-ip', '127.20.51.1']),
      sims.start(['--lab', 'fabric', '--kind', 'ceos', '--count', '2', '--prefix', 'leaf', '--dir', dir, '--base-ip', '127.20.52.1']),
      sims.start(['--lab', 'edge', '--kind', 'srl', '--count', '1', '--prefix', 'srl', '--dir', dir, '--base-ip', '127.20.53.1']),
    ]);
    writeFileSync(join(dir, 'x.cfg'), 'interface Ethernet1\n   description managed by clab-bot\n!\nntp server 10.0.0.123\n');
  }, 120_000);

  afterAll(async () => {
    await sims.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exec --all --output json show version: every node of the three vendors ok', async () => {
    const r = await cli(['exec', '--all', '--output', 'json', 'show', 'version']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { results: { node: string; ok: boolean; output: string }[] };
    expect(out.results.map((x) => x.node).sort()).toEqual(['leaf1', 'leaf2', 'router1', 'router2', 'srl1']);
    const expected: Record<string, RegExp> = { leaf: /^Arista cEOSLab\n/, router: /Junos: \d+\.\d+R\d/, srl: /srl1/ };
    for (const x of out.results) {
      expect(x.ok, x.node).toBe(true);
      expect(x.output).toMatch(expected[x.node.replace(/\d+$/, '')]!);
    }
  });

  it('config --kind ceos --dry-run shows the session diff per node and leaves no session open', async () => {
    const before = await running('leaf1');
    const r = await cli(['config', '--kind', 'ceos', '--file', 'x.cfg', '--dry-run']);
    expect(r.code).toBe(0);
    for (const leaf of ['leaf1', 'leaf2']) {
      expect(r.stdout).toMatch(new RegExp(`== ${leaf} \\(fabric, arista_ceos\\)  ok`));
      expect(r.stdout).toContain(`+++ session:/clab-bot-${leaf}-session-config`);
    }
    expect(r.stdout).toContain('+ntp server 10.0.0.123');
    expect(r.stdout).toContain('+   description managed by clab-bot');
    expect(r.stdout).not.toMatch(/router\d/);
    expect(r.stdout).toMatch(/nothing was committed/);
    for (const leaf of ['leaf1', 'leaf2']) expect(await sessions(leaf)).not.toMatch(/clab-bot/);
    expect(await running('leaf1')).toBe(before);
  });

  it('without --dry-run: approval, commit timer, confirm; rollback through approval restores the earlier configuration', async () => {
    const before = { leaf1: await running('leaf1'), leaf2: await running('leaf2') };
    const proposed = await cli(['config', '--kind', 'ceos', '--file', 'x.cfg', '--confirm', '5']);
    expect(proposed.stdout).toMatch(/not committed; the change stays planned/);
    const id = /clab-bot change (\d+) approve/.exec(proposed.stdout)![1]!;
    expect(await running('leaf1')).toBe(before.leaf1);

    const approved = await cli(['change', id, 'approve']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`change #${id} committed`));
    expect(approved.stdout).toMatch(/commit confirmed 5 min/);
    expect(approved.stdout).toMatch(new RegExp(`fabric/leaf1  plan ok, committed \\(commit clab-bot-${id}-leaf1-[0-9a-f]{6}\\)`));
    // The commit timer was confirmed: the session is completed, none is pending.
    const list = await sessions('leaf1');
    expect(list).toMatch(new RegExp(`clab-bot-${id}-leaf1-[0-9a-f]{6} +completed`));
    expect(list).not.toMatch(/^ +\S+ +pending/m);
    expect(await running('leaf1')).toContain('ntp server 10.0.0.123');

    // A confirmed commit counts as two commits, as on Junos: rollback 2 is the configuration before the change.
    const rollback = await cli(['rollback', 'leaf1,leaf2', '2']);
    expect(rollback.stdout).toContain('-ntp server 10.0.0.123');
    const rid = /clab-bot change (\d+) approve/.exec(rollback.stdout)![1]!;
    const undone = await cli(['change', rid, 'approve']);
    expect(undone.stdout).toMatch(new RegExp(`change #${rid} committed`));
    expect(await running('leaf1')).toBe(before.leaf1);
    expect(await running('leaf2')).toBe(before.leaf2);
  });
});
