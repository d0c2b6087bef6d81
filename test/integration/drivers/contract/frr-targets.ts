/**
 * Real FRR routers as contract targets (no simulator): the Docker lab through the Docker Engine
 * API and the namespace lab over SSH, both from test/lab. One lab per target serves every test;
 * each test's device puts the router back to its boot configuration when it closes.
 *
 * What a real router cannot do on request is left out, and the contract skips it: refusing a
 * commit with a chosen message (the daemon refusing a change after the vtysh check is proven in
 * test/integration/lab/frr-docker.test.ts), and a serial number (a container has none).
 */
import { join } from 'node:path';
import type { Driver } from '../../../../src/drivers/contract.js';
import { createLinuxDriver, type LinuxSettings } from '../../../../src/drivers/linux/index.js';
import type { LabNode } from '../../../../src/inventory/types.js';
import { labGate, linuxDriver, linuxNode } from '../../../helpers/frr-lab.js';
import { dockerUnavailable, FRR_IMAGE, startDockerLab, type DockerLab } from '../../../lab/docker-lab.js';
import { netnsUnavailable, startNetnsLab, type NetnsLab } from '../../../lab/netns-lab.js';
import { run, waitFor } from '../../../lab/run.js';
import type { ContractDevice, ContractTarget } from './targets.js';

const ROUTER = 'r1';
const STATE_DIR = '/var/tmp/clab-bot';

/** How the contract reaches one lab's router, independently of the driver under test. */
interface LabHandle {
  /** vtysh on the router, as the test's own tool (docker exec / nsenter). */
  vtysh(command: string): Promise<string>;
  /** A shell command on the router, as the test's own tool. */
  shell(script: string): Promise<string>;
  /** The router's FRR daemons stop (SIGSTOP) or go on (SIGCONT): vtysh then waits on them. */
  freeze(on: boolean): Promise<void>;
  node(password?: string): LabNode;
  settings(): Partial<LinuxSettings>;
  stop(): Promise<void>;
}

const FREEZE = 'for f in /var/run/frr/*.pid; do kill -"$0" "$(cat "$f")"; done';

function frrTarget(name: string, unavailable: string | undefined, startLab: () => Promise<LabHandle>, unreachable: (port: number) => Driver, extra: Partial<ContractTarget> = {}): ContractTarget {
  let lab: LabHandle | undefined;
  let boot = '';
  const handle = (): LabHandle => {
    if (lab === undefined) throw new Error(`the ${name} lab is not running`);
    return lab;
  };
  return {
    name,
    hostname: ROUTER,
    unavailable,
    async setup() {
      lab = await startLab();
      boot = await lab.vtysh('show running-config');
    },
    async teardown() {
      await lab?.stop();
      lab = undefined;
    },
    async start(): Promise<ContractDevice> {
      const l = handle();
      const driver = linuxDriver(l.node(), l.settings());
      return {
        driver,
        badLoginDriver: linuxDriver(l.node('wrong'), l.settings()),
        running: () => l.vtysh('show running-config'),
        confirmTimeoutPassed: async () => {
          // The timer process removes its sleep-<id> file when it has restored (or was confirmed away).
          await waitFor('the confirm timer on the router has finished', async () => {
            const left = await l.shell(`ls ${STATE_DIR} 2>/dev/null | grep '^sleep-' || true`);
            return left.trim() === '' ? true : undefined;
          }, { timeoutMs: 30_000 });
        },
        latency: (ms) => l.freeze(ms > 0),
        close: async () => {
          await l.freeze(false);
          await driver.close();
          if ((await l.vtysh('show running-config')) !== boot) await restore(l, boot);
          await l.shell(`rm -rf ${STATE_DIR}`);
        },
      };
    },
    unreachable,
    showVersion: 'show version',
    jsonCommand: 'show ip ospf neighbor',
    slowCommand: 'show ip ospf neighbor',
    badCommand: 'show nonsense-command',
    method: 'merge',
    confirmSeconds: 2,
    change: 'interface eth1\n ip ospf cost 41\n',
    changeMarker: 'ip ospf cost 41',
    otherChange: 'route-map CONTRACT permit 10\n set metric 9\n',
    otherMarker: 'route-map CONTRACT',
    checkFails: 'router ospf\n bogus words here\n',
    unreadable: 'interface eth1\nip ospf cost 5\n',
    noSerial: 'a container has no serial number',
    ...extra,
  };
}

/** Puts the boot configuration back with a fresh driver (override), after a test that changed it. */
async function restore(lab: LabHandle, boot: string): Promise<void> {
  const driver = linuxDriver(lab.node(), lab.settings());
  try {
    await driver.open();
    const text = boot.replace(/^\s*Building configuration\.\.\.\s*\n/, '').replace(/^\s*Current configuration:\s*\n/, '');
    const source = { type: 'text' as const, content: text };
    const plan = await driver.plan(source, 'override');
    await driver.apply(source, { method: 'override', expectDiffHash: plan.diffHash });
  } finally {
    await driver.close();
  }
}

export const frrDocker: ContractTarget = frrTarget(
  'frr-docker',
  labGate(dockerUnavailable()).reason,
  async () => {
    const lab: DockerLab = await startDockerLab({ lab: 'cbtcon', net: 74 });
    const container = lab.container(ROUTER);
    const shell = async (script: string) => (await run('docker', ['exec', container, 'sh', '-c', script])).stdout;
    return {
      vtysh: (command) => lab.vtysh(ROUTER, command),
      shell,
      freeze: async (on) => void (await shell(FREEZE.replace('"$0"', on ? 'STOP' : 'CONT'))),
      node: () => linuxNode(lab.lab, ROUTER, lab.mgmt[ROUTER] ?? '127.0.0.1', { image: FRR_IMAGE }),
      settings: () => ({ transport: 'docker' }),
      stop: () => lab.stop(),
    };
  },
  (port) => createLinuxDriver(linuxNode('cbtcon', ROUTER, '127.0.0.1', { image: FRR_IMAGE }), {
    settings: { transport: 'docker', dockerHost: `unix:///nonexistent/docker-${port}.sock`, knownHostsFile: '/nonexistent/known-hosts' },
  }),
  // The Docker Engine API has no login: a wrong password cannot be refused there.
  { noLogin: 'the Docker Engine API has no per-node login' },
);

export const frrSsh: ContractTarget = frrTarget(
  'frr-ssh',
  labGate(netnsUnavailable()).reason,
  async () => {
    const lab: NetnsLab = await startNetnsLab({ lab: 'cbtconssh', net: 75 });
    const runDir = join(lab.dir, ROUTER, 'run');
    return {
      vtysh: (command) => lab.vtysh(ROUTER, command),
      shell: (script) => lab.shell(ROUTER, script),
      freeze: async (on) => void (await run('sh', ['-c', `for f in "$1"/*.pid; do kill -${on ? 'STOP' : 'CONT'} "$(cat "$f")"; done`, 'sh', runDir])),
      node: (password = '') => linuxNode(lab.lab, ROUTER, lab.mgmt[ROUTER] ?? '127.0.0.1', { credentials: { username: password === '' ? 'root' : 'nobody', password } }),
      settings: () => ({ transport: 'ssh', identityFile: lab.identityFile, knownHostsFile: join(lab.dir, 'contract-known-hosts') }),
      stop: () => lab.stop(),
    };
  },
  (port) => createLinuxDriver(linuxNode('cbtconssh', ROUTER, '127.0.0.1', { port, credentials: { username: 'root', password: 'x' } }), {
    settings: { transport: 'ssh', knownHostsFile: '/nonexistent/known-hosts', hostKeys: 'accept' },
  }),
);
