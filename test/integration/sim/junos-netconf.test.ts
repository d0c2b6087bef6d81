import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sim/clock.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { CLIENT_HELLO_10, CLIENT_HELLO_11, connectNetconf, replyText, type RawNetconf } from './netconf-client.js';

const OSPF_CONFIG = `system {
    host-name r1;
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 10.1.1.0/31;
            }
        }
    }
    lo0 {
        unit 0 {
            family inet {
                address 10.255.0.1/32;
            }
        }
    }
}
protocols {
    ospf {
        area 0.0.0.0 {
            interface ge-0/0/0.0;
            interface lo0.0 {
                passive;
            }
        }
    }
}
`;

const open: RawNetconf[] = [];
async function connect(sim: JunosSim, hello?: string, extra: { password?: string } = {}): Promise<RawNetconf> {
  const nc = await connectNetconf({ host: sim.host, port: sim.port, ...(hello !== undefined ? { hello } : {}), ...extra });
  open.push(nc);
  return nc;
}

afterEach(() => {
  for (const nc of open.splice(0)) nc.close();
});

describe('Junos simulator: NETCONF protocol', () => {
  let sim: JunosSim;
  beforeAll(async () => {
    sim = await startJunosSim({
      hostname: 'r1',
      initialConfig: OSPF_CONFIG,
      neighbors: [{ interface: 'ge-0/0/0.0', address: '10.1.1.1', routerId: '10.255.0.2' }],
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('greets like Junos: comments before the hello, base 1.0 and 1.1, Junos capability, session-id', async () => {
    const nc = await connect(sim);
    expect(nc.serverHello.startsWith('<!--')).toBe(true);
    expect(nc.serverHello).toContain('<capability>urn:ietf:params:netconf:base:1.0</capability>');
    expect(nc.serverHello).toContain('<capability>urn:ietf:params:netconf:base:1.1</capability>');
    expect(nc.serverHello).toContain('<capability>http://xml.juniper.net/netconf/junos/1.0</capability>');
    expect(nc.serverHello).toMatch(/<session-id>\d+<\/session-id>/);
  });

  it('answers over ]]>]]> framing when the client speaks base:1.0, echoing message-id', async () => {
    const nc = await connect(sim, CLIENT_HELLO_10);
    const reply = await nc.rpc('<get-software-information/>', 'urn:uuid:abc-1');
    expect(reply).toMatch(/^<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:junos="[^"]+" message-id="urn:uuid:abc-1">/);
    expect(reply).toContain('<host-name>r1</host-name>');
    expect(reply).toContain('<product-model>vmx</product-model>');
    expect(reply).toContain('<junos-version>23.2R1.14</junos-version>');
    expect(nc.rawAfterHello().toString('latin1')).toContain(']]>]]>');
  });

  it('switches to RFC 6242 chunks when both sides advertise base:1.1 and reassembles split chunks', async () => {
    const nc = await connect(sim, CLIENT_HELLO_11);
    nc.send('<rpc message-id="7" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><command format="text">show version</command></rpc>', { chunks: 3 });
    const reply = await nc.next();
    expect(reply).toContain('message-id="7"');
    expect(reply).toContain('<output>\nHostname: r1\nModel: vmx\nJunos: 23.2R1.14\n');
    const raw = nc.rawAfterHello().toString('latin1');
    expect(raw.startsWith('\n#')).toBe(true);
    expect(raw).toContain('\n##\n');
    expect(raw).not.toContain(']]>]]>');
  });

  it('accepts a bare <rpc> without message-id and a hello with an XML declaration and comments', async () => {
    const nc = await connect(sim, CLIENT_HELLO_10);
    nc.send('<rpc><get-system-uptime-information/></rpc>');
    const reply = await nc.next();
    expect(reply).not.toContain('message-id');
    expect(reply).toMatch(/<time-length junos:seconds="\d+">/);
  });

  it('runs CLI commands in text, XML and JSON', async () => {
    const nc = await connect(sim);
    const neighbors = await nc.rpc('<command format="text">show ospf neighbor</command>');
    expect(neighbors).toMatch(/10\.1\.1\.1\s+ge-0\/0\/0\.0\s+Full\s+10\.255\.0\.2\s+128/);
    const xml = await nc.rpc('<command>show interfaces terse</command>');
    expect(xml).toContain('<interface-information xmlns="http://xml.juniper.net/junos/23.2R1.14/junos-interface" junos:style="terse">');
    expect(xml).toContain('<ifa-local junos:emit="emit">10.1.1.0/31</ifa-local>');
    const json = await nc.rpc('<command format="json">show route</command>');
    const body = json.slice(json.indexOf('{'), json.lastIndexOf('}') + 1);
    const parsed = JSON.parse(body) as { 'route-information': { 'route-table': { rt: { 'rt-destination': { data: string }[] }[] }[] }[] };
    const dests = parsed['route-information'][0]?.['route-table'][0]?.rt.map((r) => r['rt-destination'][0]?.data);
    expect(dests).toContain('10.255.0.1/32');
    const conf = await nc.rpc('<command format="text">show configuration protocols ospf</command>');
    expect(conf).toContain('<configuration-information>\n<configuration-output>\narea 0.0.0.0 {\n    interface ge-0/0/0.0;\n');
  });

  it('rejects an unknown command the way Junos does', async () => {
    const nc = await connect(sim);
    const reply = await nc.rpc('<command format="text">show flux capacitor</command>');
    expect(reply).toContain('<error-severity>error</error-severity>');
    expect(reply).toContain('<error-message>syntax error, expecting &lt;command&gt;: flux</error-message>');
    expect(reply).toContain('<bad-element>flux</bad-element>');
    const missing = await nc.rpc('<command format="text">show interfaces xe-9/9/9 terse</command>');
    expect(missing).toContain('error: device xe-9/9/9 not found');
    expect(missing).not.toContain('rpc-error');
  });

  it('answers an unknown RPC with an rpc-error naming it', async () => {
    const nc = await connect(sim);
    const reply = await nc.rpc('<get-frobnication-information/>');
    expect(reply).toContain('<bad-element>get-frobnication-information</bad-element>');
  });

  it('kill-session ends another session, and releases the lock it held', async () => {
    const victim = await connect(sim);
    const killer = await connect(sim);
    expect(await victim.rpc('<lock-configuration/>')).not.toContain('rpc-error');
    const id = /<session-id>(\d+)<\/session-id>/.exec(victim.serverHello)?.[1] ?? '';
    expect(await killer.rpc(`<kill-session><session-id>${id}</session-id></kill-session>`)).toContain('<ok/>');
    await victim.closed;
    expect(await killer.rpc('<lock-configuration/>')).not.toContain('rpc-error');
    expect(await killer.rpc('<kill-session><session-id>1</session-id></kill-session>')).toContain('invalid session-id');
    await killer.rpc('<unlock-configuration/>');
  });

  it('applies output pipes on text commands', async () => {
    const nc = await connect(sim);
    const set = replyText(await nc.rpc('<command format="text">show configuration protocols | display set</command>'));
    expect(set).toBe('\nset protocols ospf area 0.0.0.0 interface ge-0/0/0.0\nset protocols ospf area 0.0.0.0 interface lo0.0 passive\n');
    const count = replyText(await nc.rpc('<command format="text">show interfaces terse | match ge-0/0/0 | count</command>'));
    expect(count).toBe('\nCount: 2 lines\n');
    const rpc = await nc.rpc('<command>show ospf neighbor | display xml rpc</command>');
    expect(rpc).toContain('<rpc>\n<get-ospf-neighbor-information/>\n</rpc>');
  });

  it('closes the session on close-session and counts active sessions', async () => {
    // Sessions of earlier tests were closed by the client; wait until the simulator has seen it.
    await waitFor(() => sim.activeSessions() === 0);
    const nc = await connect(sim);
    expect(sim.activeSessions()).toBe(1);
    const reply = await nc.rpc('<close-session/>');
    expect(reply).toContain('<ok/>');
    await nc.closed;
    await waitFor(() => sim.activeSessions() === 0);
  });
});

describe('Junos simulator: configuration', () => {
  let sim: JunosSim;
  const clock = new ManualClock();
  beforeAll(async () => {
    sim = await startJunosSim({ hostname: 'r1', initialConfig: OSPF_CONFIG, clock });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('private candidate: load set, diff, commit check, commit with log, history', async () => {
    const nc = await connect(sim, CLIENT_HELLO_11);
    const opened = await nc.rpc('<open-configuration><private/></open-configuration>');
    expect(opened).toContain('<error-severity>warning</error-severity>');
    expect(opened).toContain('<error-message>uncommitted changes will be discarded on exit</error-message>');
    const load = await nc.rpc(
      '<load-configuration action="set" format="text"><configuration-set>set system host-name r1-new\nset interfaces ge-0/0/1 unit 0 family inet address 10.1.2.0/31</configuration-set></load-configuration>',
    );
    expect(load).toContain('<load-configuration-results action="set">\n<ok/>\n</load-configuration-results>');
    const diff = await nc.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(diff).toContain(
      '<configuration-output>\n[edit system]\n-  host-name r1;\n+  host-name r1-new;\n[edit interfaces]\n+  ge-0/0/1 {\n+      unit 0 {\n',
    );
    const check = await nc.rpc('<commit-configuration><check/></commit-configuration>');
    expect(check).toContain('<commit-check-success/>');
    expect(sim.runningConfig()).toContain('host-name r1;');
    const commit = await nc.rpc('<commit-configuration><log>change 42</log></commit-configuration>');
    expect(commit).toContain('<commit-success/>');
    expect(sim.runningConfig()).toContain('host-name r1-new;');
    expect(sim.commitHistory()[0]).toMatchObject({ sequence: 0, user: 'admin', client: 'netconf', comment: 'change 42' });
    const none = await nc.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(none).toContain('<configuration-output>\n</configuration-output>');
    await nc.rpc('<close-configuration/>');
  });

  it('keeps private candidates apart and discards them on close', async () => {
    const a = await connect(sim);
    const b = await connect(sim);
    await a.rpc('<open-configuration><private/></open-configuration>');
    await b.rpc('<open-configuration><private/></open-configuration>');
    await a.rpc('<load-configuration action="set" format="text"><configuration-set>set snmp location building-a</configuration-set></load-configuration>');
    const bDiff = await b.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(bDiff).toContain('<configuration-output>\n</configuration-output>');
    await a.rpc('<close-configuration/>');
    await a.rpc('<open-configuration><private/></open-configuration>');
    const aDiff = await a.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(aDiff).toContain('<configuration-output>\n</configuration-output>');
  });

  it('replays a private change on top of an out-of-band commit (drift)', async () => {
    const nc = await connect(sim);
    await nc.rpc('<open-configuration><private/></open-configuration>');
    await nc.rpc('<load-configuration action="merge" format="text"><configuration-text>system { domain-name lab.example; }</configuration-text></load-configuration>');
    sim.commitLocal('set snmp location rack-7', 'set', 'drift');
    expect(sim.commitHistory()[0]).toMatchObject({ user: 'root', client: 'cli', comment: 'drift' });
    const commit = await nc.rpc('<commit-configuration/>');
    expect(commit).toContain('<commit-success/>');
    expect(sim.runningConfig()).toContain('domain-name lab.example;');
    expect(sim.runningConfig()).toContain('location rack-7;');
  });

  it('rejects a syntax error at load time with Junos load-configuration-results errors', async () => {
    const nc = await connect(sim);
    const reply = await nc.rpc('<load-configuration action="merge" format="text"><configuration-text>system1 { host-name x; }</configuration-text></load-configuration>');
    expect(reply).toContain('<load-configuration-results>\n<rpc-error>');
    expect(reply).toContain('<bad-element>system1</bad-element>');
    expect(reply).toContain('<error-message>syntax error</error-message>');
    expect(reply).toContain('<error-message>error recovery ignores input until this point</error-message>');
  });

  /** The first rpc-error of a reply as its fields, so a test can assert the whole Junos shape. */
  function firstError(reply: string): Record<string, string | undefined> {
    const body = /<rpc-error>([\s\S]*?)<\/rpc-error>/.exec(reply)?.[1] ?? '';
    const field = (name: string): string | undefined => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body)?.[1];
    return {
      severity: field('error-severity'),
      path: field('error-path'),
      badElement: field('bad-element'),
      message: field('error-message'),
    };
  }

  it('refuses an unknown statement below the top level in text, set and XML loads, naming it and its hierarchy', async () => {
    const nc = await connect(sim);
    await nc.rpc('<open-configuration><private/></open-configuration>');
    const text = await nc.rpc(
      '<load-configuration action="merge" format="text"><configuration-text>system { host-name r1; invalid-statement-xyz; }</configuration-text></load-configuration>',
    );
    expect(text).toContain('<load-configuration-results>');
    expect(firstError(text)).toEqual({ severity: 'error', path: '[edit system]', badElement: 'invalid-statement-xyz', message: 'syntax error' });
    const set = await nc.rpc(
      '<load-configuration action="set" format="text"><configuration-set>set interfaces ge-0/0/3 unit 0 family inet bogus-word 1</configuration-set></load-configuration>',
    );
    expect(firstError(set)).toEqual({
      severity: 'error',
      path: '[edit interfaces ge-0/0/3 unit 0 family inet]',
      badElement: 'bogus-word',
      message: 'syntax error',
    });
    const xml = await nc.rpc(
      '<load-configuration action="merge"><configuration><protocols><ospf><area><name>0.0.0.0</name><interface><name>ge-0/0/0.0</name><hello-intervall>5</hello-intervall></interface></area></ospf></protocols></configuration></load-configuration>',
    );
    expect(firstError(xml)).toEqual({
      severity: 'error',
      path: '[edit protocols ospf area 0.0.0.0 interface ge-0/0/0.0]',
      badElement: 'hello-intervall',
      message: 'syntax error',
    });
    const diff = await nc.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(diff).toContain('<configuration-output>\n</configuration-output>');
  });

  it('refuses a statement without its value: `missing argument.` for set, `expecting <data>` for text', async () => {
    const nc = await connect(sim);
    await nc.rpc('<open-configuration><private/></open-configuration>');
    const set = await nc.rpc('<load-configuration action="set" format="text"><configuration-set>set system host-name</configuration-set></load-configuration>');
    expect(firstError(set)).toEqual({ severity: 'error', path: '[edit system]', badElement: 'host-name', message: 'missing argument.' });
    const text = await nc.rpc('<load-configuration action="merge" format="text"><configuration-text>system { host-name; }</configuration-text></load-configuration>');
    expect(firstError(text)).toEqual({ severity: 'error', path: '[edit system]', badElement: 'host-name', message: 'syntax error, expecting &lt;data&gt;' });
    const unit = await nc.rpc('<load-configuration action="merge" format="text"><configuration-text>interfaces { ge-0/0/1 { unit { description x; } } }</configuration-text></load-configuration>');
    expect(firstError(unit)).toMatchObject({ path: '[edit interfaces ge-0/0/1]', badElement: 'unit' });
    const diff = await nc.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(diff).toContain('<configuration-output>\n</configuration-output>');
  });

  it('fails commit check for an OSPF interface that is not configured, and warns about a disabled one', async () => {
    const nc = await connect(sim);
    await nc.rpc('<open-configuration><private/></open-configuration>');
    await nc.rpc('<load-configuration action="set" format="text"><configuration-set>set protocols ospf area 0.0.0.0 interface ge-0/0/7.0</configuration-set></load-configuration>');
    const bad = await nc.rpc('<commit-configuration><check/></commit-configuration>');
    expect(bad).toContain('<error-path>[edit protocols ospf area 0.0.0.0]</error-path>');
    expect(bad).toContain('<bad-element>interface ge-0/0/7.0</bad-element>');
    expect(bad).toContain('configuration check-out failed');
    expect(bad).not.toContain('commit-check-success');
    await nc.rpc('<load-configuration action="set" format="text"><configuration-set>delete protocols ospf area 0.0.0.0 interface ge-0/0/7.0\nset interfaces ge-0/0/0 disable</configuration-set></load-configuration>');
    const warn = await nc.rpc('<commit-configuration><check/></commit-configuration>');
    expect(warn).toContain('<error-severity>warning</error-severity>');
    expect(warn).toContain('<commit-check-success/>');
  });

  it('loads XML configuration and returns XML, set and JSON forms', async () => {
    const nc = await connect(sim);
    await nc.rpc('<open-configuration><private/></open-configuration>');
    await nc.rpc('<load-configuration action="merge"><configuration><system><ntp><server><name>10.0.0.1</name></server></ntp></system></configuration></load-configuration>');
    const xml = await nc.rpc('<get-configuration><configuration><system><ntp/></system></configuration></get-configuration>');
    expect(xml).toMatch(/<configuration junos:commit-seconds="\d+" junos:commit-localtime="[^"]+ UTC" junos:commit-user="\w+">/);
    expect(xml).toContain('<ntp>\n<server>\n<name>10.0.0.1</name>\n</server>\n</ntp>');
    expect(xml).not.toContain('<interfaces>');
    const set = await nc.rpc('<get-configuration format="set"/>');
    expect(set).toContain('set system ntp server 10.0.0.1');
    const json = await nc.rpc('<get-configuration format="json" database="committed"/>');
    expect(json).toContain('"configuration"');
    expect(json).not.toContain('10.0.0.1');
  });

  it('commit confirmed rolls back automatically when not confirmed, and stays when confirmed', async () => {
    const nc = await connect(sim);
    const before = sim.runningConfig();
    await nc.rpc('<load-configuration action="set" format="text"><configuration-set>set snmp location temporary</configuration-set></load-configuration>');
    const reply = await nc.rpc('<commit-configuration><confirmed/><confirm-timeout>1</confirm-timeout><log>try</log></commit-configuration>');
    expect(reply).toContain('commit confirmed will be automatically rolled back in 1 minutes unless confirmed');
    expect(sim.runningConfig()).toContain('location temporary;');
    const history = await nc.rpc('<get-commit-information/>');
    expect(history).toContain('<comment>commit confirmed, rollback in 1mins</comment>');
    expect(history).toContain('<log>try</log>');
    clock.advance(59_999);
    expect(sim.runningConfig()).toContain('location temporary;');
    clock.advance(1);
    expect(sim.runningConfig()).toBe(before);
    expect(sim.commitHistory()[0]).toMatchObject({ user: 'root', client: 'other' });

    await nc.rpc('<load-configuration action="set" format="text"><configuration-set>set snmp location kept</configuration-set></load-configuration>');
    await nc.rpc('<commit-configuration><confirmed/><confirm-timeout>1</confirm-timeout></commit-configuration>');
    const confirm = await nc.rpc('<commit-configuration/>');
    expect(confirm).toContain('<commit-success/>');
    clock.advance(5 * 60_000);
    expect(sim.runningConfig()).toContain('location kept;');
  });

  it('refuses commit confirmed in a private candidate', async () => {
    const nc = await connect(sim);
    await nc.rpc('<open-configuration><private/></open-configuration>');
    const reply = await nc.rpc('<commit-configuration><confirmed/><confirm-timeout>5</confirm-timeout></commit-configuration>');
    expect(reply).toContain('not supported in private configuration mode');
  });

  it('loads rollback N and commits it', async () => {
    const nc = await connect(sim);
    await nc.rpc('<load-configuration action="set" format="text"><configuration-set>set snmp location rollback-me</configuration-set></load-configuration>');
    await nc.rpc('<commit-configuration/>');
    const loaded = await nc.rpc('<load-configuration rollback="1"/>');
    expect(loaded).toContain('<ok/>');
    const diff = await nc.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(diff).toContain('-  location rollback-me;');
    await nc.rpc('<commit-configuration/>');
    expect(sim.runningConfig()).not.toContain('rollback-me');
    const tooFar = await nc.rpc('<load-configuration rollback="49"/>');
    expect(tooFar).toContain('rollback 49 does not exist');
  });

  it('locks the candidate against other sessions', async () => {
    const a = await connect(sim);
    const b = await connect(sim);
    expect(await a.rpc('<lock-configuration/>')).not.toContain('rpc-error');
    const denied = await b.rpc('<lock-configuration/>');
    expect(denied).toContain('configuration database locked by:\n  admin terminal');
    const load = await b.rpc('<load-configuration action="set" format="text"><configuration-set>set snmp location nope</configuration-set></load-configuration>');
    expect(load).toContain('configuration database locked by');
    const netconfLock = await b.rpc('<lock><target><candidate/></target></lock>');
    expect(netconfLock).toContain('<error-tag>lock-denied</error-tag>');
    await a.rpc('<unlock-configuration/>');
    expect(await b.rpc('<lock-configuration/>')).not.toContain('rpc-error');
    await b.rpc('<unlock-configuration/>');
  });

  it('reads and loads device files', async () => {
    sim.writeDeviceFile('/var/tmp/change.set', 'set snmp location from-file\n');
    const nc = await connect(sim);
    const shown = await nc.rpc('<file-show><filename>/var/tmp/change.set</filename></file-show>');
    expect(shown).toContain('set snmp location from-file');
    await nc.rpc('<open-configuration><private/></open-configuration>');
    const loaded = await nc.rpc('<load-configuration action="set" format="text" url="/var/tmp/change.set"/>');
    expect(loaded).toContain('<ok/>');
    const diff = await nc.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
    expect(diff).toContain('+  location from-file;');
    const missing = await nc.rpc('<load-configuration action="set" format="text" url="/var/tmp/none.set"/>');
    expect(missing).toContain('could not open /var/tmp/none.set');
  });

  it('supports the NETCONF standard operations too', async () => {
    const nc = await connect(sim);
    expect(await nc.rpc('<lock><target><candidate/></target></lock>')).toContain('<ok/>');
    const edit = await nc.rpc(
      '<edit-config><target><candidate/></target><config><configuration><snmp><location>netconf-edit</location></snmp></configuration></config></edit-config>',
    );
    expect(edit).toContain('<ok/>');
    expect(await nc.rpc('<validate><source><candidate/></source></validate>')).toContain('<ok/>');
    const cand = await nc.rpc('<get-config><source><candidate/></source><filter type="subtree"><configuration><snmp><location/></snmp></configuration></filter></get-config>');
    expect(cand).toContain('<data>\n<configuration');
    expect(cand).toContain('<location>netconf-edit</location>');
    expect(await nc.rpc('<discard-changes/>')).toContain('<ok/>');
    const after = await nc.rpc('<get-config><source><candidate/></source></get-config>');
    expect(after).not.toContain('netconf-edit');
    expect(await nc.rpc('<unlock><target><candidate/></target></unlock>')).toContain('<ok/>');
  });
});

describe('Junos simulator: faults', () => {
  let sim: JunosSim;
  beforeAll(async () => {
    sim = await startJunosSim({ hostname: 'r9', chunkedFraming: false, rfcCompliant: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => {
    sim.setFaults({ latencyMs: 0, authFail: false, dropMidRpc: false, commitError: null, lockedBy: null });
  });

  it('without chunked framing advertises base:1.0 only and stays on ]]>]]>; rfc-compliant prefixes nc:', async () => {
    const nc = await connect(sim, CLIENT_HELLO_11);
    expect(nc.serverHello).not.toContain('base:1.1');
    const reply = await nc.rpc('<lock-configuration/>');
    expect(reply).toMatch(/^<nc:rpc-reply xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"/);
    expect(nc.rawAfterHello().toString('latin1')).toContain(']]>]]>');
    expect(await nc.rpc('<unlock-configuration/>')).not.toContain('rpc-error');
    const unlock = await nc.rpc('<unlock><target><candidate/></target></unlock>');
    expect(unlock).toContain('<nc:rpc-error>');
    const ok = await nc.rpc('<discard-changes/>');
    expect(ok).toContain('<nc:ok/>');
  });

  it('authFail refuses every login', async () => {
    sim.setFaults({ authFail: true });
    await expect(connectNetconf({ host: sim.host, port: sim.port })).rejects.toThrow(/authentication/i);
    sim.setFaults({ authFail: false });
    await expect(connectNetconf({ host: sim.host, port: sim.port, password: 'wrong' })).rejects.toThrow(/authentication/i);
  });

  it('latencyMs delays each reply', async () => {
    const nc = await connect(sim);
    sim.setFaults({ latencyMs: 300 });
    const t0 = Date.now();
    await nc.rpc('<get-software-information/>');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('dropMidRpc kills the connection after the next rpc, before any reply, once', async () => {
    const nc = await connect(sim);
    sim.setFaults({ dropMidRpc: true });
    await expect(nc.rpc('<get-software-information/>')).rejects.toThrow(/closed/);
    const again = await connect(sim);
    expect(await again.rpc('<get-software-information/>')).toContain('<host-name>r9</host-name>');
  });

  it('commitError fails commits (not checks) with the given message', async () => {
    sim.setFaults({ commitError: 'mgd: commit failed: daemon timed out' });
    const nc = await connect(sim);
    expect(await nc.rpc('<commit-configuration><check/></commit-configuration>')).toContain('commit-check-success');
    const reply = await nc.rpc('<commit-configuration/>');
    expect(reply).toContain('<nc:error-message>\nmgd: commit failed: daemon timed out\n</nc:error-message>');
    expect(reply).not.toContain('commit-success');
  });

  it('lockedBy makes lock, private open, load and commit fail with the lock message', async () => {
    sim.setFaults({ lockedBy: 'jdoe' });
    const nc = await connect(sim);
    for (const rpc of [
      '<lock-configuration/>',
      '<open-configuration><private/></open-configuration>',
      '<load-configuration action="set" format="text"><configuration-set>set snmp location x</configuration-set></load-configuration>',
      '<commit-configuration/>',
    ]) {
      const reply = await nc.rpc(rpc);
      expect(reply).toContain('configuration database locked by:\n  jdoe terminal pts/0 (pid 4242)');
    }
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
