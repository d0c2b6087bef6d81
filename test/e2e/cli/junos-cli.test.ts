import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO, runCli } from '../../helpers/cli.js';

/**
 * Issue "Junos over NETCONF", done-when: `clab-bot sim` starts three vJunos routers, then the
 * terminal commands run against them over real NETCONF/SSH on loopback.
 */
describe('clab-bot sim + exec/config from a terminal', () => {
  let dir: string;
  let sim: ChildProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-junos-cli-'));
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
    sim = spawn(process.execPath, ['--import', 'tsx', CLI, 'sim', '--lab', 'demo', '--kind', 'juniper_vjunosrouter', '--count', '3', '--prefix', 'router', '--dir', dir, '--base-ip', '127.20.31.1'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`sim did not print ready: ${err}`)), 20_000);
      sim.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      sim.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      sim.on('exit', (code) => reject(new Error(`sim exited with ${code}: ${err}`)));
    });
    writeFileSync(join(dir, 'desc.conf'), 'interfaces {\n    ge-0/0/0 {\n        description "to core";\n    }\n}\n');
    writeFileSync(join(dir, 'broken.conf'), 'interfaces {\n    ge-0/0/0 {\n        description "missing brace";\n    }\n');
  });

  afterAll(async () => {
    if (sim.exitCode === null) {
      const exited = new Promise((r) => sim.once('exit', r));
      sim.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('exec --all returns three ok results with the simulated versions', async () => {
    const r = await runCli(['exec', '--all', '--labs', dir, '--output', 'json', 'show', 'version'], { env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { results: { node: string; ok: boolean; output: string; error: unknown; durationMs: number }[] };
    expect(out.results.map((x) => x.node)).toEqual(['router1', 'router2', 'router3']);
    for (const x of out.results) {
      expect(x.ok).toBe(true);
      expect(x.error).toBeNull();
      expect(x.output).toMatch(new RegExp(`Hostname: ${x.node}`));
      expect(x.output).toMatch(/Junos: \d+\.\d+R\d/);
    }
  });

  it('config --dry-run shows the Junos diff and the check result, and commits nothing', async () => {
    const r = await runCli(['config', 'router1', '--labs', dir, '--file', 'desc.conf', '--dry-run'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[edit interfaces( ge-0\/0\/0)?\]/);
    expect(r.stdout).toMatch(/\+\s+description "to core";/);
    expect(r.stdout).toMatch(/commit check: ok/);
    expect(r.stdout).toMatch(/nothing was committed/);
    const after = await runCli(['exec', 'router1', '--labs', dir, 'show', 'configuration', 'interfaces', 'ge-0/0/0'], { env });
    expect(after.stdout).not.toMatch(/to core/);
  });

  it('a config with a syntax error is refused with the device message and nothing is committed', async () => {
    const commits = async () => {
      const r = await runCli(['exec', 'router2', '--labs', dir, '--output', 'json', 'show', 'system', 'commit'], { env });
      return (JSON.parse(r.stdout) as { results: { output: string }[] }).results[0]!.output;
    };
    const before = await commits();
    const r = await runCli(['config', 'router2', '--labs', dir, '--file', 'broken.conf', '--yes'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/syntax error/);
    expect(await commits()).toBe(before);
  });

  it('config --yes commits through the change lifecycle with the change id in the Junos commit log', async () => {
    const r = await runCli(['config', 'router3', '--labs', dir, '--file', 'desc.conf', '--yes', '--comment', 'e2e'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/change #\d+ committed/);
    const id = /change #(\d+) committed/.exec(r.stdout)![1];
    const log = await runCli(['exec', 'router3', '--labs', dir, 'show', 'system', 'commit'], { env });
    expect(log.stdout).toContain(`clab-bot #${id} by`);
    expect(log.stdout).toMatch(/e2e/);
    const conf = await runCli(['exec', 'router3', '--labs', dir, 'show', 'configuration', 'interfaces', 'ge-0/0/0'], { env });
    expect(conf.stdout).toMatch(/description "to core";/);
  });

  it('an unreachable node is one clear error and exit code 1, the others still answer', async () => {
    const labs = join(dir, 'more');
    const r = await runCli(['exec', '--all', '--labs', dir, '--labs', labs, '--timeout', '5', 'show', 'version'], { env });
    expect(r.code).toBe(0);
    const down = await runCli(['exec', 'router1', '--labs', dir, '--timeout', '5', 'show', 'version'], {
      env: { ...env, CLAB_BOT_CONFIG: writeConfig(dir, 'credentials:\n  nodes:\n    demo/router1: { host: 127.20.31.250 }\n') },
    });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/router1 is unreachable/);
  });
});

function writeConfig(dir: string, yaml: string): string {
  const file = join(dir, 'clab-bot.yaml');
  writeFileSync(file, yaml);
  return file;
}
