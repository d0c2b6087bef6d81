/**
 * Runs netmiko (Debian python3-netmiko) from tests. It imports only under the system interpreter
 * (/usr/bin/python3), not a pyenv/venv python that may come first on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PYTHON } from './pyez.js';

export const NETMIKO_SCRIPT = fileURLToPath(new URL('./netmiko_conformance.py', import.meta.url));

/** Whether netmiko can run here; `reason` says what is missing and how to install it. */
export function netmikoAvailability(): { available: true } | { available: false; reason: string } {
  if (!existsSync(SYSTEM_PYTHON)) return { available: false, reason: `${SYSTEM_PYTHON} not found` };
  const probe = spawnSync(SYSTEM_PYTHON, ['-W', 'ignore', '-c', 'import netmiko'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    return { available: false, reason: `netmiko does not import under ${SYSTEM_PYTHON} (apt-get install python3-netmiko): ${probe.stderr.trim().split('\n').pop() ?? ''}` };
  }
  return { available: true };
}

export interface NetmikoRun {
  readonly exitCode: number | null;
  /** The script's JSON report, or undefined when it printed none (stderr then says why). */
  readonly report: Record<string, unknown> | undefined;
  readonly stderr: string;
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

/** Runs netmiko_conformance.py against the target; bounded by timeoutMs (the process is killed after). */
export function runNetmikoConformance(t: NetmikoTarget, timeoutMs = 150_000): Promise<NetmikoRun> {
  return new Promise((resolve) => {
    const args = ['-W', 'ignore', NETMIKO_SCRIPT, '--device-type', t.deviceType, '--host', t.host, '--port', String(t.port), '--user', t.username, '--password', t.password, '--interface', t.interface];
    if (t.secret !== undefined) args.push('--secret', t.secret);
    const child = spawn(SYSTEM_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
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
