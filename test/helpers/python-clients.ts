/**
 * Runs the vendors' own Python client libraries (Debian python3-junos-eznc, python3-pyeapi,
 * python3-netmiko) from the conformance tests. They import only under the system interpreter
 * (/usr/bin/python3), not a pyenv/venv python that may come first on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface PythonClient {
  /** The module named in messages. */
  readonly module: string;
  /** What the availability probe imports. */
  readonly imports: string;
  readonly debianPackage: string;
  /** The conformance script beside this file; it prints one JSON report as its last line. */
  readonly script: string;
}

const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

export const PYEZ: PythonClient = { module: 'jnpr.junos', imports: 'jnpr.junos, ncclient', debianPackage: 'python3-junos-eznc', script: script('pyez_conformance.py') };
export const PYEAPI: PythonClient = { module: 'pyeapi', imports: 'pyeapi', debianPackage: 'python3-pyeapi', script: script('pyeapi_conformance.py') };
export const NETMIKO: PythonClient = { module: 'netmiko', imports: 'netmiko', debianPackage: 'python3-netmiko', script: script('netmiko_conformance.py') };

/** Whether the client can run here; `reason` says what is missing and how to install it. */
export function clientAvailability(client: PythonClient): { available: true } | { available: false; reason: string } {
  if (!existsSync(SYSTEM_PYTHON)) return { available: false, reason: `${SYSTEM_PYTHON} not found` };
  const probe = spawnSync(SYSTEM_PYTHON, ['-W', 'ignore', '-c', `import ${client.imports}`], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    const why = probe.stderr.trim().split('\n').pop() ?? '';
    return { available: false, reason: `${client.module} does not import under ${SYSTEM_PYTHON} (apt-get install ${client.debianPackage}): ${why}` };
  }
  return { available: true };
}

export interface ClientRun {
  readonly exitCode: number | null;
  /** The script's JSON report, or undefined when it printed none (stderr then says why). */
  readonly report: Record<string, unknown> | undefined;
  readonly stderr: string;
}

/** Runs the client's conformance script with args; bounded by timeoutMs (the process is killed after). */
export function runConformance(client: PythonClient, args: readonly string[], timeoutMs = 120_000): Promise<ClientRun> {
  return new Promise((resolve) => {
    const child = spawn(SYSTEM_PYTHON, ['-W', 'ignore', client.script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      let report: Record<string, unknown> | undefined;
      try {
        report = JSON.parse(line) as Record<string, unknown>;
      } catch {
        report = undefined;
      }
      resolve({ exitCode: code, report, stderr });
    });
  });
}

export interface NetmikoTarget {
  readonly deviceType: 'cisco_xr' | 'cisco_ios';
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly secret?: string;
  /** The interface the script configures. */
  readonly interface: string;
}

/** The netmiko script's arguments for a target. */
export function netmikoArgs(t: NetmikoTarget): string[] {
  const args = ['--device-type', t.deviceType, '--host', t.host, '--port', String(t.port), '--user', t.username, '--password', t.password];
  return [...args, '--interface', t.interface, ...(t.secret === undefined ? [] : ['--secret', t.secret])];
}
