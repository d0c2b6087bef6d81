import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, spawnDemo, type DemoProcess } from './demo-helpers.js';

// `clab-bot demo --vendors junos,srlinux`: one command on both vendors, then a diff for each.
describe('clab-bot demo with a mixed lab', { timeout: 120_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: DemoProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clab-demo-mixed-'));
    env = demoEnv(join(dir, 'history'));
  });
  afterAll(() => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs show version on vJunos and SR Linux and shows a Junos and an SR Linux diff, committing nothing', async () => {
    const demo = spawnDemo(['--vendors', 'junos,srlinux', '--nodes', '2'], env);
    running.push(demo);
    const [, labDir] = await demo.waitFor('stderr', /demo lab ready: 4 nodes, files in (\S+)/, 90_000);
    demo.child.stdin.end(
      [
        'exec --all show version',
        'config router1 --file configs/ntp-ospf.conf --dry-run',
        'config --kind srl --file configs/srl-change.set --dry-run',
        'exec leaf1 info flat system information',
      ].join('\n') + '\n',
    );
    const { code } = await demo.waitForExit();
    expect(demo.stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    for (const name of ['router1', 'router2']) expect(demo.stdout).toMatch(new RegExp(`^== ${name} \\(demo, juniper_vjunosrouter\\)  ok`, 'm'));
    for (const name of ['leaf1', 'leaf2']) expect(demo.stdout).toMatch(new RegExp(`^== ${name} \\(demo-srl, nokia_srlinux\\)  ok`, 'm'));
    expect(demo.stdout).toMatch(/Software Version\s*: v24\.10\.1/);
    expect(demo.stdout).toMatch(/\+\s+server 10\.255\.0\.100;/);
    expect(demo.stdout).toMatch(/\+\s+description "core uplink \(demo\)"/);
    expect(demo.stdout).toMatch(/\+\s+location "demo rack 1"/);
    // Dry runs only: the SR Linux running configuration has no location.
    const lastAnswer = demo.stdout.split('== leaf1 (demo-srl, nokia_srlinux)').at(-1) ?? '';
    expect(lastAnswer).toContain('set / system information');
    expect(lastAnswer).not.toContain('demo rack 1');
    expect(existsSync(dirname(labDir!))).toBe(false);
  });

  it('adds cEOS nodes with --vendors junos,srlinux,eos: show version on all three, and a configuration-session diff that leaves no session', async () => {
    const demo = spawnDemo(['--vendors', 'junos,srlinux,eos', '--nodes', '1'], env);
    running.push(demo);
    await demo.waitFor('stderr', /demo lab ready: 3 nodes, files in (\S+)/, 90_000);
    demo.child.stdin.end(
      [
        'exec --all show version',
        'config --kind ceos --file configs/eos-change.cfg --dry-run',
        'exec spine1 show configuration sessions detail',
      ].join('\n') + '\n',
    );
    const { code } = await demo.waitForExit();
    expect(demo.stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(demo.stdout).toMatch(/^== router1 \(demo, juniper_vjunosrouter\)  ok/m);
    expect(demo.stdout).toMatch(/^== leaf1 \(demo-srl, nokia_srlinux\)  ok/m);
    expect(demo.stdout).toMatch(/^== spine1 \(demo-ceos, arista_ceos\)  ok/m);
    expect(demo.stdout).toMatch(/\+\s*description core uplink \(demo\)/);
    expect(demo.stdout).toMatch(/\+\s*ntp server 10\.255\.0\.100/);
    // The dry run aborted its session: none is pending on the device afterwards.
    const sessions = demo.stdout.split('== spine1 (demo-ceos, arista_ceos)').at(-1) ?? '';
    expect(sessions).toContain('Maximum number of pending sessions');
    expect(sessions).not.toMatch(/clab-bot-\S+\s+pending/);
  });

  it('adds XRd and IOL nodes with --vendors iosxr,ios: show version on both, an XR session diff that leaves no session, an IOS diff from running', async () => {
    const demo = spawnDemo(['--vendors', 'iosxr,ios', '--nodes', '1'], env);
    running.push(demo);
    await demo.waitFor('stderr', /demo lab ready: 2 nodes, files in (\S+)/, 90_000);
    demo.child.stdin.end(
      [
        'exec --all show version',
        'config --kind xrd --file configs/xr-change.cfg --dry-run',
        'config --kind iol --file configs/ios-change.cfg --dry-run',
        'exec xrd1 show configuration sessions',
      ].join('\n') + '\n',
    );
    const { code } = await demo.waitForExit();
    expect(demo.stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(demo.stdout).toMatch(/^== xrd1 \(demo-xrd, cisco_xrd\)  ok/m);
    expect(demo.stdout).toMatch(/^== iol1 \(demo-iol, cisco_iol\)  ok/m);
    expect(demo.stdout).toContain('Cisco IOS XR Software, Version 24.1.1');
    expect(demo.stdout).toContain('+  ntp\n+   server 10.255.0.100\n');
    expect(demo.stdout).toContain('   interface Loopback0\n+   description router id (demo)\n');
    expect(demo.stdout).toContain('warning: IOS has no candidate configuration');
    // The dry run aborted its configuration session: the list is empty.
    const sessions = demo.stdout.split('== xrd1 (demo-xrd, cisco_xrd)').at(-1) ?? '';
    expect(sessions.split('\n').slice(1).join('').trim()).toBe('');
  });
});
