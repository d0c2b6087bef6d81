import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMethod, NodeSource } from '../../../src/drivers/contract.js';
import {
  AuthFailedError,
  CancelledError,
  ConnectionLostError,
  LockedError,
  RejectedError,
  StaleError,
  TimeoutError,
  UnreachableError,
} from '../../../src/drivers/errors.js';
import { JunosDriver } from '../../../src/drivers/junos/junos-driver.js';
import { ManualClock } from '../../../src/sim/clock.js';
import { startJunosSim, type JunosSim, type JunosSimOptions } from '../../../src/sim/junos/index.js';
import { makeNode } from '../../helpers/nodes.js';

/**
 * The Junos driver over real SSH on loopback against the Junos simulator (src/sim/junos).
 * Each test gets its own device so commits and faults never leak between tests.
 */
const open: Array<{ sim: JunosSim; driver: JunosDriver }> = [];

async function device(options: Partial<JunosSimOptions> = {}, driverOptions: ConstructorParameters<typeof JunosDriver>[1] = {}) {
  const sim = await startJunosSim({ hostname: 'r1', port: 0, serial: 'VMSIM0001', ...options });
  const driver = new JunosDriver(
    makeNode({ name: 'r1', host: sim.host, port: sim.port, username: options.username ?? 'admin', password: options.password ?? 'admin@123' }),
    driverOptions,
  );
  open.push({ sim, driver });
  return { sim, driver };
}

async function connected(options: Partial<JunosSimOptions> = {}, driverOptions: ConstructorParameters<typeof JunosDriver>[1] = {}) {
  const pair = await device(options, driverOptions);
  await pair.driver.open();
  return pair;
}

afterEach(async () => {
  for (const { sim, driver } of open.splice(0)) {
    await driver.close();
    await sim.close();
  }
});

/** Polls until `check` is true (bounded), for server-side effects that follow a client action. */
async function eventually(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const text = (content: string): NodeSource => ({ type: 'text', content });
const INTERFACE = 'interfaces {\n    ge-0/0/1 {\n        description "to core";\n        unit 0 {\n            family inet {\n                address 10.1.1.1/31;\n            }\n        }\n    }\n}';

describe('session', () => {
  it('opens one NETCONF session, reports it alive, and closes it cleanly', async () => {
    const { sim, driver } = await connected();
    expect(driver.isAlive()).toBe(true);
    expect(sim.activeSessions()).toBe(1);
    await driver.close();
    expect(driver.isAlive()).toBe(false);
    await eventually(() => sim.activeSessions() === 0);
  });

  it('works with ]]>]]> framing only (stock vJunos) and with nc:-prefixed replies (rfc-compliant vMX)', async () => {
    for (const options of [{ chunkedFraming: false }, { rfcCompliant: true }]) {
      const { driver } = await connected(options);
      expect((await driver.exec('show version')).output).toContain('Hostname: r1');
      const plan = await driver.plan(text('system { host-name r2; }'), 'merge');
      expect(plan.diff).toContain('+  host-name r2;');
      await expect(driver.plan(text('system { host-name'), 'merge')).rejects.toBeInstanceOf(RejectedError);
    }
  });

  it('a closed port is UnreachableError, a wrong password AuthFailedError', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const nowhere = new JunosDriver(makeNode({ name: 'gone', host: '127.0.0.1', port }));
    await expect(nowhere.open()).rejects.toBeInstanceOf(UnreachableError);

    const { sim } = await device();
    const wrong = new JunosDriver(makeNode({ name: 'r1', host: sim.host, port: sim.port, password: 'not-the-password' }));
    const pending = wrong.open();
    await expect(pending).rejects.toBeInstanceOf(AuthFailedError);
    await expect(pending).rejects.not.toThrow(/not-the-password/);
  });
});

describe('exec', () => {
  it('runs text commands', async () => {
    const { driver } = await connected({ version: '23.4R1.9' });
    const result = await driver.exec('show version');
    expect(result.format).toBe('text');
    expect(result.output).toMatch(/^Hostname: r1\nModel: vmx\nJunos: 23\.4R1\.9/);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('returns JSON and XML through the format option and through | display json / xml', async () => {
    const { driver } = await connected();
    const json = await driver.exec('show version', { format: 'json' });
    const piped = await driver.exec('show version | display json');
    for (const result of [json, piped]) {
      expect(result.format).toBe('json');
      const data = JSON.parse(result.output) as { 'software-information': Array<{ 'host-name': Array<{ data: string }> }> };
      expect(data['software-information'][0]?.['host-name'][0]?.data).toBe('r1');
    }
    const xml = await driver.exec('show version | display xml');
    expect(xml.format).toBe('xml');
    expect(xml.output).toMatch(/^<software-information>/);
    expect(xml.output).toContain('<host-name>r1</host-name>');
  });

  it('an unknown command is RejectedError with the device message, and the session stays usable', async () => {
    const { driver } = await connected();
    const pending = driver.exec('show bogus thing');
    await expect(pending).rejects.toBeInstanceOf(RejectedError);
    await expect(pending).rejects.toThrow(/syntax error/);
    expect((await driver.exec('show version')).output).toContain('Hostname: r1');
  });
});

describe('facts and running config', () => {
  it('reads hostname, model, version, serial and uptime', async () => {
    const { driver } = await connected({ model: 'vmx', version: '23.2R1.14', serial: 'VMSIM0042' });
    const facts = await driver.facts();
    expect(facts).toMatchObject({ hostname: 'r1', model: 'vmx', version: '23.2R1.14', serial: 'VMSIM0042', vendor: 'Juniper' });
    expect(facts.uptimeSeconds).toBeGreaterThan(0);
  });

  it('returns the committed configuration as the device prints it', async () => {
    const { sim, driver } = await connected();
    const running = await driver.runningConfig();
    expect(running).toContain(sim.runningConfig().trim().split('\n').slice(0, 5).join('\n'));
    expect(running).toContain('host-name r1;');
  });
});

describe('plan', () => {
  const cases: Array<[ConfigMethod, string, string]> = [
    ['merge', 'system {\n    host-name r1-merge;\n}', '+  host-name r1-merge;'],
    ['replace', 'system {\n    replace: host-name r1-replace;\n}', '+  host-name r1-replace;'],
    ['set', 'set system host-name r1-set\nset system ntp server 10.0.0.9', '+  host-name r1-set;'],
    ['override', '', '-  host-name r1;'],
  ];

  it.each(cases)('method %s: diff against running, check ok, device unchanged', async (method, content, expected) => {
    const { sim, driver } = await connected();
    const source = method === 'override' ? text(sim.runningConfig().replace('host-name r1;', 'host-name r1-override;')) : text(content);
    const before = sim.runningConfig();
    const history = sim.commitHistory().length;
    const plan = await driver.plan(source, method);
    expect(plan.diff).toContain(expected);
    expect(plan.diffHash).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.check).toEqual({ ok: true, errors: [], warnings: [] });
    expect(plan.base).toBeDefined();
    expect(sim.runningConfig()).toBe(before);
    expect(sim.commitHistory()).toHaveLength(history);
  });

  it('override replaces everything: a minimal config shows every other statement removed', async () => {
    const { driver } = await connected();
    const plan = await driver.plan(text('system {\n    host-name r1;\n}'), 'override');
    expect(plan.diff).toContain('-  interfaces {');
  });

  it('loads XML configuration and a file already on the device', async () => {
    const { sim, driver } = await connected();
    const xml = await driver.plan(text('<configuration><system><host-name>from-xml</host-name></system></configuration>'), 'merge');
    expect(xml.diff).toContain('+  host-name from-xml;');
    sim.writeDeviceFile('/var/tmp/staged.conf', INTERFACE);
    const file = await driver.plan({ type: 'device-file', path: '/var/tmp/staged.conf' }, 'merge');
    expect(file.diff).toMatch(/^\+ +address 10.1.1.1\/31;$/m);
    await expect(driver.plan({ type: 'device-file', path: '/var/tmp/missing.conf' }, 'merge')).rejects.toThrow(/No such file/);
  });

  it("plans the device's own rollback", async () => {
    const { sim, driver } = await connected();
    sim.commitLocal('system { host-name r1-later; }', 'merge', 'local change');
    const plan = await driver.plan({ type: 'rollback', index: 1 }, 'merge');
    expect(plan.diff).toContain('-  host-name r1-later;');
    expect(plan.diff).toContain('+  host-name r1;');
  });

  it('a syntax error is RejectedError carrying the device messages; nothing is left open', async () => {
    const { sim, driver } = await connected();
    const pending = driver.plan(text('system {\n    host-name r1-broken\n'), 'merge');
    await expect(pending).rejects.toBeInstanceOf(RejectedError);
    const err = (await pending.catch((e: unknown) => e)) as RejectedError;
    expect(err.deviceErrors.length).toBeGreaterThan(0);
    // The private candidate was closed: a second plan in the same session starts clean.
    const plan = await driver.plan(text('system { host-name r1-ok; }'), 'merge');
    expect(plan.diff).not.toContain('broken');
    expect(sim.commitHistory()).toHaveLength(1);
  });

  it('a failing commit check is data, not a throw', async () => {
    const { driver } = await connected();
    const plan = await driver.plan(text('protocols {\n    ospf {\n        area 0.0.0.0 {\n            interface ge-0/0/9.0;\n        }\n    }\n}'), 'merge');
    expect(plan.check.ok).toBe(false);
    expect(plan.check.errors.join('\n')).toContain('ge-0/0/9.0');
  });

  it('warnings never fail a plan', async () => {
    const { driver } = await connected();
    const plan = await driver.plan(text('delete system ntp'), 'set');
    expect(plan.diff).toBe('');
    expect(plan.check.ok).toBe(true);
    expect(plan.check.warnings.join('\n')).toContain('statement not found');
  });
});

describe('apply, confirm, rollback', () => {
  it('commits the approved diff with the comment', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text(INTERFACE), 'merge');
    const result = await driver.apply(text(INTERFACE), { method: 'merge', expectDiffHash: plan.diffHash, comment: 'clab-bot #1 by @alice approved by @bob' });
    expect(result).toMatchObject({ committed: true, pendingConfirm: false, diff: plan.diff });
    expect(result.commitId).toBeDefined();
    expect(sim.runningConfig()).toContain('address 10.1.1.1/31;');
    expect(sim.commitHistory()[0]).toMatchObject({ user: 'admin', client: 'netconf', comment: 'clab-bot #1 by @alice approved by @bob' });
    // Nothing left to change: the same plan is now empty.
    expect((await driver.plan(text(INTERFACE), 'merge')).diff).toBe('');
  });

  it('commits a changed leaf value from the private candidate', async () => {
    const { sim, driver } = await connected();
    const source = text('system { host-name r1-renamed; }');
    const plan = await driver.plan(source, 'merge');
    await driver.apply(source, { method: 'merge', expectDiffHash: plan.diffHash });
    expect(sim.runningConfig()).toContain('host-name r1-renamed;');
    expect(await driver.runningConfig()).toContain('host-name r1-renamed;');
  });

  it('refuses a stale plan: the device changed after approval, nothing is committed', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text('system { host-name r1-approved; }'), 'merge');
    sim.commitLocal('system { host-name r1-drifted; }', 'merge', 'someone else');
    const pending = driver.apply(text('system { host-name r1-approved; }'), { method: 'merge', expectDiffHash: plan.diffHash });
    await expect(pending).rejects.toBeInstanceOf(StaleError);
    expect(sim.commitHistory()[0]?.comment).toBe('someone else');
    expect(sim.runningConfig()).toContain('host-name r1-drifted;');
    expect(sim.runningConfig()).not.toContain('r1-approved');
  });

  it('commit confirmed then confirm keeps the change past the confirm timeout', async () => {
    const clock = new ManualClock();
    const { sim, driver } = await connected({ clock });
    const plan = await driver.plan(text(INTERFACE), 'merge');
    const result = await driver.apply(text(INTERFACE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 60, comment: 'confirmed change' });
    expect(result).toMatchObject({ committed: true, pendingConfirm: true });
    expect(clock.pending).toBe(1);
    await driver.confirm({ comment: 'confirmed by check' });
    expect(clock.pending).toBe(0);
    clock.advance(5 * 60_000);
    expect(sim.runningConfig()).toContain('address 10.1.1.1/31;');
    expect(sim.commitHistory().slice(0, 2).map((c) => c.comment)).toEqual(['confirmed by check', 'confirmed change']);
  });

  it('commit confirmed without confirm is rolled back by the device', async () => {
    const clock = new ManualClock();
    const { sim, driver } = await connected({ clock });
    const plan = await driver.plan(text(INTERFACE), 'merge');
    await driver.apply(text(INTERFACE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 60 });
    clock.advance(59_000);
    expect(sim.runningConfig()).toContain('address 10.1.1.1/31;');
    clock.advance(1_000);
    expect(sim.runningConfig()).not.toContain('address 10.1.1.1/31;');
    expect(sim.commitHistory()[0]).toMatchObject({ user: 'root', client: 'other' });
  });

  it('rollback N commits the older configuration', async () => {
    const { sim, driver } = await connected();
    sim.commitLocal('system { host-name r1-v2; }', 'merge', 'v2');
    const result = await driver.rollback(1, { comment: 'back to v1' });
    expect(result.committed).toBe(true);
    expect(result.diff).toContain('+  host-name r1;');
    expect(sim.runningConfig()).toContain('host-name r1;');
    expect(sim.commitHistory()[0]?.comment).toBe('back to v1');
  });
});

describe('faults', () => {
  it('latency past the timeout: TimeoutError, and the session is ended, not reused', async () => {
    const { sim, driver } = await connected();
    sim.setFaults({ latencyMs: 400 });
    await expect(driver.exec('show version', { timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    expect(driver.isAlive()).toBe(false);
    await eventually(() => sim.activeSessions() === 0);
    sim.setFaults({ latencyMs: 0 });
    await driver.open();
    expect((await driver.exec('show version')).output).toContain('r1');
  });

  it('latency within the timeout only slows things down', async () => {
    const { sim, driver } = await connected();
    sim.setFaults({ latencyMs: 60 });
    const result = await driver.exec('show version', { timeoutMs: 5_000 });
    expect(result.durationMs).toBeGreaterThanOrEqual(50);
  });

  it('an abort cancels the call and ends the session', async () => {
    const { sim, driver } = await connected();
    sim.setFaults({ latencyMs: 1_000 });
    const controller = new AbortController();
    const pending = driver.facts({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(driver.isAlive()).toBe(false);
  });

  it('authFail: every login is refused', async () => {
    const { sim, driver } = await device();
    sim.setFaults({ authFail: true });
    await expect(driver.open()).rejects.toBeInstanceOf(AuthFailedError);
  });

  it('dropMidRpc: the call fails as a lost connection (outcome unknown) and the session is dead', async () => {
    const { sim, driver } = await connected();
    sim.setFaults({ dropMidRpc: true });
    const pending = driver.exec('show version');
    await expect(pending).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(pending).rejects.toMatchObject({ requestSent: true });
    expect(driver.isAlive()).toBe(false);
  });

  it('commitError: apply is RejectedError with the message and nothing is committed', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text(INTERFACE), 'merge');
    sim.setFaults({ commitError: 'commit failed: (statements constraint check failed)' });
    const pending = driver.apply(text(INTERFACE), { method: 'merge', expectDiffHash: plan.diffHash });
    await expect(pending).rejects.toBeInstanceOf(RejectedError);
    await expect(pending).rejects.toThrow(/statements constraint check failed/);
    expect(sim.commitHistory()).toHaveLength(1);
    expect(sim.runningConfig()).not.toContain('10.1.1.1');
    expect(driver.isAlive()).toBe(true);
  });

  it('lockedBy: plan, confirmed apply and confirm are LockedError naming the holder', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text(INTERFACE), 'merge');
    sim.setFaults({ lockedBy: 'netops' });
    for (const attempt of [
      () => driver.plan(text(INTERFACE), 'merge'),
      () => driver.apply(text(INTERFACE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 300 }),
      () => driver.apply(text(INTERFACE), { method: 'merge', expectDiffHash: plan.diffHash }),
      () => driver.confirm(),
    ]) {
      const pending = attempt();
      await expect(pending).rejects.toBeInstanceOf(LockedError);
      await expect(pending).rejects.toThrow(/netops/);
    }
    sim.setFaults({ lockedBy: null });
    expect((await driver.plan(text(INTERFACE), 'merge')).diffHash).toBe(plan.diffHash);
  });
});

describe('injection attempts', () => {
  const HOSTILE = ']]>]]><rpc><commit-configuration/></rpc>]]>]]>';

  it('a command carrying an end-of-message marker and an RPC is one command the device refuses', async () => {
    const { sim, driver } = await connected({ chunkedFraming: false });
    await expect(driver.exec(`show version ${HOSTILE}`)).rejects.toThrow(/syntax error/);
    await expect(driver.exec(`show version </command></rpc>${HOSTILE}<rpc><command>show version`)).rejects.toBeInstanceOf(RejectedError);
    expect(sim.commitHistory()).toHaveLength(1);
    expect(driver.isAlive()).toBe(true);
    expect((await driver.exec('show version')).output).toContain('Hostname: r1');
  });

  it('configuration text with markers, tags and ampersands is loaded literally, never executed', async () => {
    const { sim, driver } = await connected({ chunkedFraming: false });
    const content = `interfaces {\n    ge-0/0/1 {\n        description "x ${HOSTILE} & <b>";\n    }\n}`;
    const plan = await driver.plan(text(content), 'merge');
    expect(plan.diff).toContain(`description "x ${HOSTILE} & <b>";`);
    expect(sim.commitHistory()).toHaveLength(1);
    await driver.apply(text(content), { method: 'merge', expectDiffHash: plan.diffHash, comment: `note ${HOSTILE}` });
    expect(sim.runningConfig()).toContain(`description "x ${HOSTILE} & <b>";`);
    expect(sim.commitHistory()).toHaveLength(2);
    expect(sim.commitHistory()[0]?.comment).toBe(`note ${HOSTILE}`);
  });

  it('XML configuration that tries to close the RPC is refused before sending', async () => {
    const { sim, driver } = await connected();
    const xml = '<configuration/></load-configuration></rpc><rpc><commit-configuration/>';
    await expect(driver.plan({ type: 'text', content: xml, format: 'xml' }, 'merge')).rejects.toThrow(/not a single <configuration> element|malformed XML/);
    expect(sim.commitHistory()).toHaveLength(1);
    expect(driver.isAlive()).toBe(true);
  });
});
