/**
 * The EOS driver against the eAPI simulator over real HTTPS/HTTP on loopback: every contract
 * method, its errors and its faults, and that configuration sessions never stay behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeSource } from '../../../src/drivers/contract.js';
import { createEosDriver, type EosDriver, type EosDriverOptions } from '../../../src/drivers/eos/index.js';
import { AuthFailedError, CancelledError, ConnectionLostError, LockedError, RejectedError, StaleError, TimeoutError, UnreachableError, UnsupportedError } from '../../../src/drivers/errors.js';
import { ManualClock } from '../../../src/sim/clock.js';
import { normaliseCommand } from '../../../src/permissions/command-normalise.js';
import { startEosSim, type EosSim, type EosSimOptions } from '../../../src/sim/eos/index.js';
import { makeNode } from '../../helpers/nodes.js';
import { diffHash } from '../../../src/drivers/diff-hash.js';
import { changeCommits } from '../../../src/ops/changes/apply-node.js';

const sims: EosSim[] = [];
const drivers: EosDriver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const text = (content: string): NodeSource => ({ type: 'text', content });

async function connected(simOpts: Partial<EosSimOptions> = {}, driverOpts: EosDriverOptions = {}, password = 'admin'): Promise<{ sim: EosSim; driver: EosDriver }> {
  const sim = await startEosSim({ hostname: 'ceos1', neighbors: [{ interface: 'Ethernet1', address: '10.1.1.1', routerId: '10.255.0.2' }], ...simOpts });
  sims.push(sim);
  const driver = createEosDriver(makeNode({ name: 'ceos1', host: sim.host, port: sim.port, kind: 'arista_ceos', password }), { tls: sim.tls, ...driverOpts });
  drivers.push(driver);
  await driver.open();
  return { sim, driver };
}

const CHANGE = `interface Ethernet1
   description uplink to r2
   no switchport
   ip address 10.1.1.0/31
!
ntp server 10.0.0.100
`;

describe('EOS driver: sessions and reads', () => {
  it('opens over HTTPS (self-signed) and over HTTP, and reads facts from show version', async () => {
    const { driver } = await connected({ serial: 'SN-CEOS-1' });
    expect(driver.isAlive()).toBe(true);
    expect(await driver.facts()).toEqual({ hostname: 'ceos1', model: 'cEOSLab', version: expect.stringMatching(/^4\.32\.0F/), serial: 'SN-CEOS-1', uptimeSeconds: expect.any(Number), vendor: 'Arista' });
    const http = await connected({ tls: false });
    expect((await http.driver.facts()).hostname).toBe('ceos1');
    // Without a driver option: the node's clab-bot.tls label (topology file) says plain HTTP.
    const labelled = createEosDriver({ ...makeNode({ name: 'ceos1', host: http.sim.host, port: http.sim.port, kind: 'arista_ceos', password: 'admin' }), labels: { 'clab-bot.tls': 'false' } });
    drivers.push(labelled);
    await labelled.open();
    expect((await labelled.exec('show hostname')).output).toContain('ceos1');
    const wrong = createEosDriver({ ...makeNode({ name: 'ceos1', host: http.sim.host, port: http.sim.port, kind: 'arista_ceos', password: 'admin' }), labels: { 'clab-bot.tls': 'maybe' } });
    await expect(wrong.open()).rejects.toThrow(/label clab-bot.tls: "maybe"/);
  });

  it('refuses a bad password (401) as AuthFailed and a closed port as Unreachable', async () => {
    const sim = await startEosSim({ hostname: 'ceos1' });
    sims.push(sim);
    const bad = createEosDriver(makeNode({ name: 'ceos1', host: sim.host, port: sim.port, kind: 'arista_ceos', password: 'nope' }));
    drivers.push(bad);
    await expect(bad.open()).rejects.toBeInstanceOf(AuthFailedError);
    expect(bad.isAlive()).toBe(false);
    const port = sim.port;
    await sim.close();
    sims.splice(sims.indexOf(sim), 1);
    const gone = createEosDriver(makeNode({ name: 'ceos1', host: '127.0.0.1', port, kind: 'arista_ceos', password: 'admin' }));
    drivers.push(gone);
    await expect(gone.open()).rejects.toBeInstanceOf(UnreachableError);
  });

  it('refuses a self-signed certificate when told to verify, saying how to trust it', async () => {
    const sim = await startEosSim({ hostname: 'ceos1' });
    sims.push(sim);
    const strict = createEosDriver(makeNode({ name: 'ceos1', host: sim.host, port: sim.port, kind: 'arista_ceos', password: 'admin' }), { tlsVerify: true });
    drivers.push(strict);
    await expect(strict.open()).rejects.toThrow(/certificate .* was not accepted/);
    const trusting = createEosDriver(makeNode({ name: 'ceos1', host: 'localhost', port: sim.port, kind: 'arista_ceos', password: 'admin' }), { tlsVerify: true, ...(sim.certificate ? { ca: sim.certificate } : {}) });
    drivers.push(trusting);
    await trusting.open();
    expect(trusting.isAlive()).toBe(true);
  });

  it('execs text by default, JSON on request or with | json, the command exactly as checked', async () => {
    const { driver } = await connected();
    const plain = await driver.exec('show version');
    expect(plain.format).toBe('text');
    expect(plain.output.split('\n')[0]).toBe('Arista cEOSLab');
    const json = await driver.exec('show ip ospf neighbor', { format: 'json' });
    expect(json.format).toBe('json');
    expect(JSON.parse(json.output)).toMatchObject({ vrfs: { default: { instList: { '1': { ospfNeighborEntries: [] } } } } });
    expect(JSON.parse((await driver.exec('show hostname | json')).output)).toEqual({ hostname: 'ceos1', fqdn: 'ceos1' });
    // What the permission check sends is expanded already; the device runs exactly that, and
    // refuses an abbreviation nobody expanded.
    const checked = normaliseCommand('sh ver', 'eos');
    expect(checked.ok && checked.text).toBe('show version');
    expect((await driver.exec(checked.ok ? checked.text : '')).output).toContain('Software image version: 4.32.0F');
    await expect(driver.exec('sh ver')).rejects.toThrow(/Invalid input \(at token 0: 'sh'\)/);
    expect((await driver.exec('show version | include "Serial number"')).output).toMatch(/^Serial number: \S+\n$/);
  });

  it('applies output filters itself: include, exclude, begin, section', async () => {
    const { driver } = await connected();
    expect((await driver.exec('show version | include ^(Serial|Architecture)')).output).toMatch(/^Serial number: \S+\nArchitecture: x86_64\n$/);
    const section = (await driver.exec('show running-config | section Management0')).output;
    expect(section).toBe('interface Management0\n   ip address 172.20.20.2/24\n');
    expect((await driver.exec('show running-config | begin ^management api netconf')).output).toBe('management api netconf\n   transport ssh default\n!\nend\n');
    expect((await driver.exec('show interfaces status | exclude Et')).output).not.toMatch(/^Et/m);
    await expect(driver.exec('show version | redirect flash:x')).rejects.toBeInstanceOf(UnsupportedError);
  });

  it("rejects a bad command with the device's message and stays usable", async () => {
    const { driver } = await connected();
    const err = await driver.exec('show bogus').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).deviceErrors).toEqual(["Invalid input (at token 1: 'bogus')"]);
    expect((err as RejectedError).message).toBe("ceos1 rejected exec: Invalid input (at token 1: 'bogus')");
    expect((await driver.exec('show hostname')).output).toContain('ceos1');
  });

  it('keeps one connection alive across many requests', async () => {
    const { sim, driver } = await connected();
    for (let i = 0; i < 10; i++) await driver.exec('show hostname');
    expect(sim.requestCount()).toBe(11);
    expect(sim.connectionCount()).toBe(1);
  });

  it('returns the running configuration as the device prints it', async () => {
    const { sim, driver } = await connected();
    const running = await driver.runningConfig();
    expect(running).toContain('! Command: show running-config\n');
    expect(running.endsWith(sim.runningConfig())).toBe(true);
  });
});

describe('EOS driver: plan, apply, confirm, rollback', () => {
  it('plans in a session: the unified diff, the device unchanged, no session left', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    expect(plan.diff).toMatch(/^--- system:\/running-config\n\+\+\+ session:\/clab-bot-ceos1-session-config\n@@ /);
    expect(plan.diffHash).toBe(diffHash(plan.diff));
    expect(plan.diff).toContain(' interface Ethernet1\n+   description uplink to r2\n+   no switchport\n+   ip address 10.1.1.0/31\n');
    expect(plan.diff).toContain('+ntp server 10.0.0.100\n');
    expect(plan.diffHash).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.check).toEqual({ ok: true, warnings: [], errors: [] });
    // For config_deny rules: what the change sets and deletes, section by section.
    expect(plan.statements).toEqual([
      'set ntp server 10.0.0.100',
      'set interface Ethernet1 description uplink to r2',
      'set interface Ethernet1 no switchport',
      'set interface Ethernet1 ip address 10.1.1.0/31',
    ]);
    expect(sim.runningConfig()).toBe(before);
    expect(sim.sessions()).toEqual([]);
    // The same plan again hashes the same, although the session name differs.
    expect((await driver.plan(text(CHANGE), 'merge')).diffHash).toBe(plan.diffHash);
  });

  it('replace and override start from clean-config: what the file leaves out is removed', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text(`hostname ceos1\n${sim.runningConfig().split('\n').filter((l) => !l.startsWith('hostname') && !/^ntp/.test(l)).join('\n')}`), 'replace');
    expect(plan.diff, plan.diff).toBe('');
    const trimmed = sim.runningConfig().replace('management api netconf\n   transport ssh default\n!\n', '');
    const override = await driver.plan(text(trimmed), 'override');
    expect(override.diff).toContain('-management api netconf\n-   transport ssh default\n');
    // A removed section is one delete of the section, not of each line in it.
    expect(override.statements).toEqual(['delete management api netconf']);
    expect(sim.sessions()).toEqual([]);
  });

  it("a line the device refuses fails the plan with that line's message and leaves no session", async () => {
    const { sim, driver } = await connected();
    const err = await driver.plan(text('interface Ethernet1\n   description ok\nfrobnicate the widget\n'), 'merge').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).deviceErrors).toEqual(["'frobnicate the widget': Invalid input (at token 0: 'frobnicate')"]);
    expect(sim.sessions()).toEqual([]);
  });

  it('refuses lines that would leave the session or run commands before sending anything', async () => {
    const { sim, driver } = await connected();
    const sent = sim.requestCount();
    for (const line of ['commit', 'end', 'exit', 'configure session other', 'copy running-config flash:x', 'bash rm -rf /', 'write memory', 'show version']) {
      await expect(driver.plan(text(`hostname x\n${line}\nntp server 1.2.3.4`), 'merge')).rejects.toBeInstanceOf(UnsupportedError);
    }
    await expect(driver.plan(text('hostname x\u0007'), 'merge')).rejects.toThrow(/control character \(U\+0007\)/);
    await expect(driver.plan({ type: 'device-file', path: 'flash:x.cfg' }, 'merge')).rejects.toBeInstanceOf(UnsupportedError);
    await expect(driver.plan(text('hostname x'), 'set')).rejects.toBeInstanceOf(UnsupportedError);
    expect(sim.requestCount()).toBe(sent);
    // A trailing `end`, as show running-config prints, is fine.
    expect((await driver.plan(text('hostname x\n!\nend\n'), 'merge')).diff).toContain('+hostname x');
  });

  it('applies: a fresh session, the same hash, a plain commit; no session pending afterwards', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text(CHANGE), 'merge');
    const result = await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash, comment: 'clab-bot #12 by @alice' });
    expect(result).toMatchObject({ committed: true, pendingConfirm: false, commitId: expect.stringMatching(/^clab-bot-12-ceos1-[0-9a-f]{6}$/) });
    expect(result.diff).toContain('+ntp server 10.0.0.100');
    expect(sim.runningConfig()).toContain('   description uplink to r2\n');
    expect(sim.sessions().filter((s) => s.state !== 'completed')).toEqual([]);
    // Nothing left to do: an empty diff is not a commit.
    const again = await driver.plan(text(CHANGE), 'merge');
    expect(again.diff).toBe('');
    expect(await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: again.diffHash })).toMatchObject({ committed: false });
  });

  it('refuses a stale plan: someone changed the device, nothing is committed, no session left', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text('interface Ethernet1\n   description approved\n'), 'merge');
    sim.configureLocal(['interface Ethernet1', 'description drifted']);
    await expect(driver.apply(text('interface Ethernet1\n   description approved\n'), { method: 'merge', expectDiffHash: plan.diffHash })).rejects.toBeInstanceOf(StaleError);
    expect(sim.runningConfig()).toContain('description drifted');
    expect(sim.sessions()).toEqual([]);
  });

  it('commit timer: pending until confirmed, then kept; rollback 2 restores the configuration before the change', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    const result = await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 300 });
    expect(result.pendingConfirm).toBe(true);
    expect(sim.sessions()).toEqual([expect.objectContaining({ name: result.commitId, state: 'pendingCommitTimer' })]);
    await driver.confirm();
    expect(sim.sessions()).toEqual([expect.objectContaining({ name: result.commitId, state: 'completed' })]);
    const after = sim.runningConfig();
    expect(after).toContain('ntp server 10.0.0.100');
    // Numbered like Junos: the confirm is commit 1, the change commit 2.
    const undo = await driver.rollback(2);
    expect(undo.committed).toBe(true);
    expect(sim.runningConfig()).toBe(before);
    // And rollback 1 now undoes the rollback.
    await driver.rollback(1);
    expect(sim.runningConfig()).toBe(after);
    await expect(driver.rollback(9)).rejects.toThrow(/there is no rollback 9: .* 4 are saved on this device/);
  });

  it('an unconfirmed commit timer reverts by itself', async () => {
    const clock = new ManualClock();
    const { sim, driver } = await connected({ clock });
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 60 });
    expect(sim.runningConfig()).not.toBe(before);
    clock.advance(60_000);
    expect(sim.runningConfig()).toBe(before);
    await expect(driver.confirm()).rejects.toThrow(/no configuration session of the bot is waiting for confirmation/);
  });

  it("commitStatus reads the change's configuration session: timer running (with its expiry), completed, unknown to the device", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0));
    const { driver } = await connected({ clock });
    const plan = await driver.plan(text(CHANGE), 'merge');
    await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 300, comment: 'clab-bot #42 by alice approved by bob' });
    const pending = await driver.commitStatus(changeCommits(42));
    expect(pending).toMatchObject({ state: 'pending-confirm', rollsBackAt: '2026-01-01T00:05:00.000Z' });
    expect(pending.detail).toMatch(/^committed with a commit timer \(session clab-bot-42-ceos1-\w+\); the confirm did not arrive: the device rolls back at 00:05 UTC unless confirmed$/);
    // Change #4 is not change #42.
    expect((await driver.commitStatus(changeCommits(4))).state).toBe('cannot-tell');
    await driver.confirm();
    expect(await driver.commitStatus(changeCommits(42))).toMatchObject({ state: 'committed', detail: expect.stringMatching(/is completed: committed and confirmed$/) });
  });

  it('plans and applies a rollback source (config --rollback N) through a session', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash });
    const back = await driver.plan({ type: 'rollback', index: 1 }, 'override');
    expect(back.diff).toContain('-ntp server 10.0.0.100');
    expect(sim.sessions().filter((s) => s.state !== 'completed')).toEqual([]);
    await driver.apply({ type: 'rollback', index: 1 }, { method: 'override', expectDiffHash: back.diffHash });
    expect(sim.runningConfig()).toBe(before);
    expect((await driver.plan({ type: 'rollback', index: 0 }, 'override')).diff).toBe('');
  });
});

describe('EOS driver: faults', () => {
  it('a commit error is Rejected with the message; running unchanged, the session aborted', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    sim.setFaults({ commitError: 'Commit failed: Sysdb unavailable' });
    const err = await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).deviceErrors).toEqual(['Commit failed: Sysdb unavailable']);
    expect(sim.runningConfig()).toBe(before);
    expect(sim.sessions()).toEqual([]);
  });

  it('a configuration held by someone else is Locked', async () => {
    const { sim, driver } = await connected();
    sim.setFaults({ busy: 'bob' });
    await expect(driver.plan(text(CHANGE), 'merge')).rejects.toBeInstanceOf(LockedError);
    await expect(driver.plan(text(CHANGE), 'merge')).rejects.toThrow(/user bob/);
  });

  it('a connection dropped during the commit is ConnectionLost (outcome unknown); the driver stays usable', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text(CHANGE), 'merge');
    // The plan's requests are done; the apply's stage, diff and checkpoint go through, the commit is dropped.
    sim.setFaults({ dropOnCommand: /^configure session \S+ commit$/ });
    const err = await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    // The device did commit: the driver says the outcome is unknown rather than guessing.
    expect((err as ConnectionLostError).message).toMatch(/connection lost during apply/);
    expect(sim.runningConfig()).toContain('ntp server 10.0.0.100');
    expect(driver.isAlive()).toBe(true);
    expect((await driver.facts()).hostname).toBe('ceos1');
  });

  it('latency past the budget is Timeout; an aborted signal is Cancelled', async () => {
    const { sim, driver } = await connected();
    sim.setFaults({ latencyMs: 400 });
    await expect(driver.exec('show version', { timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    const ac = new AbortController();
    const pending = driver.exec('show version', { signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    sim.setFaults({ latencyMs: 0 });
    expect((await driver.exec('show hostname')).output).toContain('ceos1');
  });
});
