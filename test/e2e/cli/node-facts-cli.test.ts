import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoLab, type DemoLab } from '../../../src/sim/demo-lab.js';
import { startSimLab, type SimLab } from '../../../src/sim/lab.js';
import { runCli } from '../../helpers/cli.js';

interface FactsJson {
  maxAgeMinutes: number;
  refreshed: boolean;
  nodes: {
    lab: string;
    name: string;
    hostname: string | null;
    model: string | null;
    version: string | null;
    serial: string | null;
    readAt: string | null;
    stale: boolean;
    from: 'device' | 'cache' | 'none';
    error: { code: string; message: string } | null;
  }[];
}

/**
 * `nodes --facts` against the demo lab of every vendor (vJunos, SR Linux, cEOS, XRd, IOL), each
 * step a fresh clab-bot process with one SQLite database: the facts are read from the simulators
 * over their real protocols, stored, and read back from the database afterwards.
 */
describe('nodes --facts from a terminal', { timeout: 300_000 }, () => {
  let dir: string;
  let demo: DemoLab;
  let gone: SimLab;
  let goneClosed = false;
  let env: NodeJS.ProcessEnv;
  const byName = (out: FactsJson, name: string) => out.nodes.find((n) => n.name === name)!;
  const facts = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const r = await runCli(['nodes', ...args, '--labs', demo.labDir, '--output', 'json'], { env: { ...env, ...extraEnv }, timeoutMs: 120_000 });
    return { ...r, out: JSON.parse(r.stdout) as FactsJson };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-facts-'));
    demo = await startDemoLab({ routers: 1, vendors: ['junos', 'srlinux', 'eos', 'iosxr', 'ios'], baseIp: '127.20.60.1' });
    // A lab of its own for the node that goes away: stopping it leaves the demo's labs alone.
    gone = await startSimLab({ lab: 'facts-gone', kind: 'juniper_vjunosrouter', count: 1, dir: demo.labDir, prefix: 'gone', baseIp: '127.20.66.1' });
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
    writeFileSync(join(dir, 'host.set'), 'set / system name host-name leaf-renamed\n');
    writeFileSync(join(dir, 'host2.set'), 'set / system name host-name leaf-again\n');
    writeFileSync(join(dir, 'stale.yaml'), 'facts:\n  max_age_minutes: 0.0001\n');
  }, 90_000);

  afterAll(async () => {
    if (!goneClosed) await gone?.close();
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let firstRead: FactsJson;

  it('lists model and version for every node of every vendor, read from the devices the first time', async () => {
    const r = await facts(['--facts']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    firstRead = r.out;
    expect(r.out.nodes.map((n) => n.name).sort()).toEqual(['gone1', 'iol1', 'leaf1', 'router1', 'spine1', 'xrd1']);
    for (const n of r.out.nodes) {
      expect(n.from).toBe('device');
      expect(n.model).toMatch(/\S/);
      expect(n.version).toMatch(/\S/);
      expect(n.error).toBeNull();
      expect(n.stale).toBe(false);
    }
    expect(byName(r.out, 'router1')).toMatchObject({ model: 'vmx', hostname: 'router1' });
    expect(byName(r.out, 'leaf1').model).toBe('7220 IXR-D2L');

    // The table shows the same values, one row per node.
    const text = await runCli(['nodes', '--facts', '--labs', demo.labDir], { env, timeoutMs: 120_000 });
    expect(text.stdout).toMatch(/^LAB +NODE +MODEL +VERSION +SERIAL +UPTIME +READ$/m);
    const leaf = byName(r.out, 'leaf1');
    expect(text.stdout).toMatch(new RegExp(`^demo-srl +leaf1 +${leaf.model} +${leaf.version} +${leaf.serial} +\\S+ +\\d+[smhd]\\w* ago$`, 'm'));
  });

  it('a second run answers from the stored facts: a stopped simulator still shows its facts with their age', async () => {
    await gone.close();
    goneClosed = true;
    const r = await facts(['--facts']);
    expect(r.code).toBe(0);
    for (const n of r.out.nodes) {
      expect(n.from).toBe('cache');
      // The very facts of the first read, with the time they were read then.
      expect(n.readAt).toBe(byName(firstRead, n.name).readAt);
    }
    expect(byName(r.out, 'gone1')).toMatchObject({ model: 'vmx', error: null });
    const text = await runCli(['nodes', 'gone1', '--facts', '--labs', demo.labDir], { env, timeoutMs: 60_000 });
    expect(text.stdout).toMatch(/^facts-gone +gone1 +vmx +.* \d+[smhd]\w* ago$/m);
    expect(text.stdout).toMatch(/0 of 1 read now, 1 from the stored facts/);
  });

  it('--refresh of a node that cannot be reached shows its last facts, marked, with the error', async () => {
    const r = await facts(['gone1', '--refresh']);
    expect(r.code).toBe(1);
    const n = byName(r.out, 'gone1');
    expect(n).toMatchObject({ from: 'cache', model: 'vmx', readAt: byName(firstRead, 'gone1').readAt });
    expect(n.error?.message).toMatch(/\S/);
    const text = await runCli(['nodes', 'gone1', '--facts', '--labs', demo.labDir], { env, timeoutMs: 60_000 });
    expect(text.stdout).toMatch(/^facts-gone +gone1 +vmx .* \d+[smhd]\w* ago \(unreachable\)$/m);
    expect(text.stdout).toMatch(/^facts-gone\/gone1: .+ \(showing the facts read \d+[smhd]\w* ago\)$/m);
  });

  it('--refresh reads again: a hostname changed behind the cache shows its new value', async () => {
    // The change is made through another database, so this one's stored facts do not know of it.
    const other = { CLAB_BOT_DB: `sqlite:${join(dir, 'other.db')}` };
    const change = await runCli(['config', 'leaf1', '--labs', demo.labDir, '--file', join(dir, 'host.set'), '--method', 'set', '--yes'], {
      env: { ...env, ...other },
      timeoutMs: 120_000,
    });
    expect(change.code).toBe(0);
    const cached = await facts(['leaf1', '--facts']);
    expect(byName(cached.out, 'leaf1')).toMatchObject({ from: 'cache', hostname: 'leaf1' });
    const fresh = await facts(['leaf1', '--refresh']);
    expect(fresh.code).toBe(0);
    expect(fresh.out.refreshed).toBe(true);
    expect(byName(fresh.out, 'leaf1')).toMatchObject({ from: 'device', hostname: 'leaf-renamed' });
  });

  it('a committed change reads the facts of its nodes again, so the stored facts show it without --refresh', async () => {
    const change = await runCli(['config', 'leaf1', '--labs', demo.labDir, '--file', join(dir, 'host2.set'), '--method', 'set', '--yes'], { env, timeoutMs: 120_000 });
    expect(change.code).toBe(0);
    const r = await facts(['leaf1', '--facts']);
    expect(byName(r.out, 'leaf1')).toMatchObject({ from: 'cache', hostname: 'leaf-again' });
  });

  it('facts older than facts.max_age_minutes are marked stale with their age', async () => {
    const fresh = await facts(['spine1', '--facts']);
    expect(byName(fresh.out, 'spine1').stale).toBe(false);
    const settings = { CLAB_BOT_CONFIG: join(dir, 'stale.yaml') };
    const r = await facts(['spine1', '--facts'], settings);
    expect(r.out.maxAgeMinutes).toBe(0.0001);
    expect(byName(r.out, 'spine1')).toMatchObject({ from: 'cache', stale: true });
    const text = await runCli(['nodes', 'spine1', '--facts', '--labs', demo.labDir], { env: { ...env, ...settings }, timeoutMs: 60_000 });
    expect(text.stdout).toMatch(/^demo-ceos +spine1 .* \d+[smhd]\w* ago \(stale\)$/m);
    expect(text.stdout).toMatch(/1 stale \(older than 0.0001 min; --refresh reads them again\)/);
  });

  it('every facts request is in the audit log, with the nodes it read', async () => {
    const r = await runCli(['history', '--labs', demo.labDir, '--limit', '100', '--output', 'json'], { env, timeoutMs: 60_000 });
    const records = (JSON.parse(r.stdout) as { records: { event: string; command: string; targets: string[]; outcome: string }[] }).records;
    expect(records.filter((x) => x.command === 'nodes --all --facts' && x.event === 'request').length).toBeGreaterThanOrEqual(2);
    expect(records).toContainEqual(expect.objectContaining({ event: 'facts', command: 'nodes gone1 --facts --refresh', targets: ['facts-gone/gone1'], outcome: 'failed' }));
  });
});
