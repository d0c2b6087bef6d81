/**
 * Runs Juniper PyEZ (python3-junos-eznc) from tests. PyEZ imports only under the system
 * interpreter (/usr/bin/python3), not a pyenv/venv python that may come first on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SYSTEM_PYTHON = '/usr/bin/python3';
export const PYEZ_SCRIPT = fileURLToPath(new URL('./pyez_conformance.py', import.meta.url));

/** Whether PyEZ can run here; `reason` says what is missing and how to install it. */
export function pyezAvailability(): { available: true } | { available: false; reason: string } {
  if (!existsSync(SYSTEM_PYTHON)) return { available: false, reason: `${SYSTEM_PYTHON} not found` };
  const probe = spawnSync(SYSTEM_PYTHON, ['-W', 'ignore', '-c', 'import jnpr.junos, ncclient'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    return { available: false, reason: `jnpr.junos does not import under ${SYSTEM_PYTHON} (apt-get install python3-junos-eznc): ${probe.stderr.trim().split('\n').pop() ?? ''}` };
  }
  return { available: true };
}

export interface PyezRun {
  readonly exitCode: number | null;
  /** The script's JSON report, or undefined when it printed none (stderr then says why). */
  readonly report: Record<string, unknown> | undefined;
  readonly stderr: string;
}

/** Runs pyez_conformance.py against host:port; bounded by timeoutMs (the process is killed after). */
export function runPyezConformance(host: string, port: number, timeoutMs = 120_000): Promise<PyezRun> {
  return new Promise((resolve) => {
    const child = spawn(SYSTEM_PYTHON, ['-W', 'ignore', PYEZ_SCRIPT, '--host', host, '--port', String(port)], {
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
