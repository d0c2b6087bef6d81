/**
 * The IOS-XR and IOS simulators' terminal dialogue as a person (or netmiko) sees it over a raw SSH
 * shell with a pty: prompts per mode, paging that really pages until `terminal length 0`, the
 * caret under invalid input, incomplete and ambiguous commands, XR's question on leaving with
 * uncommitted changes, IOS enable with its secret.
 */
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { startIosSim, type IosSim } from '../../../src/sim/ios/index.js';
import { startXrSim, xrChainNode, type XrSim } from '../../../src/sim/ios-xr/index.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A raw shell: everything the device wrote, CRs dropped, and a way to wait for text. */
interface Shell {
  text(): string;
  type(s: string): void;
  /** Waits until the output (from `from`) ends with `tail`; bounded. */
  until(tail: RegExp, from?: number): Promise<string>;
  /** Ends the SSH connection. */
  close(): void;
}

async function shell(port: number, username: string, password: string): Promise<Shell> {
  const client = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve()).once('error', reject).connect({ host: '127.0.0.1', port, username, password, readyTimeout: 10_000, hostVerifier: () => true });
  });
  closers.push(() => {
    client.end();
  });
  const stream = await new Promise<ClientChannel>((resolve, reject) => client.shell({ term: 'vt100', rows: 24, cols: 80 }, (err, s) => (err ? reject(err) : resolve(s))));
  let out = '';
  const waiters: (() => void)[] = [];
  stream.on('data', (d: Buffer) => {
    out += d.toString().replace(/\r/g, '');
    for (const w of waiters.splice(0)) w();
  });
  return {
    close: () => {
      client.end();
    },
    text: () => out,
    type: (s) => stream.write(s),
    until: (tail, from = 0) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${tail} in:\n${out.slice(from)}`)), 10_000);
        const check = (): void => {
          if (tail.test(out.slice(from))) {
            clearTimeout(timer);
            resolve(out.slice(from));
          } else waiters.push(check);
        };
        check();
      }),
  };
}

async function xr(): Promise<XrSim> {
  const topo = xrChainNode(1, 2, 'xrd1', 'clab');
  const sim = await startXrSim({ hostname: 'xrd1', initialConfig: topo.initialConfig, neighbors: topo.neighbors });
  closers.push(() => sim.close());
  return sim;
}

describe('IOS-XR simulator dialogue', () => {
  it('pages a long output with --More-- until terminal length 0', async () => {
    const sim = await xr();
    const sh = await shell(sim.port, 'clab', 'clab@123');
    await sh.until(/RP\/0\/RP0\/CPU0:xrd1#$/);
    let at = sh.text().length;
    sh.type('show running-config\n');
    const first = await sh.until(/ --More-- $/, at);
    // The echo, 23 lines of the 24-line screen, the pager.
    expect(first.split('\n').length).toBe(25);
    sh.type(' ');
    await sh.until(/RP\/0\/RP0\/CPU0:xrd1#$/, at);
    expect(sh.text().slice(at)).toContain('\nend\n');
    sh.type('terminal length 0\n');
    at = (await sh.until(/terminal length 0\nRP\/0\/RP0\/CPU0:xrd1#$/, at)).length + at;
    sh.type('show running-config\n');
    const whole = await sh.until(/\nend\n+RP\/0\/RP0\/CPU0:xrd1#$/, at);
    expect(whole).not.toContain('--More--');
    expect(whole).toMatch(/^show running-config\n(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{3} UTC\nBuilding configuration\.\.\.\n/);
  });

  it('puts the caret under the first bad word; incomplete and ambiguous commands say so', async () => {
    const sim = await xr();
    const sh = await shell(sim.port, 'clab', 'clab@123');
    await sh.until(/#$/);
    let at = sh.text().length;
    sh.type('show ipv4 interfaze brief\n');
    const bad = await sh.until(/marker\.\n+RP\/0\/RP0\/CPU0:xrd1#$/, at);
    expect(bad).toBe(`show ipv4 interfaze brief\n${' '.repeat('RP/0/RP0/CPU0:xrd1#show ipv4 '.length)}^\n% Invalid input detected at '^' marker.\n\nRP/0/RP0/CPU0:xrd1#`);
    at = sh.text().length;
    sh.type('show\n');
    expect(await sh.until(/#$/, at)).toBe('show\n% Incomplete command.\n\nRP/0/RP0/CPU0:xrd1#');
    at = sh.text().length;
    sh.type('show i\n');
    expect(await sh.until(/#$/, at)).toBe('show i\n% Ambiguous command:  "show i"\n\nRP/0/RP0/CPU0:xrd1#');
    at = sh.text().length;
    sh.type('sh ipv4 int br | i Loopback\n');
    expect(await sh.until(/#$/, at)).toMatch(/\nLoopback0\s+10\.255\.0\.1\s+Up\s+Up\s+default \nRP\/0\/RP0\/CPU0:xrd1#$/);
  });

  it('asks before leaving with uncommitted changes; no discards them; a closed shell leaves no session', { timeout: 60_000 }, async () => {
    const sim = await xr();
    const sh = await shell(sim.port, 'clab', 'clab@123');
    await sh.until(/#$/);
    sh.type('configure\ninterface Loopback9\n description lab\n');
    await sh.until(/RP\/0\/RP0\/CPU0:xrd1\(config-if\)#$/);
    expect(sim.configSessions()).toBe(1);
    const at = sh.text().length;
    sh.type('end\n');
    await sh.until(/Uncommitted changes found, commit them before exiting\(yes\/no\/cancel\)\? \[cancel\]:$/, at);
    sh.type('no\n');
    await sh.until(/\]:no\nRP\/0\/RP0\/CPU0:xrd1#$/, at);
    expect(sim.runningConfig()).not.toContain('Loopback9');
    expect(sim.configSessions()).toBe(0);
    sh.type('configure exclusive\nhostname other\n');
    await sh.until(/\(config\)#$/, at + 10);
    expect(sim.configSessions()).toBe(1);
    sh.type('exit\n');
    await sh.until(/\[cancel\]:$/, at + 10);
    sh.type('cancel\n');
    await sh.until(/\]:cancel\nRP\/0\/RP0\/CPU0:xrd1\(config\)#$/, at + 10);
    sh.close();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (sim.configSessions() === 0 && sim.shells() === 0) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    expect(sim.runningConfig()).not.toContain('hostname other');
  });
});

describe('IOS simulator dialogue', () => {
  async function ios(privilege: 1 | 15 = 1): Promise<IosSim> {
    const sim = await startIosSim({ hostname: 'r1', privilege, enableSecret: 'en-secret' });
    closers.push(() => sim.close());
    return sim;
  }

  it('user exec, enable with the secret (a wrong one is refused), configuration submodes, end', async () => {
    const sim = await ios();
    const sh = await shell(sim.port, 'admin', 'admin');
    await sh.until(/\nr1>$/);
    let at = sh.text().length;
    sh.type('configure terminal\n');
    expect(await sh.until(/r1>$/, at)).toContain("% Invalid input detected at '^' marker.");
    at = sh.text().length;
    sh.type('enable\n');
    await sh.until(/Password: $/, at);
    sh.type('wrong\n');
    await sh.until(/% Access denied\n+r1>$/, at);
    at = sh.text().length;
    sh.type('enable\n');
    await sh.until(/Password: $/, at);
    sh.type('en-secret\n');
    await sh.until(/\nr1#$/, at);
    sh.type('conf t\ninterface Ethernet0/3\n');
    await sh.until(/r1\(config-if\)#$/, at);
    sh.type('ntp server 10.0.0.1\n');
    await sh.until(/ntp server 10\.0\.0\.1\nr1\(config\)#$/, at);
    sh.type('end\n');
    await sh.until(/end\nr1#$/, at);
    expect(sim.runningConfig()).toContain('\nntp server 10.0.0.1\n');
    expect(sim.runningConfig()).toContain('\ninterface Ethernet0/3\n');
  });

  it('pages until terminal length 0', async () => {
    const sim = await ios(15);
    const sh = await shell(sim.port, 'admin', 'admin');
    await sh.until(/r1#$/);
    const at = sh.text().length;
    sh.type('show running-config\n');
    await sh.until(/ --More-- $/, at);
    sh.type('q');
    await sh.until(/r1#$/, at);
    expect(sh.text().slice(at)).not.toContain('\nend\n');
    const next = sh.text().length;
    sh.type('terminal length 0\nshow running-config\n');
    const whole = await sh.until(/\nend\n+r1#$/, next);
    expect(whole).not.toContain('--More--');
  });
});
