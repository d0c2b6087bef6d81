import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngSize } from '../../helpers/graph-checks.js';
import { demoEnv, spawnDemo, type DemoProcess } from './demo-helpers.js';

// `clab-bot demo --down router2`, then `graph --lab demo --out demo.png` typed in its console (the "done when").
describe('clab-bot demo with a stopped router', { timeout: 150_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: DemoProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clab-demo-graph-'));
    env = demoEnv(join(dir, 'history'));
  });
  afterAll(() => {
    for (const d of running) d.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes demo.png: the four routers and their links, router2 down', async () => {
    const demo = spawnDemo(['--down', 'router2', '--no-tour', '--base-ip', '127.20.85.1'], env);
    running.push(demo);
    await demo.waitFor('stderr', /demo lab ready: 4 routers/, 90_000);
    const png = join(dir, 'demo.png');
    demo.child.stdin.end(`graph --lab demo --out ${png}\ngraph --lab demo\n`);
    const { code } = await demo.waitForExit(60_000);
    expect(code).toBe(0);
    expect(demo.stdout).toContain(`wrote ${png} (png`);
    expect(demo.stdout).toContain('4 nodes: 3 reachable (green), 1 unreachable (red), 0 unknown (grey)');
    // The second graph reads what the first one stored.
    expect(demo.stdout).toMatch(/^demo\/router2 +unreachable +juniper_vjunosrouter +\(facts read failed just now: unreachable\)$/m);
    expect(demo.stdout).toMatch(/^router1:ge-0\/0\/1 -- router2:ge-0\/0\/0$/m);
    expect(demo.stdout).toMatch(/^router3:ge-0\/0\/1 -- router4:ge-0\/0\/0$/m);
    const { width, height } = pngSize(readFileSync(png));
    expect(width).toBeGreaterThan(800);
    expect(height).toBeGreaterThan(150);
  });

  it('refuses --down for a router the demo does not have', async () => {
    const demo = spawnDemo(['--down', 'router9', '--no-tour', '--base-ip', '127.20.86.1'], env);
    running.push(demo);
    demo.child.stdin.end();
    const { code } = await demo.waitForExit(90_000);
    expect(code).toBe(2);
    expect(demo.stderr).toContain('--down names no router of the demo: router9');
    expect(demo.stderr).toContain('the routers are router1, router2, router3, router4');
  });
});
