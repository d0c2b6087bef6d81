/** Runs the PyEZ baselines (bench/pyez/*.py) under the system Python that has python3-junos-eznc. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FarmSim } from './sim-farm.js';

/** Debian's python3-junos-eznc installs for /usr/bin/python3 only; PYEZ_PYTHON picks another interpreter. */
export const PYTHON = process.env.PYEZ_PYTHON ?? '/usr/bin/python3';
const PYEZ_DIR = fileURLToPath(new URL('./pyez/', import.meta.url));

export interface PyezJob {
  readonly targets: readonly FarmSim[];
  readonly user: string;
  readonly passwd: string;
  readonly workers: number;
  readonly command?: string;
  readonly config?: string;
}

export interface PyezNodeResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly phases?: Record<string, number>;
  readonly error?: string;
}

export interface PyezRun {
  /** Wall time of the thread pool, measured in Python after its imports. */
  readonly totalMs: number;
  readonly results: readonly PyezNodeResult[];
}

/** The PyEZ version, or undefined (with the reason) when it cannot be imported. */
export function pyezVersion(): { version?: string; problem?: string } {
  const r = spawnSync(PYTHON, ['-c', 'import jnpr.junos, ncclient, paramiko; print(jnpr.junos.__version__, ncclient.__version__, paramiko.__version__)'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error || r.status !== 0) {
    return { problem: `${PYTHON} cannot import jnpr.junos (install python3-junos-eznc): ${(r.error?.message ?? r.stderr).trim().split('\n').pop()}` };
  }
  const [pyez, ncclient, paramiko] = r.stdout.trim().split(' ');
  return { version: `junos-eznc ${pyez} (ncclient ${ncclient}, paramiko ${paramiko})` };
}

/** Runs `script` (fanout.py | plan.py) on the job; rejects if Python fails or exceeds `timeoutMs`. */
export function runPyez(script: 'fanout.py' | 'plan.py', job: PyezJob, timeoutMs: number): Promise<PyezRun> {
  return new Promise((resolve, reject) => {
    // No __pycache__ left in bench/pyez.
    const child = spawn(PYTHON, [script], { cwd: PYEZ_DIR, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`PyEZ ${script} ${signal ? `killed (${signal}, over ${timeoutMs} ms)` : `exited ${code}`}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      resolve(JSON.parse(stdout) as PyezRun);
    });
    child.stdin.end(JSON.stringify({ ...job, targets: job.targets.map((t) => ({ host: t.host, port: t.port })) }));
  });
}

/** Throws when any node failed: a timing that includes failures compares nothing. */
export function requirePyezOk(run: PyezRun, what: string): void {
  const failed = run.results.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(`PyEZ ${what}: ${failed.length} of ${run.results.length} nodes failed, first: ${failed[0]?.error}`);
}
