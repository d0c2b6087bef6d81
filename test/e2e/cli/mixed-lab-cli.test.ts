import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { SimProcesses } from '../../helpers/sim-processes.js';

/**
 * Issue "Nokia SR Linux over JSON-RPC", done-when: a mixed lab of simulated vJunos and SR Linux
 * nodes (two `clab-bot sim` processes writing their labs into one directory), driven by the
 * terminal commands as separate processes over real NETCONF/SSH and JSON-RPC/HTTPS on loopback.
 */
const sims = new SimProcesses();

interface ExecJson {
  results: { node: string; ok: boolean; output: string; error: unknown }[];
}

// Each step is a fresh clab-bot process; on a loaded machine a handful of them take a while.
describe('mixed lab: vJunos and SR Linux from a terminal', { timeout: 240_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-mixed-'));
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
    await Promise.all([
      sims.start(['--lab', 'mixed-j', '--kind', 'juniper_vjunosrouter', '--count', '2', '--prefix', 'vjunos', '--dir', dir, '--base-ip', '127.20.41.1']),
      sims.start(['--lab', 'mixed-s', '--kind', 'srl', '--count', '2', '--prefix', 'leaf', '--dir', dir, '--base-ip', '127.20.42.1']),
    ]);
    writeFileSync(join(dir, 'x.set'), 'set / interface ethernet-1/1 description "to spine"\nset / system information location "rack 7"\n');
  }, 60_000);

  afterAll(async () => {
    await sims.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const srlRunning = async (node: string): Promise<string> => {
    const r = await runCli(['exec', node, '--labs', dir, '--output', 'json', 'info', 'flat', 'from', 'running'], { env, timeoutMs: 120_000 });
    const out = JSON.parse(r.stdout) as ExecJson;
    expect(out.results[0]?.ok).toBe(true);
    return out.results[0]!.output;
  };

  it('exec --all --output json show version: every node of both vendors ok', async () => {
    const r = await runCli(['exec', '--all', '--labs', dir, '--output', 'json', 'show', 'version'], { env, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ExecJson;
    expect(out.results.map((x) => x.node).sort()).toEqual(['leaf1', 'leaf2', 'vjunos1', 'vjunos2']);
    for (const x of out.results) {
      expect(x.ok).toBe(true);
      expect(x.error).toBeNull();
    }
    expect(out.results.find((x) => x.node === 'leaf1')?.output).toMatch(/Hostname\s*: leaf1/);
    expect(out.results.find((x) => x.node === 'vjunos1')?.output).toMatch(/Hostname: vjunos1/);
  });

  it('config --kind srl --file x.set --dry-run shows an SR Linux diff per node and changes nothing', async () => {
    const before = await srlRunning('leaf2');
    const r = await runCli(['config', '--kind', 'srl', '--labs', dir, '--file', 'x.set', '--dry-run'], { env, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    for (const node of ['leaf1', 'leaf2']) expect(r.stdout).toContain(node);
    expect(r.stdout).not.toContain('vjunos');
    expect(r.stdout).toMatch(/\+\s+description "to spine"/);
    expect(r.stdout).toMatch(/location "rack 7"/);
    expect(r.stdout).toMatch(/nothing was committed/);
    expect(await srlRunning('leaf2')).toBe(before);
  });

  it('config through approval commits with confirm-timeout, is accepted, and rollback through approval restores it', async () => {
    const before = await srlRunning('leaf1');
    const r = await runCli(['config', 'leaf1', '--labs', dir, '--file', 'x.set', '--confirm', '2', '--yes', '--comment', 'e2e srl'], { env, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/change #\d+ committed/);
    const after = await srlRunning('leaf1');
    expect(after).toContain('set / interface ethernet-1/1 description "to spine"');
    // Accepted: the device holds no unconfirmed commit.
    const commits = await runCli(['exec', 'leaf1', '--labs', dir, '--output', 'json', 'info', 'from', 'state', 'system', 'configuration', '|', 'as', 'json'], { env, timeoutMs: 120_000 });
    // `| as json` output is JSON, so --output json carries it as a value, not a string.
    const state = JSON.stringify((JSON.parse(commits.stdout) as { results: { output: unknown }[] }).results[0]!.output, null, 2);
    expect(state).toContain('"status": "complete"');
    expect(state).not.toContain('unconfirmed');

    // Commit confirmed and its confirmation count as two commits (as on Junos): rollback 2 is the configuration before.
    const undo = await runCli(['rollback', 'leaf1', '2', '--labs', dir, '--yes'], { env, timeoutMs: 120_000 });
    expect(undo.stderr).toBe('');
    expect(undo.code).toBe(0);
    expect(undo.stdout).toMatch(/committed/);
    expect(await srlRunning('leaf1')).toBe(before);
  });
});
