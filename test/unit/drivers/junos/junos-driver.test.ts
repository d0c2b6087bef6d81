import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  ConnectionLostError,
  LockedError,
  RejectedError,
  StaleError,
  TimeoutError,
  UnsupportedError,
} from '../../../../src/drivers/errors.js';
import { JunosDriver } from '../../../../src/drivers/junos/junos-driver.js';
import { diffHash } from '../../../../src/drivers/junos/parsers.js';
import { NetconfSession } from '../../../../src/drivers/netconf/session.js';
import { makeNode } from '../../../helpers/nodes.js';
import { FakeDevice, type Answer, type ReceivedRpc } from '../support/fake-device.js';
import { junosFixture } from '../support/fixtures.js';

const DIFF = '[edit system]\n-  host-name r1;\n+  host-name r1-new;';
const DIFF_REPLY = `<configuration-information><configuration-output>\n${DIFF}\n</configuration-output></configuration-information>`;
const COMMIT_INFO = '<commit-information><commit-history><sequence-number>0</sequence-number><user>lab</user><client>cli</client><date-time seconds="1700000000">x</date-time></commit-history></commit-information>';

/** The RPC's root element name, e.g. `load-configuration`. */
const rpcName = (rpc: ReceivedRpc) => /^<([\w-]+)/.exec(rpc.body)?.[1] ?? '';
const inner = (fixture: string) => ({ reply: junosFixture(fixture) });

/** A scripted Junos: per RPC name an answer, else a plausible success. */
function scripted(overrides: Record<string, Answer | ((rpc: ReceivedRpc) => Answer)> = {}) {
  return (rpc: ReceivedRpc): Answer => {
    const name = rpcName(rpc);
    const override = overrides[name];
    if (override !== undefined) return typeof override === 'function' ? override(rpc) : override;
    switch (name) {
      case 'get-commit-information':
        return COMMIT_INFO;
      case 'load-configuration':
        return '<load-configuration-results><ok/></load-configuration-results>';
      case 'get-configuration':
        return rpc.body.includes('compare') ? DIFF_REPLY : '<configuration-text>\nsystem {\n    host-name r1;\n}\n</configuration-text>';
      case 'commit-configuration':
        return rpc.body.includes('<check/>')
          ? '<commit-results><routing-engine><name>re0</name><commit-check-success/></routing-engine></commit-results>'
          : '<commit-results><routing-engine><name>re0</name><commit-success/></routing-engine></commit-results>';
      case 'command':
        return '<output>\nHostname: r1\nModel: vmx\n</output>';
      default:
        return '<ok/>';
    }
  };
}

async function driverOn(device: FakeDevice, timeouts = {}) {
  const driver = new JunosDriver(makeNode({ name: 'r1', host: '127.0.0.1' }), {
    timeouts,
    connect: (options) => NetconfSession.start(device.stream, { label: options.label }),
  });
  await driver.open();
  return driver;
}

const names = (device: FakeDevice) => device.received.map(rpcName);

describe('JunosDriver exec', () => {
  it('runs a text command and returns its output', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    const result = await driver.exec('show version');
    expect(result).toMatchObject({ output: 'Hostname: r1\nModel: vmx', format: 'text', warnings: [] });
    expect(device.received[0]?.body).toBe('<command format="text">show version</command>');
  });

  it('asks for json/xml through the format attribute, also when typed as | display json', async () => {
    const device = new FakeDevice({
      answer: scripted({ command: (rpc) => (rpc.body.includes('json') ? inner('command-json.xml') : inner('command-xml.xml')) }),
    });
    const driver = await driverOn(device);
    const json = await driver.exec('show route | display json');
    expect(json.format).toBe('json');
    expect(() => JSON.parse(json.output) as unknown).not.toThrow();
    const xml = await driver.exec('show chassis routing-engine', { format: 'xml' });
    expect(xml.format).toBe('xml');
    expect(xml.output.startsWith('<route-engine-information')).toBe(true);
    expect(device.received.map((r) => r.body)).toEqual([
      '<command format="json">show route</command>',
      '<command>show chassis routing-engine</command>',
    ]);
  });

  it('throws RejectedError with the device text for a plain-text failure and for rpc-errors', async () => {
    const device = new FakeDevice({
      answer: scripted({
        command: (rpc) => (rpc.body.includes('xe-9') ? inner('command-error-text.xml') : inner('permission-denied.xml')),
      }),
    });
    const driver = await driverOn(device);
    const text = driver.exec('show interfaces xe-9/9/9');
    await expect(text).rejects.toBeInstanceOf(RejectedError);
    await expect(text).rejects.toMatchObject({ deviceErrors: ['device xe-9/9/9 not found'] });
    await expect(driver.exec('show chassis hardware')).rejects.toThrow(/permission denied/);
    expect(driver.isAlive()).toBe(true);
  });

  it('keeps warnings without failing', async () => {
    const device = new FakeDevice({ answer: scripted({ command: inner('warnings-only.xml') }) });
    const driver = await driverOn(device);
    const result = await driver.exec('request system zeroize');
    expect(result.warnings).toHaveLength(4);
  });

  it('sends a hostile command as one escaped RPC that round-trips exactly', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    const hostile = 'show version ]]>]]><rpc><commit-configuration/></rpc>]]>]]> & <x>';
    await driver.exec(hostile);
    expect(device.received).toHaveLength(1);
    expect(device.received[0]?.body).toBe(
      '<command format="text">show version ]]&gt;]]&gt;&lt;rpc&gt;&lt;commit-configuration/&gt;&lt;/rpc&gt;]]&gt;]]&gt; &amp; &lt;x&gt;</command>',
    );
    expect(driver.isAlive()).toBe(true);
  });

  it('refuses text XML cannot carry before sending anything', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    await expect(driver.exec('show\u0000version')).rejects.toThrow(UnsupportedError);
    await expect(driver.exec('show\u0000version')).rejects.toThrow(/U\+0000 \(position 4\)/);
    expect(device.received).toEqual([]);
  });

  it('a timeout ends the session; later calls fail without sending', async () => {
    const device = new FakeDevice({ answer: scripted({ command: { silent: true } }) });
    const driver = await driverOn(device);
    await expect(driver.exec('show log messages', { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    expect(driver.isAlive()).toBe(false);
    await expect(driver.exec('show version')).rejects.toMatchObject({ code: 'connection_lost', requestSent: false });
    expect(device.received).toHaveLength(1);
  });

  it('an abort cancels and ends the session', async () => {
    const device = new FakeDevice({ answer: scripted({ command: { silent: true } }) });
    const driver = await driverOn(device);
    const controller = new AbortController();
    const pending = driver.exec('monitor traffic', { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(driver.isAlive()).toBe(false);
  });
});

describe('JunosDriver plan', () => {
  it('private candidate → load → diff → commit check → close, and returns diff, hash and base', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    const plan = await driver.plan({ type: 'text', content: 'system { host-name r1-new; }' }, 'merge');
    expect(plan).toEqual({
      diff: DIFF,
      diffHash: diffHash(DIFF),
      base: '1700000000 lab cli',
      check: { ok: true, errors: [], warnings: [] },
      statements: ['delete system host-name r1', 'set system host-name r1-new'],
    });
    expect(names(device)).toEqual([
      'open-configuration',
      'get-commit-information',
      'load-configuration',
      'get-configuration',
      'commit-configuration',
      'close-configuration',
    ]);
    expect(device.received[0]?.body).toBe('<open-configuration><private/></open-configuration>');
    expect(device.received[3]?.body).toBe('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(device.received[4]?.body).toBe('<commit-configuration><check/></commit-configuration>');
  });

  it('a failing commit check is data, with load warnings kept', async () => {
    const device = new FakeDevice({
      answer: scripted({
        'commit-configuration': inner('commit-xnm-errors.xml'),
        'load-configuration': '<load-configuration-results><rpc-error><error-severity>warning</error-severity><error-message>statement not found</error-message></rpc-error><ok/></load-configuration-results>',
      }),
    });
    const driver = await driverOn(device);
    const plan = await driver.plan({ type: 'text', content: 'delete protocols ospf' }, 'set');
    expect(plan.check.ok).toBe(false);
    expect(plan.check.errors[1]).toBe('configuration check-out failed');
    expect(plan.check.warnings).toEqual(['statement not found']);
    expect(names(device).at(-1)).toBe('close-configuration');
  });

  it('a load error throws RejectedError with every message, and still closes the private candidate', async () => {
    const device = new FakeDevice({ answer: scripted({ 'load-configuration': inner('load-configuration-error.xml') }) });
    const driver = await driverOn(device);
    const pending = driver.plan({ type: 'text', content: 'protocolz { }' }, 'merge');
    await expect(pending).rejects.toBeInstanceOf(RejectedError);
    await expect(pending).rejects.toMatchObject({ deviceErrors: [expect.stringContaining('syntax error'), expect.stringContaining('error recovery')] });
    expect(names(device)).toEqual(['open-configuration', 'get-commit-information', 'load-configuration', 'close-configuration']);
    expect(driver.isAlive()).toBe(true);
  });

  it('<ok/> beside an error still fails the load', async () => {
    const device = new FakeDevice({ answer: scripted({ 'load-configuration': inner('load-error-with-ok.xml') }) });
    const driver = await driverOn(device);
    await expect(driver.plan({ type: 'text', content: 'set routing-optionz x' }, 'set')).rejects.toThrow(/syntax error/);
  });

  it('a locked database is LockedError and nothing else is sent', async () => {
    const device = new FakeDevice({ answer: scripted({ 'open-configuration': inner('rfc-compliant-error.xml') }) });
    const driver = await driverOn(device);
    await expect(driver.plan({ type: 'text', content: 'system { }' }, 'merge')).rejects.toBeInstanceOf(LockedError);
    expect(names(device)).toEqual(['open-configuration']);
  });

  it('a timeout mid-plan ends the session without trying to clean up over it', async () => {
    const device = new FakeDevice({ answer: scripted({ 'get-configuration': { silent: true } }) });
    const driver = await driverOn(device, { plan: 100 });
    await expect(driver.plan({ type: 'text', content: 'system { host-name x; }' }, 'merge')).rejects.toBeInstanceOf(TimeoutError);
    expect(driver.isAlive()).toBe(false);
    expect(names(device)).toEqual(['open-configuration', 'get-commit-information', 'load-configuration', 'get-configuration']);
  });

  it('a failed release ends the session (the device drops the candidate with it) but keeps the plan', async () => {
    const device = new FakeDevice({ answer: scripted({ 'close-configuration': inner('commit-check-errors.xml') }) });
    const driver = await driverOn(device);
    const plan = await driver.plan({ type: 'text', content: 'system { host-name r1-new; }' }, 'merge');
    expect(plan.diff).toBe(DIFF);
    expect(driver.isAlive()).toBe(false);
  });

  it('plans a rollback and a device file', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    await driver.plan({ type: 'rollback', index: 2 }, 'merge');
    await driver.plan({ type: 'device-file', path: '/var/tmp/r1.conf' }, 'override');
    const loads = device.received.filter((r) => rpcName(r) === 'load-configuration').map((r) => r.body);
    expect(loads).toEqual([
      '<load-configuration rollback="2"/>',
      '<load-configuration action="override" format="text" url="/var/tmp/r1.conf"/>',
    ]);
  });

  it('runs two candidate operations on one session one after the other', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    await Promise.all([
      driver.plan({ type: 'text', content: 'system { host-name a; }' }, 'merge'),
      driver.plan({ type: 'text', content: 'system { host-name b; }' }, 'merge'),
    ]);
    const sequence = names(device).filter((n) => n === 'open-configuration' || n === 'close-configuration');
    expect(sequence).toEqual(['open-configuration', 'close-configuration', 'open-configuration', 'close-configuration']);
  });
});

describe('JunosDriver apply, confirm, rollback', () => {
  it('refuses a stale plan: StaleError, no commit, candidate closed', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    const pending = driver.apply({ type: 'text', content: 'system { host-name r1-new; }' }, { method: 'merge', expectDiffHash: diffHash('something else') });
    await expect(pending).rejects.toBeInstanceOf(StaleError);
    expect(names(device)).toEqual(['open-configuration', 'load-configuration', 'get-configuration', 'close-configuration']);
  });

  it('commits plainly in a private candidate, with the log comment', async () => {
    const device = new FakeDevice({ answer: scripted({ 'commit-configuration': inner('commit-success.xml') }) });
    const driver = await driverOn(device);
    const result = await driver.apply(
      { type: 'text', content: 'system { host-name r1-new; }' },
      { method: 'merge', expectDiffHash: diffHash(DIFF), comment: 'clab-bot #3 by @a approved by @b' },
    );
    expect(result).toEqual({ committed: true, commitId: 're0-1714641247-17', diff: DIFF, pendingConfirm: false, warnings: [] });
    expect(device.received.find((r) => rpcName(r) === 'commit-configuration')?.body).toBe(
      '<commit-configuration><log>clab-bot #3 by @a approved by @b</log></commit-configuration>',
    );
    expect(names(device).at(-1)).toBe('close-configuration');
  });

  it('commit confirmed takes the exclusive lock (Junos refuses it in private mode) and releases it', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    const result = await driver.apply(
      { type: 'text', content: 'system { host-name r1-new; }' },
      { method: 'merge', expectDiffHash: diffHash(DIFF), confirmSeconds: 300, comment: 'c' },
    );
    expect(result).toMatchObject({ committed: true, pendingConfirm: true, commitId: '1700000000 lab cli' });
    expect(names(device)).toEqual([
      'lock-configuration',
      'load-configuration',
      'get-configuration',
      'commit-configuration',
      'get-commit-information',
      'load-configuration',
      'unlock-configuration',
    ]);
    expect(device.received[3]?.body).toBe('<commit-configuration><confirmed/><confirm-timeout>5</confirm-timeout><log>c</log></commit-configuration>');
    expect(device.received[5]?.body).toBe('<load-configuration compare="rollback" rollback="0"/>');
  });

  it('a commit error throws RejectedError and releases the candidate', async () => {
    const device = new FakeDevice({ answer: scripted({ 'commit-configuration': inner('commit-check-errors.xml') }) });
    const driver = await driverOn(device);
    const pending = driver.apply({ type: 'text', content: 'x' }, { method: 'merge', expectDiffHash: diffHash(DIFF) });
    await expect(pending).rejects.toThrow(/interface-range 'uplinks' is not defined/);
    expect(names(device).at(-1)).toBe('close-configuration');
  });

  it('an empty diff commits nothing', async () => {
    const device = new FakeDevice({ answer: scripted({ 'get-configuration': inner('diff-empty.xml') }) });
    const driver = await driverOn(device);
    const result = await driver.apply({ type: 'text', content: 'system { host-name r1; }' }, { method: 'merge', expectDiffHash: diffHash('') });
    expect(result).toEqual({ committed: false, commitId: undefined, diff: '', pendingConfirm: false, warnings: [] });
    expect(names(device)).not.toContain('commit-configuration');
  });

  it('the connection lost during commit is ConnectionLostError (outcome unknown)', async () => {
    const device = new FakeDevice({ answer: scripted({ 'commit-configuration': { hangUp: true } }) });
    const driver = await driverOn(device);
    const pending = driver.apply({ type: 'text', content: 'x' }, { method: 'merge', expectDiffHash: diffHash(DIFF) });
    await expect(pending).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(pending).rejects.toMatchObject({ requestSent: true });
  });

  it('confirm commits under the lock; rollback loads rollback N and commits', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    await driver.confirm({ comment: 'confirm #3' });
    expect(names(device)).toEqual(['lock-configuration', 'commit-configuration', 'load-configuration', 'unlock-configuration']);
    expect(device.received[1]?.body).toBe('<commit-configuration><log>confirm #3</log></commit-configuration>');
    device.received.length = 0;
    const result = await driver.rollback(1, { comment: 'back' });
    expect(result).toMatchObject({ committed: true, diff: DIFF, pendingConfirm: false });
    expect(device.received.map((r) => r.body).slice(0, 2)).toEqual([
      '<open-configuration><private/></open-configuration>',
      '<load-configuration rollback="1"/>',
    ]);
    await expect(driver.rollback(50)).rejects.toBeInstanceOf(UnsupportedError);
  });
});

describe('JunosDriver facts and running config', () => {
  it('sends the three fact RPCs at once and reads them', async () => {
    const device = new FakeDevice({
      answer: scripted({
        'get-software-information': inner('software-information-dual-re.xml'),
        'get-chassis-inventory': inner('chassis-inventory.xml'),
        'get-system-uptime-information': inner('uptime-information.xml'),
      }),
    });
    const driver = await driverOn(device);
    const facts = await driver.facts();
    expect(facts).toEqual({ hostname: 'core1', model: 'mx480', version: '17.3R3-S4.2', serial: 'VM6A1B2C3D4E', uptimeSeconds: 86_400, vendor: 'Juniper' });
  });

  it('tolerates one RE being unreachable and a platform without inventory access', async () => {
    const device = new FakeDevice({
      answer: scripted({
        'get-software-information': inner('software-information-other-re-off.xml'),
        'get-chassis-inventory': inner('permission-denied.xml'),
        'get-system-uptime-information': inner('uptime-information-multi-re.xml'),
      }),
    });
    const driver = await driverOn(device);
    expect(await driver.facts()).toMatchObject({ hostname: 'agg2_re1', serial: '', uptimeSeconds: 3_600 });
  });

  it('fails facts when there is no software information at all', async () => {
    const device = new FakeDevice({ answer: scripted({ 'get-software-information': inner('permission-denied.xml') }) });
    const driver = await driverOn(device);
    await expect(driver.facts()).rejects.toThrow(/permission denied/);
  });

  it('reads the committed configuration as text', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    expect(await driver.runningConfig()).toBe('system {\n    host-name r1;\n}');
    expect(device.received[0]?.body).toBe('<get-configuration database="committed" format="text"/>');
  });

  it('an <ok/> alone where data is expected is not success', async () => {
    const device = new FakeDevice({ answer: () => '<ok/>' });
    const driver = await driverOn(device);
    await expect(driver.runningConfig()).rejects.toThrow(/returned no configuration text/);
    await expect(driver.facts()).rejects.toThrow(/returned no software-information/);
  });

  it('a driver that was never opened sends nothing and says so', async () => {
    const driver = new JunosDriver(makeNode({ name: 'r9', host: '127.0.0.1' }));
    await expect(driver.exec('show version')).rejects.toMatchObject({ code: 'connection_lost', requestSent: false });
    await expect(driver.exec('show version')).rejects.toThrow(/call open\(\) first/);
  });

  it('capabilities are flags, close is clean', async () => {
    const device = new FakeDevice({ answer: scripted() });
    const driver = await driverOn(device);
    expect(driver.capabilities).toMatchObject({ commitConfirmed: true, privateCandidate: true, rollback: true, deviceFiles: true });
    expect(driver.capabilities.configMethods).toEqual(['merge', 'override', 'replace', 'set']);
    await driver.close();
    expect(names(device)).toEqual(['close-session']);
    expect(driver.isAlive()).toBe(false);
  });

  it('closing as the process exits still tells the device, without waiting for its answer', async () => {
    // The device never answers close-session: waiting would take the session's 5 s bound, past this test's limit.
    const device = new FakeDevice({ answer: scripted({ 'close-session': { silent: true } }) });
    const driver = await driverOn(device);
    await driver.close({ exiting: true });
    expect(names(device)).toEqual(['close-session']);
    expect(device.stream.ended).toBe(true);
    expect(driver.isAlive()).toBe(false);
  }, 4_000);
});
