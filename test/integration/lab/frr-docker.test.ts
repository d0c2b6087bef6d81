import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffHash } from '../../../src/drivers/diff-hash.js';
import { FRR_CAPABILITIES, LINUX_CAPABILITIES, type LinuxDriver } from '../../../src/drivers/linux/index.js';
import { RejectedError, StaleError, TimeoutError, UnsupportedError } from '../../../src/drivers/errors.js';
import { runCli } from '../../helpers/cli.js';
import { labGate, linuxDriver, linuxNode } from '../../helpers/frr-lab.js';
import { dockerUnavailable, FRR_IMAGE, HOST_IMAGE, startDockerLab, type DockerLab } from '../../lab/docker-lab.js';
import { fullNeighbours } from '../../lab/topology.js';
import { run, waitFor } from '../../lab/run.js';

/**
 * Real FRR routers in Docker containers named and labelled as containerlab does, reached through
 * the Docker Engine API: the linux driver, then the whole bot from a terminal.
 */
const gate = labGate(dockerUnavailable());

describe.skipIf(gate.skip)('FRR in Docker containers (Docker Engine API)', () => {
  let lab: DockerLab;
  const drivers: LinuxDriver[] = [];
  const driverFor = async (name: string, image: string | undefined = FRR_IMAGE) => {
    const driver = linuxDriver(linuxNode(lab.lab, name, lab.mgmt[name] ?? '127.0.0.1', { image }));
    drivers.push(driver);
    await driver.open();
    return driver;
  };
  const running = (name: string) => lab.vtysh(name, 'show running-config');

  beforeAll(async () => {
    lab = await startDockerLab({ lab: 'cbtdock', net: 71, hosts: ['h1'] });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.close()));
    await lab?.stop();
  });

  describe('exec', () => {
    it('show ip ospf neighbor runs in vtysh and lists both neighbours Full; --format json is FRR\'s json', async () => {
      const r2 = await driverFor('r2');
      expect(r2.transportName).toBe('docker');
      expect(r2.capabilities).toBe(FRR_CAPABILITIES);
      const text = await r2.exec('show ip ospf neighbor');
      expect(text.output.match(/Full\//g)).toHaveLength(2);
      expect(text.output).toContain(lab.topo.routerIds['r1']);
      expect(text.output).toContain(lab.topo.routerIds['r3']);
      const json = await r2.exec('show ip ospf neighbor', { format: 'json' });
      expect(json.format).toBe('json');
      expect(fullNeighbours(json.output)).toBe(2);
      await expect(r2.exec('show version', { format: 'json' })).rejects.toThrow(/FRR has no json output for "show version"/);
    });

    it('abbreviations and the bot\'s own pipes work; other pipes never reach vtysh', async () => {
      const r1 = await driverFor('r1');
      const filtered = await r1.exec('sh run | include ospf');
      expect(filtered.output.split('\n').every((l) => l.includes('ospf'))).toBe(true);
      expect(filtered.output).toContain('router ospf');
      await expect(r1.exec('show run | sh -c id')).rejects.toThrow(/not a pipe the bot applies/);
      await expect(r1.exec('show ip ospf nonsense')).rejects.toThrow(/% Unknown command: show ip ospf nonsense/);
    });

    it('programs run as argv: arguments with shell characters arrive literally, shell syntax is refused', async () => {
      const r1 = await driverFor('r1');
      const route = await r1.exec('ip -4 route show');
      expect(route.output).toMatch(/10\.255\.71\.2 nhg \d+ proto ospf|10\.255\.71\.2 .*proto ospf/);
      const echo = await r1.exec(`echo '$(id); *' "a  b"`);
      expect(echo.output).toBe('$(id); * a  b\n');
      await expect(r1.exec('ip route | grep ospf')).rejects.toThrow(/"\|" is shell syntax/);
      await expect(r1.exec('ip nosuch')).rejects.toBeInstanceOf(RejectedError);
    });

    it('a command that overruns its time is killed inside the container', async () => {
      const r3 = await driverFor('r3');
      await expect(r3.exec('sleep 31', { timeoutMs: 700 })).rejects.toBeInstanceOf(TimeoutError);
      const ps = await waitFor('sleep killed', async () => {
        const out = (await run('docker', ['exec', lab.container('r3'), 'ps', '-eo', 'args'])).stdout;
        return out.includes('sleep 31') ? undefined : out;
      }, { timeoutMs: 5_000 });
      expect(ps).not.toContain('sleep 31');
    });

    it('a linux node without FRR is exec only, and says so', async () => {
      const h1 = await driverFor('h1', HOST_IMAGE);
      expect(h1.isFrr).toBe(false);
      expect(h1.capabilities).toBe(LINUX_CAPABILITIES);
      expect((await h1.exec('uname -s')).output).toBe('Linux\n');
      await expect(h1.exec('show ip route')).rejects.toThrow(/h1 runs no FRR .* linux nodes without FRR take programs only/);
      await expect(h1.plan({ type: 'text', content: 'router ospf\n' }, 'merge')).rejects.toBeInstanceOf(UnsupportedError);
      await expect(h1.runningConfig()).rejects.toThrow(/exec only/);
    });

    it('FRR is found by asking vtysh when the image name does not say so', async () => {
      const r2 = await driverFor('r2', 'example/unnamed:1');
      expect(r2.isFrr).toBe(true);
      expect(await r2.facts()).toMatchObject({ hostname: 'r2', model: 'FRRouting', vendor: 'frr', version: expect.stringMatching(/^\d+\.\d+/) });
    });
  });

  describe('configuration', { timeout: 90_000 }, () => {
    it('plan shows a frr-reload style diff and changes nothing; a bad line fails the vtysh check', async () => {
      const r1 = await driverFor('r1');
      const before = await running('r1');
      const plan = await r1.plan({ type: 'text', content: 'interface eth1\n ip ospf cost 50\n' }, 'merge');
      expect(plan.diff).toBe(' interface eth1\n+ ip ospf cost 50\n');
      expect(plan.check.ok).toBe(true);
      expect(await running('r1')).toBe(before);
      const bad = await r1.plan({ type: 'text', content: 'router ospf\n bogus words here\n' }, 'merge');
      expect(bad.check.ok).toBe(false);
      expect(bad.check.errors.join('\n')).toMatch(/Unknown command: .*bogus words here/);
    });

    it('apply changes running and startup config; a stale hash commits nothing; rollback 1 restores', async () => {
      const r1 = await driverFor('r1');
      const source = { type: 'text' as const, content: 'interface eth1\n ip ospf cost 60\n' };
      const plan = await r1.plan(source, 'merge');
      await expect(r1.apply(source, { method: 'merge', expectDiffHash: diffHash('something else') })).rejects.toBeInstanceOf(StaleError);
      expect(await running('r1')).not.toContain('ip ospf cost 60');
      const applied = await r1.apply(source, { method: 'merge', expectDiffHash: plan.diffHash });
      expect(applied).toMatchObject({ committed: true, pendingConfirm: false, diff: plan.diff });
      expect(await running('r1')).toContain('ip ospf cost 60');
      expect((await run('docker', ['exec', lab.container('r1'), 'cat', '/etc/frr/frr.conf'])).stdout).toContain('ip ospf cost 60');
      const back = await r1.rollback(1);
      expect(back.diff).toBe(' interface eth1\n- ip ospf cost 60\n');
      expect(await running('r1')).not.toContain('ip ospf cost 60');
    });

    it('a change the daemon refuses after the vtysh check is undone: the old config is restored', async () => {
      const r2 = await driverFor('r2');
      const before = await running('r2');
      // vtysh -C accepts both lines; ospfd refuses an interface area while `network ... area` is configured.
      const source = { type: 'text' as const, content: 'interface eth1\n ip ospf cost 33\n ip ospf area 0.0.0.1\n' };
      const plan = await r2.plan(source, 'merge');
      expect(plan.check.ok).toBe(true);
      const err = await r2.apply(source, { method: 'merge', expectDiffHash: plan.diffHash }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RejectedError);
      expect((err as Error).message).toMatch(/post-check: the running configuration still differs[\s\S]*the previous configuration was restored/);
      expect(await running('r2')).toBe(before);
    });

    it('commit confirmed: without confirm() the node restores the old config by itself; with it the change stays', async () => {
      const r3 = await driverFor('r3');
      const before = await running('r3');
      const source = { type: 'text' as const, content: 'route-map CLABBOT permit 10\n set metric 7\n' };
      const plan = await r3.plan(source, 'merge');
      const applied = await r3.apply(source, { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 3 });
      expect(applied.pendingConfirm).toBe(true);
      expect(await running('r3')).toContain('route-map CLABBOT permit 10');
      await waitFor('the node reverts the unconfirmed change', async () => ((await running('r3')) === before ? true : undefined), { timeoutMs: 20_000 });
      await expect(r3.confirm()).rejects.toThrow(/came too late/);

      const again = await r3.plan(source, 'merge');
      await r3.apply(source, { method: 'merge', expectDiffHash: again.diffHash, confirmSeconds: 3 });
      await r3.confirm();
      const list = (await run('docker', ['exec', lab.container('r3'), 'sh', '-c', 'ls /var/tmp/clab-bot; ps -eo args'])).stdout;
      expect(list).not.toMatch(/pending-/);
      expect(list).not.toMatch(/sleep 3\b/);
      expect(await running('r3')).toContain('route-map CLABBOT permit 10');
    });

    it('unsupported operations say what and why', async () => {
      const r3 = await driverFor('r3');
      await expect(r3.plan({ type: 'device-file', path: '/etc/frr/frr.conf' }, 'merge')).rejects.toThrow(/--device-file on FRR/);
      await expect(r3.plan({ type: 'text', content: 'x' }, 'set')).rejects.toThrow(/--method set on FRR/);
      await expect(r3.plan({ type: 'text', content: 'interface eth1\nip ospf cost 5\n' }, 'merge')).rejects.toThrow(/indent the lines/);
    });
  });

  // Each CLI run is a fresh process (tsx startup); on a busy 2-core machine that is seconds each.
  describe('the bot from a terminal', { timeout: 240_000 }, () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'clab-bot-frr-cli-'));
      const config = join(dir, 'clab-bot.yaml');
      writeFileSync(config, `linux:\n  known_hosts: ${join(dir, 'known-hosts')}\n`);
      env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: config };
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('exec --all --output json show ip ospf neighbor: every node ok with its neighbours Full', async () => {
      const r = await runCli(['exec', '--all', '--labs', lab.dir, '--output', 'json', 'show', 'ip', 'ospf', 'neighbor'], { env, timeoutMs: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { results: { node: string; ok: boolean; output: string }[] };
      expect(out.results.map((x) => x.node)).toEqual(['r1', 'r2', 'r3']);
      for (const x of out.results) {
        expect(x.ok).toBe(true);
        expect(x.output.match(/Full\//g)).toHaveLength(2);
      }
      const json = await runCli(['exec', 'r2', '--labs', lab.dir, '--format', 'json', '--output', 'json', 'show', 'ip', 'ospf', 'neighbor'], { env, timeoutMs: 60_000 });
      // --format json inside --output json: the device's JSON is a value in the result, not a string.
      const result = (JSON.parse(json.stdout) as { results: { output: unknown }[] }).results[0];
      expect(typeof result?.output).toBe('object');
      expect(fullNeighbours(JSON.stringify(result?.output))).toBe(2);
    });

    it('policy explain reads a vtysh abbreviation as vtysh does and refuses a pipe vtysh would not filter', async () => {
      const policy = join(dir, 'policy.yaml');
      writeFileSync(policy, 'roles:\n  frr: { exec: ["show ip ospf *", "show running-config"] }\ngrants:\n  - { role: frr, subjects: ["user:U0NET"] }\n');
      const explain = (command: string) => runCli(['policy', 'explain', '--policy', policy, '--labs', lab.dir, '--user', 'U0NET', `exec r1 ${command}`], { env, timeoutMs: 60_000 });
      const allowed = await explain('sh ip ospf nei');
      expect(allowed.stderr).toBe('');
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).toContain('read on FRR vtysh as: `show ip ospf neighbor`');
      expect(allowed.stdout).toContain(`${lab.lab}/r1 (linux): allowed by frr via user:U0NET (exec \`show ip ospf *\`)`);
      const piped = await explain('sh run | grep ospf');
      expect(piped.code).toBe(1);
      expect(piped.stdout).toContain('decision: denied (unsafe-pipe): `| grep ospf` is not allowed: grep is a shell program');
    });

    it('a config change goes dry-run → approve → applied → rollback, with the diff shown at each step', async () => {
      writeFileSync(join(lab.dir, 'cost.frr'), 'interface eth2\n ip ospf cost 77\n');
      const dry = await runCli(['config', 'r2', '--labs', lab.dir, '--file', 'cost.frr', '--dry-run'], { env, timeoutMs: 60_000 });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('+ ip ospf cost 77');
      expect(await running('r2')).not.toContain('ip ospf cost 77');

      const planned = await runCli(['config', 'r2', '--labs', lab.dir, '--file', 'cost.frr'], { env, timeoutMs: 60_000, input: 'no\n' });
      expect(planned.stdout).toContain('+ ip ospf cost 77');
      const id = /clab-bot change (\d+) approve/.exec(planned.stdout)?.[1];
      expect(id).toBeDefined();
      expect(await running('r2')).not.toContain('ip ospf cost 77');

      const approved = await runCli(['change', id as string, 'approve', '--labs', lab.dir], { env, timeoutMs: 60_000 });
      expect(approved.code).toBe(0);
      expect(approved.stdout).toMatch(/committed/);
      expect(approved.stdout).toContain('+ ip ospf cost 77');
      expect(await running('r2')).toContain('ip ospf cost 77');

      const rollback = await runCli(['config', 'r2', '--labs', lab.dir, '--rollback', '1', '--yes'], { env, timeoutMs: 60_000 });
      expect(rollback.code).toBe(0);
      expect(rollback.stdout).toContain('- ip ospf cost 77');
      expect(rollback.stdout).toMatch(/committed/);
      expect(await running('r2')).not.toContain('ip ospf cost 77');
    });
  });
});

if (gate.skip) describe('FRR in Docker containers', () => it.skip(`skipped: ${gate.reason}`, () => undefined));
