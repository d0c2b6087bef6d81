/** What the labs need from the host: root, FRR, iproute2, and for each lab its own tools. */
import { existsSync } from 'node:fs';

export const FRR_DIR = '/usr/lib/frr';
export const VTYSH = '/usr/bin/vtysh';

/** FRR daemons a lab router runs, in start order (mgmtd only exists from FRR 9). */
export function frrDaemons(): string[] {
  return ['mgmtd', 'zebra', 'ospfd'].filter((d) => existsSync(`${FRR_DIR}/${d}`));
}

/** argv starting one daemon in the background (it forks itself with -d). */
export function daemonArgv(daemon: string): string[] {
  return [`${FRR_DIR}/${daemon}`, '-d', '-F', 'traditional', '-A', '127.0.0.1'];
}

/** Loads the integrated frr.conf into the running daemons, as watchfrr does at start. */
export const BOOT_ARGV = [VTYSH, '-b'];

export const VTYSH_CONF = 'service integrated-vtysh-config\n';

/**
 * Why the labs cannot run here, or undefined when they can. Under CI a missing piece fails the run
 * (the caller turns the reason into a failing test), elsewhere the lab tests are skipped with it.
 */
export function labUnavailable(extra: readonly string[] = []): string | undefined {
  if (process.getuid?.() !== 0) return 'the FRR lab needs root (network namespaces, veth links)';
  for (const file of [`${FRR_DIR}/zebra`, `${FRR_DIR}/ospfd`, VTYSH, '/usr/sbin/ip', '/usr/bin/nsenter', ...extra]) {
    if (!existsSync(file)) return `${file} is missing (install the Debian packages frr, iproute2, openssh-server, docker.io; .ci/run does)`;
  }
  return undefined;
}
