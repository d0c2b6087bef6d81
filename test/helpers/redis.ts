import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private redis-server per test file, like freshDatabase is for PostgreSQL: its own free
 * loopback port and temp directory, no persistence, stopped (and its directory removed) by stop().
 * Under CI a missing redis-server fails the run (see requirements.ts and .ci/run).
 */
export function redisAvailability(): { available: true } | { available: false; reason: string } {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? { available: true } : { available: false, reason: 'redis-server is not installed (apt-get install redis-server)' };
}

export interface TestRedis {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then waits for its exit); the test's "Redis went away". */
  stop(): Promise<void>;
  /** Starts it again on the same port (data is gone: nothing is saved). */
  restart(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel picks; the listener closes before redis takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on a free loopback port; resolves once it accepts connections. */
export async function startRedis(opts: { bind?: readonly string[] } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'clab-bot-redis-'));
  const port = await freePort();
  const bind = ['127.0.0.1', ...(opts.bind ?? [])].join(' ');
  let child: ChildProcess | undefined;
  const launch = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', bind, '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    let out = '';
    c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s: ${out}`)), 10_000);
      const done = (err?: Error) => {
        clearTimeout(timer);
        c.off('exit', onExit);
        c.stdout!.off('data', onData);
        if (err) reject(err);
        else resolve();
      };
      const onExit = (code: number | null) => done(new Error(`redis-server exited with ${code}: ${out}`));
      const onData = () => {
        if (/Ready to accept connections/i.test(out)) done();
      };
      c.on('exit', onExit);
      c.stdout!.on('data', onData);
    });
    await ping(port);
  };
  const halt = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: halt,
    restart: async () => {
      await halt();
      await launch();
    },
    dispose: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A raw PING over the protocol: the server answers +PONG once it serves. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.once('error', reject);
    s.on('data', (d: Buffer) => {
      s.destroy();
      if (d.toString().startsWith('+PONG')) resolve();
      else reject(new Error(`redis answered ${d.toString().trim()}`));
    });
    s.write('PING\r\n');
  });
}
