/**
 * Runs Arista's pyeapi (Debian python3-pyeapi) from tests. It imports only under the system
 * interpreter (/usr/bin/python3), not a pyenv/venv python that may come first on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PYTHON } from './pyez.js';

export const PYEAPI_SCRIPT = fileURLToPath(new URL('./pyeapi_conformance.py', import.meta.url));

/** Whether pyeapi can run here; `reason` says what is missing and how to install it. */
export function pyeapiAvailability(): { available: true } | { available: false; reason: string } {
  if (!existsSync(SYSTEM_PYTHON)) return { available: false, reason: `${SYSTEM_PYTHON} not found` };
  const probe = spawnSync(SYSTEM_PYTHON, ['-W', 'ignore', '-c', 'import pyeapi'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    return { available: false, reason: `pyeapi does not import under ${SYSTEM_PYTHON} (apt-get install python3-pyeapi): ${probe.stderr.trim().split('\n').pop() ?? ''}` };
  }
  return { available: true };
}

export interface PyeapiRun {
  readonly exitCode: number | null;
  /** The script's JSON report, or undefined when it printed none (stderr then says why). */
  readonly report: Record<string, unknown> | undefined;
  readonly stderr: string;
}

/** Runs pyeapi_conformance.py against host:port; bounded by timeoutMs (the process is killed after). */
export function runPyeapiConformance(host: string, port: number, transport: 'https' | 'http', timeoutMs = 120_000): Promise<PyeapiRun> {
  return new Promise((resolve) => {
    const args = ['-W', 'ignore', PYEAPI_SCRIPT, '--host', host, '--port', String(port), '--transport', transport];
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
