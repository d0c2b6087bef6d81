import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../src/drivers/errors.js';
import type { LinuxDriver } from '../../../src/drivers/linux/index.js';
import { runCli } from '../../helpers/cli.js';
import { labGate, linuxDriver, linuxNode } from '../../helpers/frr-lab.js';
import { netnsUnavailable, startNetnsLab, type NetnsLab } from '../../lab/netns-lab.js';
import { fullNeighbours } from '../../lab/topology.js';

/**
 * Real FRR routers in network namespaces with sshd in each: the linux driver's SSH transport
 * (exec channels, key login, host keys recorded on first use), then the whole bot from a terminal.
 */
const gate = labGate(netnsUnavailable());

describe.skipIf(gate.skip)('FRR over SSH (network namespaces)', { timeout: 90_000 }, () => {
  let lab: NetnsLab;
  let dir: string;
  const drivers: LinuxDriver[] = [];
  const open = async (name: string, settings: Parameters<typeof linuxDriver>[1] = {}) => {
    const driver = linuxDriver(linuxNode(lab.lab, name, lab.mgmt[name] as string, { credentials: { username: 'root', password: '' } }), {
      identityFile: lab.identityFile, knownHostsFile: join(dir, 'known-hosts'), ...settings,
    });
    drivers.push(driver);
    await driver.open();
    return driver;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-bot-frr-ssh-'));
    lab = await startNetnsLab({ lab: 'cbtssh', net: 72 });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.close()));
    await lab?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('auto picks SSH when no container of that name exists; FRR is found by asking vtysh; neighbours are Full', async () => {
    const r2 = await open('r2');
    expect(r2.transportName).toBe('ssh');
    expect(r2.isFrr).toBe(true);
    const text = await r2.exec('show ip ospf neighbor');
    expect(text.output.match(/Full\//g)).toHaveLength(2);
    expect(fullNeighbours((await r2.exec('show ip ospf neighbor', { format: 'json' })).output)).toBe(2);
    // Each router has its own hostname, as a containerlab container does; the machine's is another.
    expect(hostname()).not.toBe('r2');
    expect(await r2.facts()).toMatchObject({ hostname: 'r2', model: 'FRRouting', vendor: 'frr' });
  });

  it('arguments reach the program unchanged through the remote shell', async () => {
    const r1 = await open('r1');
    const weird = `it's "quoted" $HOME \`id\` ; | & *`;
    expect((await r1.exec(`printf %s '${weird.replace(/'/g, '')}'`)).output).toBe(weird.replace(/'/g, ''));
    expect((await r1.exec(`echo "it's"`)).output).toBe("it's\n");
  });

  it('the host key is recorded on first use; a changed key is refused with the way out; accept connects anyway', async () => {
    const known = join(dir, 'tofu-known-hosts');
    await open('r3', { knownHostsFile: known });
    expect(readFileSync(known, 'utf8')).toBe(`${lab.lab}/r3 ${lab.hostKeys['r3']}\n`);
    await lab.rotateHostKey('r3');
    const refused = linuxDriver(linuxNode(lab.lab, 'r3', lab.mgmt['r3'] as string, { credentials: { username: 'root', password: '' } }), { identityFile: lab.identityFile, knownHostsFile: known });
    const err = await refused.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(new RegExp(`the SSH host key of ${lab.lab}/r3 changed .*refusing to connect.*remove the line for ${lab.lab}/r3 from ${known.replace(/[/.]/g, '\\$&')}`));
    const relaxed = await open('r3', { knownHostsFile: known, hostKeys: 'accept' });
    expect((await relaxed.exec('show ip ospf neighbor')).output).toMatch(/Full/);
    const pinned = await open('r3', { knownHostsFile: join(dir, 'empty'), hostKeys: 'pinned', nodes: { [`${lab.lab}/r3`]: { hostKey: lab.hostKeys['r3'] as string } } });
    expect(pinned.isAlive()).toBe(true);
    const unpinned = linuxDriver(linuxNode(lab.lab, 'r1', lab.mgmt['r1'] as string, { credentials: { username: 'root', password: '' } }), { identityFile: lab.identityFile, knownHostsFile: join(dir, 'empty2'), hostKeys: 'pinned' });
    await expect(unpinned.open()).rejects.toThrow(/which is not pinned/);
  });

  it('a wrong login is AuthFailed naming the user', async () => {
    const driver = linuxDriver(linuxNode(lab.lab, 'r1', lab.mgmt['r1'] as string, { credentials: { username: 'nobody', password: 'x' } }), { knownHostsFile: join(dir, 'known-hosts') });
    await expect(driver.open()).rejects.toThrow(/refused the login for user nobody/);
  });

  it('the bot from a terminal: exec --all over SSH, and a route-map change planned, approved and rolled back', { timeout: 240_000 }, async () => {
    const config = join(dir, 'clab-bot.yaml');
    writeFileSync(config, [
      'credentials:', '  labs:', `    ${lab.lab}: { username: root }`,
      'linux:', `  known_hosts: ${join(dir, 'cli-known-hosts')}`, `  identity_file: ${lab.identityFile}`,
      '  labs:', `    ${lab.lab}: { transport: ssh }`, '',
    ].join('\n'));
    const env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: config };
    const r = await runCli(['exec', '--all', '--labs', lab.dir, '--output', 'json', 'show', 'ip', 'ospf', 'neighbor'], { env, timeoutMs: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { results: { node: string; ok: boolean; output: string }[] };
    expect(out.results.map((x) => [x.node, x.ok])).toEqual([['r1', true], ['r2', true], ['r3', true]]);
    for (const x of out.results) expect(x.output.match(/Full\//g)).toHaveLength(2);

    writeFileSync(join(lab.dir, 'rm.frr'), 'route-map FROM-BOT permit 10\n set metric 42\n');
    const applied = await runCli(['config', 'r1', '--labs', lab.dir, '--file', 'rm.frr', '--yes'], { env, timeoutMs: 90_000 });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('+route-map FROM-BOT permit 10');
    expect(applied.stdout).toContain('+ set metric 42');
    // shown with the plan before the yes, not repeated under the commit
    expect(applied.stdout.split('+ set metric 42')).toHaveLength(2);
    expect(applied.stdout).toMatch(/plan ok, committed/);
    expect(await lab.vtysh('r1', 'show running-config')).toContain('set metric 42');
    const back = await runCli(['config', 'r1', '--labs', lab.dir, '--rollback', '1', '--yes'], { env, timeoutMs: 90_000 });
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('-route-map FROM-BOT permit 10');
    expect(await lab.vtysh('r1', 'show running-config')).not.toContain('FROM-BOT');
  });
});

if (gate.skip) describe('FRR over SSH', () => it.skip(`skipped: ${gate.reason}`, () => undefined));
