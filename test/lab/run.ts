/** Process and polling helpers for the real-router labs: every command and every wait is bounded. */
import { execFile, execFileSync } from 'node:child_process';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs a program with an argv (no shell), bounded in time; a non-zero exit throws with its stderr unless allowFail. */
export function run(file: string, args: readonly string[], opts: { timeoutMs?: number; allowFail?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1;
      if (err !== null && !opts.allowFail) {
        reject(new Error(`${file} ${args.join(' ')} failed (${code}): ${stderr.trim() || err.message}`));
        return;
      }
      resolve({ stdout, stderr, code });
    });
  });
}

/** Synchronous best-effort run for exit handlers (where nothing asynchronous runs any more). */
export function runQuietSync(file: string, args: readonly string[]): string {
  try {
    return execFileSync(file, [...args], { timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' });
  } catch {
    return '';
  }
}

/**
 * Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with the
 * last observation. The interval only paces the polling; success is the observed state, not a delay.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, opts: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  const end = Date.now() + opts.timeoutMs;
  let last: unknown = 'nothing observed yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() >= end) throw new Error(`${what}: not reached within ${opts.timeoutMs} ms (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}
