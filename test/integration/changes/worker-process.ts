import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../../helpers/cli.js';

export interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the first stdout JSON line for which `pick` returns a value (bounded by timeoutMs). */
  waitFor<T>(pick: (msg: Record<string, unknown>) => T | undefined, timeoutMs?: number): Promise<T>;
  go(): void;
  kill(): Promise<void>;
  stderr(): string;
}

/** Starts test/helpers/change-worker.ts in its own Node process and waits until it says `ready`. */
export async function startWorker(args: Record<string, unknown>): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'helpers', 'change-worker.ts'), JSON.stringify(args)], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  let err = '';
  let ready = false;
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line === 'ready') ready = true;
      else if (line.startsWith('{')) messages.push(JSON.parse(line) as Record<string, unknown>);
      nl = buffered.indexOf('\n');
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const until = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`worker: no ${what} within ${timeoutMs} ms\n${err}`));
      }, timeoutMs);
      const onExit = () => {
        if (!attempt()) {
          cleanup();
          reject(new Error(`worker exited before ${what}\n${err}`));
        }
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        child.off('exit', onExit);
      };
      const wake = () => void attempt();
      if (attempt()) return;
      waiters.add(wake);
      child.once('exit', onExit);
    });

  await until(() => (ready ? true : undefined), 30_000, 'ready');
  return {
    child,
    waitFor: (pick, timeoutMs = 30_000) =>
      until(() => {
        for (const m of messages) {
          const v = pick(m);
          if (v !== undefined) return v;
        }
        return undefined;
      }, timeoutMs, 'expected message'),
    go: () => child.stdin.write('go\n'),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stderr: () => err,
  };
}

export function resultOf(msg: Record<string, unknown>): { ok: boolean; state?: string; code?: string; message?: string } | undefined {
  return msg['result'] as { ok: boolean; state?: string; code?: string; message?: string } | undefined;
}
