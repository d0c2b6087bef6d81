import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alive, childrenOf, connectedToAll, demoEndpoints, demoEnv, listening, spawnDemo, type DemoProcess } from './demo-helpers.js';

// `clab-bot demo` driven as a script: lines on stdin, plain output, exit at EOF or on a signal.
// Each test starts a demo (a Node process and its simulators): generous bounds for a busy CI machine.
describe('clab-bot demo with piped stdin', { timeout: 60_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: DemoProcess[] = [];
  const start = (args: readonly string[]) => {
    const p = spawnDemo(args, env);
    running.push(p);
    return p;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clab-demo-piped-'));
    env = demoEnv(join(dir, 'history'));
  });
  afterAll(() => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers `exec --all show version` for every router, exits 0 at EOF and leaves nothing behind', async () => {
    const demo = start([]);
    const [, labDir] = await demo.waitFor('stderr', /demo lab ready: 4 routers, files in (\S+)/, 45_000);
    const endpoints = demoEndpoints(labDir!);
    expect(endpoints.map((e) => e.name)).toEqual(['router1', 'router2', 'router3', 'router4']);
    for (const e of endpoints) expect(await listening(e.host, e.port)).toBe(true);

    demo.child.stdin.end('exec --all show version\n');
    const { code } = await demo.waitForExit();
    expect(code).toBe(0);
    for (const name of ['router1', 'router2', 'router3', 'router4']) {
      expect(demo.stdout).toMatch(new RegExp(`^== ${name} \\(demo, juniper_vjunosrouter\\)  ok`, 'm'));
      expect(demo.stdout).toMatch(new RegExp(`^Hostname: ${name}$`, 'm'));
      expect(demo.stdout).toMatch(new RegExp(`^${name}\\s+ok\\s`, 'm'));
      // The summary row gives the output's size, never its first line as if it were a verdict.
      expect(demo.stdout).toMatch(new RegExp(`^${name}\\s+ok\\s+\\S+ m?s\\s+\\d+ lines$`, 'm'));
      expect(demo.stdout).not.toMatch(new RegExp(`^${name}\\s+ok\\s.*Hostname`, 'm'));
    }
    // Plain output for a script: no colours, no prompt, no tour, no progress line.
    expect(demo.stdout).not.toMatch(/\x1b\[/);
    expect(demo.stdout).not.toContain('clab-bot>');
    expect(demo.stderr).not.toMatch(/nodes done/);
    // A script's lines are not the user's typing: the history file is left alone.
    expect(existsSync(join(dir, 'history'))).toBe(false);

    expect(existsSync(dirname(labDir!))).toBe(false);
    for (const e of endpoints) expect(await listening(e.host, e.port)).toBe(false);
  });

  it('runs a script of several lines in order: adjacencies, a dry run from a lab file, and a pasted config ended by "."', async () => {
    const demo = start(['--nodes', '3']);
    await demo.waitFor('stderr', /demo lab ready: 3 routers/, 45_000);
    demo.child.stdin.end(
      [
        '# comments and blank lines are skipped',
        '',
        'exec --all show ospf neighbor',
        'config router1 --file configs/ntp-ospf.conf --dry-run',
        'config router3 --dry-run',
        'system {',
        '    location building lab-3;',
        '}',
        '.',
        'nodes --output json',
      ].join('\n'),
    );
    const { code } = await demo.waitForExit();
    expect(code).toBe(0);
    // A chain of three: router2 has two Full adjacencies, the ends one each.
    expect(demo.stdout.match(/^\S+\s+ge-0\/0\/\d\.0\s+Full\s/gm)).toHaveLength(4);
    expect(demo.stdout).toMatch(/^\+\s+reference-bandwidth 100g;$/m);
    expect(demo.stdout).toMatch(/dry run \(merge, file configs\/ntp-ospf.conf\): 1 of 1 nodes would change/);
    expect(demo.stdout).toMatch(/^\+\s+location \{?/m);
    expect(demo.stdout).toMatch(/building lab-3/);
    expect(demo.stdout).toMatch(/dry run \(merge, pasted config\): 1 of 1 nodes would change/);
    const json = JSON.parse(demo.stdout.slice(demo.stdout.indexOf('\n[\n') + 1)) as { name: string; lab: string }[];
    expect(json.map((n) => `${n.lab}/${n.name}`)).toEqual(['demo/router1', 'demo/router2', 'demo/router3']);
  });

  it('--base-ip puts the routers on other addresses; console messages name commands without the clab-bot prefix', async () => {
    const demo = start(['--nodes', '2', '--base-ip', '127.20.77.1']);
    const [, labDir] = await demo.waitFor('stderr', /demo lab ready: 2 routers, files in (\S+)/, 45_000);
    expect(demoEndpoints(labDir!).map((e) => e.host)).toEqual(['127.20.77.1', '127.20.77.2']);
    demo.child.stdin.end(['clear', 'nodes --output json', 'frobnicate', 'exec', 'config router1 --file configs/ntp-ospf.conf --as x'].join('\n'));
    expect((await demo.waitForExit()).code).toBe(2);
    const json = JSON.parse(demo.stdout.slice(demo.stdout.indexOf('[\n'))) as { mgmtIpv4: string | null; host: string }[];
    expect(json.map((n) => n.mgmtIpv4 ?? n.host)).toEqual(['127.20.77.1', '127.20.77.2']);
    // `clear` in a script prints nothing (no escape codes) and is not an unknown verb.
    expect(demo.stdout).not.toMatch(/\x1b/);
    expect(demo.stderr).not.toMatch(/unknown verb "clear"/);
    expect(demo.stderr).toMatch(/^usage: VERB \[ARGS\.\.\.\]/m);
    expect(demo.stderr).toMatch(/^usage: exec SELECTOR /m);
    expect(demo.stderr).toMatch(/see "help exec"/);
    expect(demo.stderr + demo.stdout).not.toMatch(/clab-bot (help|exec|change|VERB)/);
  });

  it('a proposed change in the console names the next step as typed there', async () => {
    const demo = start(['--nodes', '1', '--as', 'user:U0DEMO']);
    await demo.waitFor('stderr', /demo lab ready/, 45_000);
    demo.child.stdin.end('config router1 --file configs/ntp-ospf.conf\n');
    expect((await demo.waitForExit()).code).toBe(0);
    expect(demo.stdout).toMatch(/to commit: change \d+ approve {3}\(reject: change \d+ reject;/);
    expect(demo.stdout).not.toMatch(/clab-bot change/);
  });

  it('reports the worst exit code of the script: a usage error is 2, a failing commit check 1', async () => {
    const usage = start(['--nodes', '1']);
    await usage.waitFor('stderr', /demo lab ready/, 45_000);
    usage.child.stdin.end('exec router9 show version\n');
    expect((await usage.waitForExit()).code).toBe(2);
    expect(usage.stderr).toMatch(/unknown node "router9"/);
    expect(usage.stderr).toMatch(/router1/);

    const broken = start(['--nodes', '1']);
    await broken.waitFor('stderr', /demo lab ready/, 45_000);
    broken.child.stdin.end('config router1 --file configs/broken-ospf.conf --dry-run\n');
    expect((await broken.waitForExit()).code).toBe(1);
    expect(broken.stdout).toMatch(/commit check: FAILED/);
    expect(broken.stdout).toMatch(/interface ge-0\/0\/7\.0 is not configured/);
  });

  it('exits on SIGINT while waiting for input, with its routers closed and its files removed', async () => {
    const demo = start(['--nodes', '2']);
    const [, labDir] = await demo.waitFor('stderr', /demo lab ready: 2 routers, files in (\S+)/, 45_000);
    const endpoints = demoEndpoints(labDir!);
    demo.child.stdin.write('exec router2 show ospf neighbor\n');
    await demo.waitFor('stdout', /^10\.1\.1\.0\s+ge-0\/0\/0\.0\s+Full\s+10\.255\.0\.1\s/m);
    expect(childrenOf(demo.child.pid!)).toEqual([]);

    demo.child.kill('SIGINT');
    const { code } = await demo.waitForExit();
    expect(code).toBe(130);
    expect(alive(demo.child.pid!)).toBe(false);
    expect(existsSync(dirname(labDir!))).toBe(false);
    for (const e of endpoints) expect(await listening(e.host, e.port)).toBe(false);
  });

  it('SIGINT during a slow request cancels it and exits', async () => {
    const demo = start(['--nodes', '2', '--latency', '5000']);
    const [, labDir] = await demo.waitFor('stderr', /demo lab ready: 2 routers, files in (\S+)/, 45_000);
    const started = Date.now();
    demo.child.stdin.write('exec --all show version\n');
    // The request is in flight once both routers hold a session; interrupt it there.
    const endpoints = demoEndpoints(labDir!);
    await vi.waitFor(() => expect(connectedToAll(endpoints)).toBe(true), { timeout: 10_000, interval: 50 });
    demo.child.kill('SIGINT');
    const { code } = await demo.waitForExit(10_000);
    expect(code).toBe(130);
    // Well before the routers would have answered (two replies at 5 s each).
    expect(Date.now() - started).toBeLessThan(8000);
    expect(existsSync(dirname(labDir!))).toBe(false);
  });
});
