/**
 * The FRR lab as containerlab builds it: Docker containers named clab-<lab>-<node> on a management
 * bridge with fixed addresses, veth point-to-point links moved into their network namespaces,
 * zebra and ospfd running inside, and clab-<lab>/topology-data.json written next to them.
 *
 * The image is made here from the host's own files (nothing is pulled): a tiny rootfs of /etc
 * entries imported with `docker import`, run with the host's /usr bind-mounted read-only (FRR, the
 * shell and iproute2 come from there). Containers get NET_ADMIN/NET_RAW/SYS_ADMIN, not --privileged
 * (the kernel here refuses the full capability set).
 */
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerTeardown } from './cleanup.js';
import { BOOT_ARGV, daemonArgv, frrDaemons, labUnavailable, VTYSH_CONF } from './frr-host.js';
import { run, runQuietSync, waitFor } from './run.js';
import { expectedNeighbours, frrConfig, fullNeighbours, topologyData, triangle, type LabTopology } from './topology.js';

/** The FRR image: the name says frrouting/frr the way containerlab topologies do. */
export const FRR_IMAGE = 'clab-bot-lab/frrouting/frr:host2';
/** A plain linux host image (same files, a name that says nothing about FRR). */
export const HOST_IMAGE = 'clab-bot-lab/linux-host:host2';

export interface DockerLabOptions {
  /** Lab name: short (it prefixes veth names, 15 characters at most), letters and digits. */
  readonly lab: string;
  /** Second octet of the routers' link addresses (10.<net>.x.y) and third of the mgmt subnet (172.30.<net>.0/24). */
  readonly net: number;
  /**
   * Plain linux hosts (no FRR) started beside the routers. They are left out of topology-data.json,
   * so `--all` means the routers; tests reach a host by building its node themselves.
   */
  readonly hosts?: readonly string[];
}

export interface DockerLab {
  readonly lab: string;
  /** The directory holding clab-<lab>/ (what the bot's `labs:` setting points at). */
  readonly dir: string;
  readonly topo: LabTopology;
  readonly mgmt: Readonly<Record<string, string>>;
  container(node: string): string;
  /** vtysh in a router, through the docker CLI (the tests' own view, independent of the bot). */
  vtysh(node: string, command: string): Promise<string>;
  stop(): Promise<void>;
}

export function dockerUnavailable(): string | undefined {
  const missing = labUnavailable(['/var/run/docker.sock']);
  if (missing !== undefined) return missing;
  // A socket left behind by a stopped daemon is there but answers nothing.
  if (runQuietSync('docker', ['version', '--format', '{{.Server.Version}}']).trim() === '') {
    return 'no Docker daemon answers on /var/run/docker.sock (start dockerd; .ci/run does)';
  }
  return undefined;
}

async function docker(args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return (await run('docker', args, { timeoutMs })).stdout.trim();
}

/** Builds the two images from host files unless they exist already (they are a few kB, kept between runs). */
async function ensureImages(): Promise<void> {
  const present = await run('docker', ['image', 'inspect', FRR_IMAGE, HOST_IMAGE], { allowFail: true });
  if (present.code === 0) return;
  const work = mkdtempSync(join(tmpdir(), 'clab-bot-rootfs-'));
  try {
    const root = join(work, 'rootfs');
    for (const dir of ['usr', 'etc/frr', 'etc/pam.d', 'proc', 'sys', 'dev', 'tmp', 'run/frr', 'var/log/frr', 'var/tmp/frr', 'root']) {
      mkdirSync(join(root, dir), { recursive: true });
    }
    chmodSync(join(root, 'tmp'), 0o1777);
    // /sbin stays a real directory: docker run --init mounts its init at /sbin/docker-init (PATH has /usr/sbin).
    mkdirSync(join(root, 'sbin'));
    for (const [link, target] of [['bin', 'usr/bin'], ['lib', 'usr/lib'], ['lib64', 'usr/lib64'], ['var/run', '../run']] as const) {
      symlinkSync(target, join(root, link));
    }
    const keep = (file: string, names: RegExp) =>
      readFileSync(file, 'utf8').split('\n').filter((l) => names.test(l)).join('\n') + '\n';
    writeFileSync(join(root, 'etc/passwd'), keep('/etc/passwd', /^(root|frr|nobody):/));
    writeFileSync(join(root, 'etc/group'), keep('/etc/group', /^(root|frr|frrvty|nogroup):/));
    writeFileSync(join(root, 'etc/ld.so.cache'), readFileSync('/etc/ld.so.cache'));
    // Debian's vtysh is built with PAM: allow it as the FRR images' vtysh (built without PAM) would.
    writeFileSync(join(root, 'etc/pam.d/frr'), 'auth sufficient pam_permit.so\naccount sufficient pam_permit.so\n');
    writeFileSync(join(root, 'etc/frr/vtysh.conf'), VTYSH_CONF);
    const frr = /^frr:x:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'));
    if (frr !== null) {
      for (const dir of ['etc/frr', 'etc/frr/vtysh.conf', 'run/frr', 'var/log/frr', 'var/tmp/frr']) chownSync(join(root, dir), Number(frr[1]), Number(frr[2]));
    }
    const tar = join(work, 'rootfs.tar');
    await run('tar', ['-C', root, '-cf', tar, '.']);
    await docker(['import', '--change', 'CMD ["/usr/bin/sleep","infinity"]', tar, FRR_IMAGE], 60_000);
    await docker(['tag', FRR_IMAGE, HOST_IMAGE]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function linkNames(lab: string, index: number): [string, string] {
  return [`${lab}l${index}a`, `${lab}l${index}z`];
}

/** Removes whatever a lab of this name left behind (containers by label, its network, stray veths). */
function removeLab(lab: string, linkCount: number, dir: string | undefined): void {
  const ids = runQuietSync('docker', ['ps', '-aq', '--filter', `label=containerlab=${lab}`]).split('\n').filter(Boolean);
  if (ids.length > 0) runQuietSync('docker', ['rm', '-f', ...ids]);
  runQuietSync('docker', ['network', 'rm', `${lab}-mgmt`]);
  for (let i = 0; i < linkCount; i++) {
    for (const name of linkNames(lab, i)) runQuietSync('ip', ['link', 'del', name]);
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

export async function startDockerLab(opts: DockerLabOptions): Promise<DockerLab> {
  const { lab, net } = opts;
  if (!/^[a-z][a-z0-9]{0,8}$/.test(lab)) throw new Error(`lab name ${lab}: letters and digits, 9 at most`);
  const topo = triangle(net, opts.hosts ?? []);
  const nodes = [...topo.routers, ...topo.hosts];
  const container = (node: string) => `clab-${lab}-${node}`;
  removeLab(lab, topo.links.length, undefined);

  const dir = mkdtempSync(join(tmpdir(), `clab-bot-${lab}-`));
  const stop = registerTeardown(`docker:${lab}`, () => removeLab(lab, topo.links.length, dir));
  try {
    await ensureImages();
    const subnet = `172.30.${net}`;
    await docker(['network', 'create', '--driver', 'bridge', '--subnet', `${subnet}.0/24`, '--label', `containerlab=${lab}`, `${lab}-mgmt`]);
    const mgmt = Object.fromEntries(nodes.map((node, i) => [node, `${subnet}.${11 + i}`]));
    const labDir = join(dir, `clab-${lab}`);
    for (const node of nodes) {
      const isRouter = topo.routers.includes(node);
      await docker([
        // --init: a real init as pid 1 reaps what exits in the container, as the FRR images' own init does.
        'run', '-d', '--init', '--name', container(node), '--hostname', node,
        '--network', `${lab}-mgmt`, '--ip', mgmt[node] as string,
        '--cap-add', 'NET_ADMIN', '--cap-add', 'NET_RAW', '--cap-add', 'SYS_ADMIN',
        '--sysctl', 'net.ipv4.ip_forward=1',
        '-v', '/usr:/usr:ro',
        '--label', `containerlab=${lab}`, '--label', `clab-node-name=${node}`, '--label', `clab-node-longname=${container(node)}`,
        '--label', 'clab-node-kind=linux', '--label', `clab-node-lab-dir=${labDir}/${node}`,
        isRouter ? FRR_IMAGE : HOST_IMAGE,
      ]);
    }
    const pids = Object.fromEntries(
      await Promise.all(nodes.map(async (node) => [node, await docker(['inspect', '-f', '{{.State.Pid}}', container(node)])] as const)),
    );
    // Links as containerlab makes them: a veth pair whose ends are moved into the two containers.
    for (const [i, link] of topo.links.entries()) {
      const [a, z] = linkNames(lab, i);
      await run('ip', ['link', 'add', a, 'type', 'veth', 'peer', 'name', z]);
      for (const [end, side] of [[a, link.a], [z, link.z]] as const) {
        await run('ip', ['link', 'set', end, 'netns', pids[side.node] as string]);
        const inNs = (args: string[]) => run('nsenter', ['-t', pids[side.node] as string, '-n', 'ip', ...args]);
        await inNs(['link', 'set', end, 'name', side.iface]);
        await inNs(['addr', 'add', side.address, 'dev', side.iface]);
        await inNs(['link', 'set', side.iface, 'up']);
      }
    }
    for (const router of topo.routers) {
      const conf = join(dir, `${router}.frr.conf`);
      writeFileSync(conf, frrConfig(topo, router));
      await docker(['cp', conf, `${container(router)}:/etc/frr/frr.conf`]);
      await docker(['exec', container(router), 'chown', 'frr:frr', '/etc/frr/frr.conf']);
      for (const daemon of frrDaemons()) await docker(['exec', container(router), ...daemonArgv(daemon)]);
      // As watchfrr does at start: the integrated frr.conf is loaded by vtysh -b into the running daemons.
      await docker(['exec', container(router), ...BOOT_ARGV]);
    }
    mkdirSync(labDir, { recursive: true });
    writeFileSync(
      join(labDir, 'topology-data.json'),
      topologyData({ lab, labDir, topo, image: (n) => (topo.routers.includes(n) ? FRR_IMAGE : HOST_IMAGE), mgmt: (n) => mgmt[n] as string, prefixLength: 24 }),
    );
    const vtysh = (node: string, command: string) => docker(['exec', container(node), 'vtysh', '-c', command]);
    await Promise.all(
      topo.routers.map((router) =>
        waitFor(`OSPF on ${container(router)} has ${expectedNeighbours(topo, router)} Full neighbours`, async () => {
          const json = await vtysh(router, 'show ip ospf neighbor json');
          return fullNeighbours(json) === expectedNeighbours(topo, router) ? true : undefined;
        }, { timeoutMs: 60_000 }),
      ),
    );
    return { lab, dir, topo, mgmt, container, vtysh, stop: async () => stop() };
  } catch (err) {
    stop();
    throw err;
  }
}

