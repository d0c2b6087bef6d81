import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { CLI, REPO } from '../../helpers/cli.js';
import { processGone } from '../../helpers/tmux.js';

/** Environment of a demo under test: no colours, history in a temp file, never the user's. */
export function demoEnv(historyFile: string): NodeJS.ProcessEnv {
  return { NO_COLOR: '1', CLAB_BOT_HISTORY: historyFile, CLAB_BOT_CONFIG: '', CLAB_LABS: '', LANG: 'C.UTF-8' };
}

/** `clab-bot demo ARGS` as a child process with piped stdio (stdin left open until the test ends it). */
export function spawnDemo(args: readonly string[], env: NodeJS.ProcessEnv): DemoProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'demo', ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new DemoProcess(child);
}

export class DemoProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** Waits until stdout or stderr (or both) match; throws with both on timeout. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this[stream].match(pattern);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} on ${stream} within ${timeoutMs} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for the exit; kills the process and throws if it does not exit in time. */
  async waitForExit(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`the demo did not exit within ${timeoutMs} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface DemoEndpoint {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** Where the demo's routers listen, from its own topology-data.json (the port label when not 830). */
export function demoEndpoints(labDir: string): DemoEndpoint[] {
  const data = JSON.parse(readFileSync(join(labDir, 'clab-demo', 'topology-data.json'), 'utf8')) as {
    nodes: Record<string, { 'mgmt-ipv4-address': string; labels: Record<string, string> }>;
  };
  return Object.entries(data.nodes).map(([name, n]) => ({
    name,
    host: n['mgmt-ipv4-address'],
    port: Number(n.labels['clab-bot.port'] ?? 830),
  }));
}

/** Whether something accepts TCP connections there (bounded by a short timeout). */
export function listening(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Process ids whose parent is `pid` (from /proc), to check nothing was left running. */
export function childrenOf(pid: number): number[] {
  const path = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Whether a process with this id still runs (a zombie, exited but not yet reaped, does not). */
export function alive(pid: number): boolean {
  return !processGone(pid);
}

/**
 * Whether every endpoint has an established TCP connection on its server side (from `ss`): the
 * moment a request has reached the routers, seen from outside the process that holds them.
 */
export function connectedToAll(endpoints: readonly DemoEndpoint[]): boolean {
  const r = spawnSync('ss', ['-Htn', 'state', 'established'], { encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0) throw new Error(`ss failed (iproute2 is needed for this test): ${r.stderr || r.error?.message}`);
  const local = new Set(r.stdout.split('\n').map((line) => line.trim().split(/\s+/)[2]).filter(Boolean));
  return endpoints.every((e) => local.has(`${e.host}:${e.port}`));
}
