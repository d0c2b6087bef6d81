/**
 * The FRR lab in network namespaces, for the SSH transport: one namespace per router with its own
 * mount namespace (so /etc/frr and /var/run/frr are its own), zebra + ospfd + sshd running inside,
 * veth links between the namespaces, and a management bridge on the host with the test's own
 * addresses. The bot logs in as root with a key the lab generates; each sshd has its own host key.
 */
import { spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerTeardown } from './cleanup.js';
import { BOOT_ARGV, daemonArgv, frrDaemons, labUnavailable, VTYSH, VTYSH_CONF } from './frr-host.js';
import { run, runQuietSync, waitFor } from './run.js';
import { expectedNeighbours, frrConfig, fullNeighbours, topologyData, triangle, type LabTopology } from './topology.js';

export interface NetnsLabOptions {
  /** Lab name: letters and digits, 9 at most (it prefixes interface names). */
  readonly lab: string;
  /** Second octet of the link addresses (10.<net>.x.y) and third of the mgmt subnet (172.29.<net>.0/24). */
  readonly net: number;
}

export interface NetnsLab {
  readonly lab: string;
  /** The directory holding clab-<lab>/topology-data.json. */
  readonly dir: string;
  readonly topo: LabTopology;
  readonly mgmt: Readonly<Record<string, string>>;
  /** Private key the bot logs in with (as root). */
  readonly identityFile: string;
  /** Each node's sshd host public key line (`ssh-ed25519 AAAA...`). */
  readonly hostKeys: Readonly<Record<string, string>>;
  /** vtysh in a router's namespaces, run by the test itself (not through the bot). */
  vtysh(node: string, command: string): Promise<string>;
  /** `sh -c script` in a router's namespaces (its own /etc/frr, /var/run/frr, /var/tmp and hostname). */
  shell(node: string, script: string): Promise<string>;
  /** Gives a node a new sshd host key and restarts its sshd (to test key-change refusal). */
  rotateHostKey(node: string): Promise<void>;
  stop(): Promise<void>;
}

export function netnsUnavailable(): string | undefined {
  return labUnavailable(['/usr/sbin/sshd', '/usr/bin/ssh-keygen', '/usr/bin/unshare']);
}

const ns = (lab: string, node: string) => `${lab}-${node}`;

function removeLab(lab: string, dir: string | undefined): void {
  for (const line of runQuietSync('ip', ['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (!name.startsWith(`${lab}-`)) continue;
    // Every process in the namespace (sshd, its sessions, the FRR daemons) goes with it.
    const pids = runQuietSync('ip', ['netns', 'pids', name]).split('\n').filter(Boolean);
    if (pids.length > 0) runQuietSync('kill', ['-KILL', ...pids]);
    runQuietSync('ip', ['netns', 'del', name]);
  }
  runQuietSync('ip', ['link', 'del', `${lab}br`]);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

export async function startNetnsLab(opts: NetnsLabOptions): Promise<NetnsLab> {
  const { lab, net } = opts;
  if (!/^[a-z][a-z0-9]{0,8}$/.test(lab)) throw new Error(`lab name ${lab}: letters and digits, 9 at most`);
  const topo = triangle(net);
  removeLab(lab, undefined);
  const dir = mkdtempSync(join(tmpdir(), `clab-bot-${lab}-`));
  const stop = registerTeardown(`netns:${lab}`, () => removeLab(lab, dir));
  const sshdPid = new Map<string, number>();
  try {
    const subnet = `172.29.${net}`;
    const bridge = `${lab}br`;
    await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    await run('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', bridge]);
    await run('ip', ['link', 'set', bridge, 'up']);
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

    const identityFile = join(dir, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `clab-bot-${lab}`, '-f', identityFile]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${identityFile}.pub`));
    const frr = /^frr:x:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'));

    const mgmt: Record<string, string> = {};
    for (const [i, node] of topo.routers.entries()) {
      const name = ns(lab, node);
      mgmt[node] = `${subnet}.${11 + i}`;
      await run('ip', ['netns', 'add', name]);
      await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
      const [host, peer] = [`${lab}m${i}`, `${lab}m${i}p`];
      await run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', peer, 'netns', name]);
      await run('ip', ['link', 'set', host, 'master', bridge, 'up']);
      await run('ip', ['-n', name, 'link', 'set', peer, 'name', 'mgmt0']);
      await run('ip', ['-n', name, 'addr', 'add', `${mgmt[node]}/24`, 'dev', 'mgmt0']);
      await run('ip', ['-n', name, 'link', 'set', 'mgmt0', 'up']);
    }
    for (const [i, link] of topo.links.entries()) {
      const [a, z] = [`${lab}l${i}a`, `${lab}l${i}z`];
      await run('ip', ['link', 'add', a, 'netns', ns(lab, link.a.node), 'type', 'veth', 'peer', 'name', z, 'netns', ns(lab, link.z.node)]);
      for (const [end, side] of [[a, link.a], [z, link.z]] as const) {
        const name = ns(lab, side.node);
        await run('ip', ['-n', name, 'link', 'set', end, 'name', side.iface]);
        await run('ip', ['-n', name, 'addr', 'add', side.address, 'dev', side.iface]);
        await run('ip', ['-n', name, 'link', 'set', side.iface, 'up']);
      }
    }

    const hostKeys: Record<string, string> = {};
    const startNode = async (node: string) => {
      const nodeDir = join(dir, node);
      const etc = join(nodeDir, 'etc');
      const runDir = join(nodeDir, 'run');
      const tmpDir = join(nodeDir, 'tmp');
      mkdirSync(etc, { recursive: true });
      mkdirSync(runDir, { recursive: true });
      mkdirSync(tmpDir, { recursive: true, mode: 0o1777 });
      writeFileSync(join(etc, 'frr.conf'), frrConfig(topo, node));
      writeFileSync(join(etc, 'vtysh.conf'), VTYSH_CONF);
      if (frr !== null) for (const p of [etc, runDir, join(etc, 'frr.conf'), join(etc, 'vtysh.conf')]) chownSync(p, Number(frr[1]), Number(frr[2]));
      const keyFile = join(nodeDir, 'ssh_host_ed25519_key');
      rmSync(keyFile, { force: true });
      rmSync(`${keyFile}.pub`, { force: true });
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', node, '-f', keyFile]);
      hostKeys[node] = readFileSync(`${keyFile}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
      const sshdConfig = join(nodeDir, 'sshd_config');
      writeFileSync(sshdConfig, [
        `ListenAddress ${mgmt[node]}`, 'Port 22', `HostKey ${keyFile}`, `PidFile ${join(nodeDir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no',
        'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'LogLevel ERROR', '',
      ].join('\n'));
      return { nodeDir, etc, runDir, tmpDir, sshdConfig };
    };

    const launch = (node: string, paths: { nodeDir: string; etc: string; runDir: string; tmpDir: string; sshdConfig: string }, withFrr: boolean) => {
      // The script is fixed text; paths arrive as positional arguments. With `exec`, the pid stays sshd's.
      const daemons = withFrr ? [...frrDaemons().map((d) => daemonArgv(d).join(' ')), BOOT_ARGV.join(' ')].join(' && ') + ' && ' : '';
      // Its own UTS namespace named after the node, as containerlab's containers are: FRR names
      // itself after the hostname it starts under (vtysh does not take `hostname` from frr.conf).
      // A /var/tmp of its own too, where the bot keeps its snapshots on a node.
      const script = `mount --bind "$1" /etc/frr && mount --bind "$2" /var/run/frr && mount --bind "$5" /var/tmp && printf %s "$4" >/proc/sys/kernel/hostname && ${daemons}exec /usr/sbin/sshd -D -e -f "$3"`;
      const log = openSync(join(paths.nodeDir, 'node.log'), 'a');
      const child = spawn('ip', ['netns', 'exec', ns(lab, node), 'unshare', '--mount', '--uts', '--propagation', 'private', 'sh', '-c', script, 'sh', paths.etc, paths.runDir, paths.sshdConfig, node, paths.tmpDir], {
        stdio: ['ignore', log, log],
        detached: true,
      });
      closeSync(log);
      child.unref();
      if (child.pid === undefined) throw new Error(`could not start ${node}`);
      sshdPid.set(node, child.pid);
    };

    const paths = new Map<string, Awaited<ReturnType<typeof startNode>>>();
    for (const node of topo.routers) {
      paths.set(node, await startNode(node));
      launch(node, paths.get(node)!, true);
    }

    const vtysh = async (node: string, command: string) => {
      const pid = sshdPid.get(node);
      if (pid === undefined) throw new Error(`${node} is not running`);
      return (await run('nsenter', ['-t', String(pid), '-m', '-n', '-u', VTYSH, '-c', command])).stdout;
    };
    const shell = async (node: string, script: string) => {
      const pid = sshdPid.get(node);
      if (pid === undefined) throw new Error(`${node} is not running`);
      return (await run('nsenter', ['-t', String(pid), '-m', '-n', '-u', 'sh', '-c', script])).stdout;
    };
    await Promise.all(topo.routers.map((node) => waitFor(`sshd of ${node} answers on ${mgmt[node]}:22`, async () => ((await portOpen(mgmt[node] as string, 22)) ? true : undefined), { timeoutMs: 20_000 })));
    await Promise.all(
      topo.routers.map((router) =>
        waitFor(`OSPF in ${ns(lab, router)} has ${expectedNeighbours(topo, router)} Full neighbours`, async () => {
          const json = await vtysh(router, 'show ip ospf neighbor json');
          return fullNeighbours(json) === expectedNeighbours(topo, router) ? true : undefined;
        }, { timeoutMs: 60_000 }),
      ),
    );

    const labDir = join(dir, `clab-${lab}`);
    mkdirSync(labDir, { recursive: true });
    // No image: nothing in the lab files says FRR, so the bot finds out by asking vtysh.
    writeFileSync(join(labDir, 'topology-data.json'), topologyData({ lab, labDir, topo, image: () => undefined, mgmt: (n) => mgmt[n] as string, prefixLength: 24 }));

    const rotateHostKey = async (node: string) => {
      const pid = sshdPid.get(node);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      await waitFor(`old sshd of ${node} gone`, async () => ((await portOpen(mgmt[node] as string, 22)) ? undefined : true), { timeoutMs: 10_000 });
      const p = await startNode(node);
      // FRR keeps running in the old mount namespace; the new sshd only serves logins.
      launch(node, p, false);
      await waitFor(`new sshd of ${node} answers`, async () => ((await portOpen(mgmt[node] as string, 22)) ? true : undefined), { timeoutMs: 20_000 });
    };
    return { lab, dir, topo, mgmt, identityFile, hostKeys, vtysh, shell, rotateHostKey, stop: async () => stop() };
  } catch (err) {
    stop();
    throw err;
  }
}
