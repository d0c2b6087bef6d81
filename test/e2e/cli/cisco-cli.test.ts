import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { SimProcesses } from '../../helpers/sim-processes.js';

/**
 * Issue "Cisco IOS-XR and IOS over SSH CLI", done-when: `clab-bot sim` starts simulated XRd and
 * IOL nodes side by side (two labs in one directory), then the terminal commands run against them
 * over real SSH shells on loopback, each in its own process: exec on all of them, an XR dry run
 * that leaves no configuration session, an XR change through approval with commit confirmed and
 * its rollback, and an IOS change whose diff and missing commit confirmed are shown as they are.
 */
const sims = new SimProcesses();

describe('mixed XRd + IOL lab from a terminal', { timeout: 240_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[]) => runCli([...args, '--labs', dir], { env, timeoutMs: 120_000 });
  const show = async (node: string, ...command: string[]): Promise<string> => {
    const r = await cli(['exec', node, '--output', 'json', ...command]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { results: { output: string }[] }).results[0]!.output;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-cisco-cli-'));
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
    await Promise.all([
      sims.start(['--lab', 'core', '--kind', 'cisco_xrd', '--count', '2', '--prefix', 'xrd', '--dir', dir, '--base-ip', '127.20.71.1']),
      sims.start(['--lab', 'edge', '--kind', 'cisco_iol', '--count', '2', '--prefix', 'r', '--dir', dir, '--base-ip', '127.20.72.1']),
    ]);
    writeFileSync(join(dir, 'x.cfg'), 'interface GigabitEthernet0/0/0/3\n description managed by clab-bot\n!\nntp\n server 10.0.0.123\n!\n');
    writeFileSync(join(dir, 'ios.cfg'), 'interface Ethernet0/3\n description managed by clab-bot\n!\nntp server 10.0.0.123\n');
  }, 120_000);

  afterAll(async () => {
    await sims.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exec --all --output json show version: every XRd and IOL node ok', async () => {
    const r = await cli(['exec', '--all', '--output', 'json', 'show', 'version']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { results: { node: string; ok: boolean; output: string }[] };
    expect(out.results.map((x) => x.node).sort()).toEqual(['r1', 'r2', 'xrd1', 'xrd2']);
    for (const x of out.results) {
      expect(x.ok, x.node).toBe(true);
      expect(x.output).toMatch(x.node.startsWith('xrd') ? /^Cisco IOS XR Software, Version 24\.1\.1/ : /^Cisco IOS Software \[Dublin\].*Version 17\.12\.1/);
      expect(x.output).toContain(`${x.node} uptime is`);
    }
  });

  it('config --kind cisco_xrd --dry-run shows show commit changes diff per node and leaves no configuration session', async () => {
    const before = await show('xrd1', 'show', 'running-config');
    const r = await cli(['config', '--kind', 'cisco_xrd', '--file', 'x.cfg', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    for (const node of ['xrd1', 'xrd2']) expect(r.stdout).toMatch(new RegExp(`== ${node} \\(core, cisco_xrd\\)  ok`));
    expect(r.stdout).toContain('!! IOS XR Configuration 24.1.1\n+  interface GigabitEthernet0/0/0/3\n+   description managed by clab-bot\n+  !\n+  ntp\n+   server 10.0.0.123\n');
    expect(r.stdout).not.toMatch(/== r\d/);
    expect(r.stdout).toMatch(/nothing was committed/);
    for (const node of ['xrd1', 'xrd2']) expect((await show(node, 'show', 'configuration', 'sessions')).trim()).toBe('');
    expect(await show('xrd1', 'show', 'running-config')).toBe(before);
  });

  it('an XR change: approval, commit confirmed and its confirmation, then rollback through approval', async () => {
    const before = await show('xrd1', 'show', 'running-config');
    const proposed = await cli(['config', '--kind', 'cisco_xrd', '--file', 'x.cfg', '--confirm', '5']);
    expect(proposed.stdout).toMatch(/not committed; the change stays planned/);
    const id = /clab-bot change (\d+) approve/.exec(proposed.stdout)![1]!;
    expect(await show('xrd1', 'show', 'running-config')).toBe(before);

    const approved = await cli(['change', id, 'approve']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`change #${id} committed`));
    expect(approved.stdout).toMatch(/commit confirmed 5 min/);
    expect(approved.stdout).toMatch(/core\/xrd1  plan ok, committed \(commit 1000000001\)/);
    // The commit confirmed was confirmed (no trial left to expire) and made one commit.
    const list = await show('xrd1', 'show', 'configuration', 'commit', 'list');
    expect(list).toMatch(/^1\s+1000000001\s+clab/m);
    expect(list).not.toMatch(/^2\s/m);
    expect(await show('xrd1', 'show', 'running-config', 'ntp')).toBe('ntp\n server 10.0.0.123\n!\n');

    // Confirming is not a commit on XR: rollback 1 is the configuration before the change.
    const rollback = await cli(['rollback', 'xrd1,xrd2', '1']);
    expect(rollback.stdout).toContain('-  ntp\n-   server 10.0.0.123');
    const rid = /clab-bot change (\d+) approve/.exec(rollback.stdout)![1]!;
    const undone = await cli(['change', rid, 'approve']);
    expect(undone.stdout).toMatch(new RegExp(`change #${rid} committed`));
    expect(await show('xrd1', 'show', 'running-config')).toBe(before);
  });

  it('an IOS change shows the computed diff and says commit confirmed is unavailable without an archive', async () => {
    const r = await cli(['config', '--kind', 'cisco_iol', '--file', 'ios.cfg', '--confirm', '5']);
    expect(r.stdout).toMatch(/== edge\/r1  plan ok\n\+  interface Ethernet0\/3\n\+   description managed by clab-bot\n\+  ntp server 10\.0\.0\.123\n/);
    expect(r.stdout).toContain('warning: IOS has no candidate configuration: this diff is computed from show running-config');
    expect(r.stdout).toContain('warning: commit confirmed and rollback are unavailable on this node: the configuration archive is not set up');
    const id = /clab-bot change (\d+) approve/.exec(r.stdout)![1]!;
    const approved = await cli(['change', id, 'approve']);
    expect(approved.stdout).toMatch(new RegExp(`change #${id} committed`));
    expect(approved.stdout).toMatch(/edge\/r2  plan ok, committed/);
    // The approver was not promised a revert timer the device cannot run.
    expect(r.stdout).toContain('plain commit: no revert timer on edge/r1, edge/r2');
    expect(approved.stdout).toContain('plain commit: no revert timer on edge/r1, edge/r2');
    expect(approved.stdout).not.toMatch(/commit confirmed 5 min/);
    expect(await show('r2', 'show', 'running-config', '|', 'section', 'Ethernet0/3')).toBe('interface Ethernet0/3\n description managed by clab-bot\n');
    // Nothing waits for a confirmation the device cannot give.
    expect(await show('r2', 'show', 'archive')).toBe('Archive feature not enabled\n');
  });
});
