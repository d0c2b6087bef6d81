import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, REPO } from './cli.js';

/**
 * `clab-bot sim ...` processes a test starts: each resolves once it prints "ready", and every one
 * started, ready or not, is stopped by stopAll (SIGINT, then waiting for its exit), so a failed
 * start never leaves a simulator running.
 */
export class SimProcesses {
  readonly #started: ChildProcess[] = [];

  start(args: readonly string[], readyTimeoutMs = 90_000): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'sim', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#started.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`sim did not print ready: ${err}`)), readyTimeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) {
          clearTimeout(timer);
          resolve(child);
        }
      });
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sim exited with ${code}: ${err}`));
      });
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#started.map((child) => stopProcess(child)));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}
