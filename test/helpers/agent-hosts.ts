import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { registerTeardown } from '../lab/cleanup.js';
import { run, runQuietSync } from '../lab/run.js';
import { CLI, REPO, TSX } from './cli.js';

/**
 * A simulated containerlab host: a network namespace with its own management addresses (the same
 * 172.20.20.x on every host, as containerlab gives each host), a `clab-bot sim` lab and a
 * `clab-bot agent` inside it. The namespace's only way out is a veth link to the test's host
 * side, where a TCP relay forwards to the test's PostgreSQL and Redis on loopback: the agent makes
 * outbound connections only, as behind NAT on a real lab host.
 */
export interface AgentHost {
  readonly name: string;
  readonly ns: string;
  /** The agent process (kill -9 it to lose the host). */
  readonly agent: ChildProcess;
  agentLog(): string;
}

export function agentHostsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  if (spawnSync('ip', ['-V']).status !== 0) return 'iproute2 (ip) is not installed';
  return undefined;
}

const PREFIX = 'cbag';

/** Removes the namespaces, links and processes of this test (and of an earlier crashed run). */
function removeAll(): void {
  for (const line of runQuietSync('ip', ['netns', 'list']).split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    if (!ns.startsWith(`${PREFIX}-`)) continue;
    const pids = runQuietSync('ip', ['netns', 'pids', ns]).split('\n').filter(Boolean);
    if (pids.length > 0) runQuietSync('kill', ['-KILL', ...pids]);
    runQuietSync('ip', ['netns', 'del', ns]);
  }
  for (const line of runQuietSync('ip', ['-o', 'link', 'show']).split('\n')) {
    const m = / (cbag-[a-z0-9]+-h)[@:]/.exec(line);
    if (m) runQuietSync('ip', ['link', 'del', m[1]!]);
  }
}

export class AgentHosts {
  readonly #relays: Server[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #children: ChildProcess[] = [];
  readonly #teardown: () => void;

  constructor() {
    removeAll();
    this.#teardown = registerTeardown(PREFIX, () => {
      for (const c of this.#children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      removeAll();
    });
  }

  /**
   * Host number `index` (1..): namespace `cbag-NAME`, host side 10.77.INDEX.1/30, namespace side
   * .2, management addresses 172.20.20.2.. on the namespace's loopback; starts the lab's simulator
   * and the agent, resolving once the agent is ready.
   */
  async start(opts: {
    readonly index: number;
    readonly name: string;
    readonly lab: string;
    readonly prefix: string;
    readonly count: number;
    readonly dir: string;
    readonly pgUrl: string;
    readonly redisPort: number;
    readonly env: NodeJS.ProcessEnv;
    readonly latencyMs?: number;
  }): Promise<AgentHost> {
    const ns = `${PREFIX}-${opts.name}`;
    const hostIf = `${PREFIX}-${opts.index}-h`;
    const hostIp = `10.77.${opts.index}.1`;
    await run('ip', ['netns', 'add', ns]);
    await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await run('ip', ['addr', 'add', `${hostIp}/30`, 'dev', hostIf]);
    await run('ip', ['link', 'set', hostIf, 'up']);
    await run('ip', ['-n', ns, 'addr', 'add', `10.77.${opts.index}.2/30`, 'dev', 'eth0']);
    await run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    for (let i = 0; i < opts.count; i++) await run('ip', ['-n', ns, 'addr', 'add', `172.20.20.${2 + i}/32`, 'dev', 'lo']);

    const pg = new URL(opts.pgUrl);
    const pgPort = await this.#relay(hostIp, '127.0.0.1', Number(pg.port || 5432));
    const redisPort = await this.#relay(hostIp, '127.0.0.1', opts.redisPort);
    pg.hostname = hostIp;
    pg.port = String(pgPort);

    const sim = this.#spawnIn(ns, [
      'sim', '--lab', opts.lab, '--kind', 'vjunosrouter', '--count', String(opts.count), '--dir', opts.dir,
      '--prefix', opts.prefix, '--base-ip', '172.20.20.2', '--port', '830', ...(opts.latencyMs ? ['--latency', String(opts.latencyMs)] : []),
    ], opts.env);
    await untilOutput(sim, 'stdout', /ready/, `the simulator of ${opts.name}`);
    const agent = this.#spawnIn(ns, ['agent', '--name', opts.name, '--labs', opts.dir], {
      ...opts.env,
      CLAB_BOT_DB: pg.toString(),
      CLAB_BOT_REDIS: `redis://${hostIp}:${redisPort}`,
    });
    let log = '';
    agent.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await untilOutput(agent, 'stderr', /clab-bot agent \S+ ready/, `agent ${opts.name}`);
    return { name: opts.name, ns, agent, agentLog: () => log };
  }

  #spawnIn(ns: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', TSX, CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#children.push(child);
    return child;
  }

  /** A TCP relay on the host side of a namespace's link to a loopback service; resolves with its port. */
  #relay(listenHost: string, targetHost: string, targetPort: number): Promise<number> {
    const server = createServer((inbound) => {
      const outbound = connect(targetPort, targetHost);
      for (const s of [inbound, outbound]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    this.#relays.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, listenHost, () => resolve((server.address() as { port: number }).port));
    });
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.#children.map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    for (const s of this.#sockets) s.destroy();
    await Promise.all(this.#relays.map((r) => new Promise((res) => r.close(res))));
    this.#teardown();
  }
}

function untilOutput(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, what: string, timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new Error(`${what} did not start in ${timeoutMs} ms: ${seen}`)), timeoutMs);
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) done();
    };
    const onExit = (code: number | null) => done(new Error(`${what} exited with ${code}: ${seen}`));
    const other = stream === 'stdout' ? child.stderr! : child.stdout!;
    const onOther = (d: Buffer) => (seen += d.toString());
    function done(err?: Error) {
      clearTimeout(timer);
      child[stream]!.off('data', onData);
      other.off('data', onOther);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child[stream]!.on('data', onData);
    other.on('data', onOther);
    child.on('exit', onExit);
  });
}
