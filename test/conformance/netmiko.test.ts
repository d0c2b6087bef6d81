/**
 * netmiko, the library people script Cisco devices with, against the IOS-XR and IOS simulators
 * over SSH: its cisco_xr and cisco_ios drivers log in, turn paging off, find the prompt, run
 * commands (send_command), configure (send_config_set), commit on XR (commit, commit confirmed)
 * and raise privilege with enable on IOS. If netmiko cannot hold the dialogue, the simulator is
 * wrong. Skipped with a notice where netmiko is missing, except under CI (.ci/run installs
 * python3-netmiko), where that fails the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iosChainNode, startIosSim, type IosSim } from '../../src/sim/ios/index.js';
import { startXrSim, xrChainNode, type XrSim } from '../../src/sim/ios-xr/index.js';
import { clientAvailability, NETMIKO, netmikoArgs, runConformance, type ClientRun } from '../helpers/python-clients.js';
import { availableOrSkip } from '../helpers/requirements.js';

const available = availableOrSkip('netmiko conformance tests', clientAvailability(NETMIKO));

type Steps = Record<string, unknown>;

function passed(run: ClientRun): void {
  expect(run.report, `no JSON from netmiko; stderr:\n${run.stderr}`).toBeDefined();
  expect(run.report?.['ok'], `netmiko failed at step ${String(run.report?.['step'])}: ${String(run.report?.['error'])}`).toBe(true);
  expect(run.exitCode).toBe(0);
}

describe.skipIf(!available)('netmiko cisco_xr against the IOS-XR simulator', () => {
  let sim: XrSim;
  let run: ClientRun;
  let steps: Steps;

  beforeAll(async () => {
    const topo = xrChainNode(1, 2, 'xrd1', 'clab');
    sim = await startXrSim({ hostname: 'xrd1', initialConfig: topo.initialConfig, neighbors: topo.neighbors });
    run = await runConformance(
      NETMIKO,
      netmikoArgs({ deviceType: 'cisco_xr', host: sim.host, port: sim.port, username: 'clab', password: 'clab@123', interface: 'GigabitEthernet0/0/0/3' }),
      150_000,
    );
    steps = (run.report?.['steps'] ?? {}) as Steps;
  }, 180_000);

  afterAll(async () => {
    await sim.close();
  });

  it('runs the whole script without an exception', () => passed(run));

  it('finds the XR prompt after turning paging off', () => {
    expect(steps['connect']).toEqual({ prompt: 'RP/0/RP0/CPU0:xrd1#', base_prompt: 'RP/0/RP0/CPU0:xrd1' });
  });

  it('send_command returns whole outputs, abbreviations expand, a bad command shows the caret', () => {
    expect(String(steps['show_version'])).toContain('Cisco IOS XR Software, Version 24.1.1');
    expect(String(steps['show_version'])).toContain('xrd1 uptime is');
    expect(String(steps['show_ip_interface_brief'])).toMatch(/^GigabitEthernet0\/0\/0\/1\s+10\.1\.1\.0\s+Up\s+Up\s+default/m);
    expect(String(steps['abbreviated'])).toMatch(/^Loopback0\s+10\.255\.0\.1\s+Up/m);
    expect(String(steps['invalid'])).toContain("% Invalid input detected at '^' marker.");
  });

  it('send_config_set stays in configuration mode; commit and commit confirmed land in running', () => {
    expect(String(steps['config_set'])).toContain('RP/0/RP0/CPU0:xrd1(config-if)#');
    expect(String(steps['commit'])).not.toMatch(/Failed to commit/);
    expect(steps['config_mode_after']).toBe(false);
    expect(String(steps['running_interface'])).toContain(' description confirmed by netmiko');
    expect(sim.commits().map((c) => c.user)).toEqual(['clab', 'clab']);
    expect(sim.pendingConfirm()).toBe(false);
    expect(sim.configSessions()).toBe(0);
  });
});

describe.skipIf(!available)('netmiko cisco_ios against the IOS simulator', () => {
  let sim: IosSim;
  let run: ClientRun;
  let steps: Steps;

  beforeAll(async () => {
    const topo = iosChainNode(1, 2, 'r1', 'admin');
    // An unprivileged login, so netmiko's enable() and its secret prompt are exercised.
    sim = await startIosSim({ hostname: 'r1', initialConfig: topo.initialConfig, neighbors: topo.neighbors, privilege: 1, enableSecret: 'en-secret' });
    run = await runConformance(
      NETMIKO,
      netmikoArgs({ deviceType: 'cisco_ios', host: sim.host, port: sim.port, username: 'admin', password: 'admin', secret: 'en-secret', interface: 'Ethernet0/3' }),
      150_000,
    );
    steps = (run.report?.['steps'] ?? {}) as Steps;
  }, 180_000);

  afterAll(async () => {
    await sim.close();
  });

  it('runs the whole script without an exception', () => passed(run));

  it('logs in at r1>, enable with the secret reaches r1#', () => {
    expect(steps['connect']).toEqual({ prompt: 'r1>', base_prompt: 'r1' });
    expect(steps['enable']).toEqual({ prompt: 'r1#', enable_mode: true });
  });

  it('send_command returns whole outputs, abbreviations expand, a bad command shows the caret', () => {
    expect(String(steps['show_version'])).toContain('Version 17.12.1');
    expect(String(steps['show_version'])).toContain('Processor board ID');
    expect(String(steps['show_ip_interface_brief'])).toMatch(/^Ethernet0\/2\s+10\.1\.1\.0\s+YES manual up\s+up/m);
    expect(String(steps['abbreviated'])).toMatch(/^Loopback0\s+10\.255\.0\.1/m);
    expect(String(steps['invalid'])).toContain("% Invalid input detected at '^' marker.");
  });

  it('send_config_set (config term … end) changes running at once', () => {
    expect(String(steps['config_set'])).toContain('r1(config-if)#');
    expect(steps['config_mode_after']).toBe(false);
    expect(steps['running_interface']).toBe('interface Ethernet0/3\n description set by netmiko');
    expect(sim.runningConfig()).toContain('interface Ethernet0/3\n description set by netmiko\n');
  });
});
