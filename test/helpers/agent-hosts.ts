import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerTeardown } from '../lab/cleanup.js';
import { run, runQuietSync } from '../lab/run.js';
import { CLI, REPO, TSX } from './cli.js';
import { dialectAvailable } from './databases.js';
import { redisAvailability } from './redis.js';
import { availableOrSkip } from './requirements.js';

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
  /** The agent process (kill -9 it to lose the host); the new one after restartAgent. */
  readonly agent: ChildProcess;
  agentLog(): string;
  /** Starts the host's agent again (after it was killed), resolving once it is ready. */
  restartAgent(): Promise<void>;
}

export function agentHostsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  if (spawnSync('ip', ['-V']).status !== 0) return 'iproute2 (ip) is not installed';
  return undefined;
}

/** Whether a test of agent hosts can run here: Redis, network namespaces and PostgreSQL (under CI a missing one fails the run). */
export function agentHostsCanRun(what: string): boolean {
  const problem = agentHostsUnavailable();
  return (
    availableOrSkip(`${what} (Redis)`, redisAvailability()) &&
    availableOrSkip(`${what} (network namespaces)`, problem === undefined ? { available: true } : { available: false, reason: problem }) &&
    dialectAvailable('postgres')
  );
}

/**
 * Test files run in parallel, each perhaps with its own hosts: every AgentHosts claims a slot
 * (a directory under the temp dir, holding its pid) that names its namespaces and links
 * (`cbag<slot>-…`) and picks its addresses (10.77.<slot*6+index>.0/30 per host), so two files never touch
 * each other's. A slot whose owner died is taken over, with what that run left behind.
 */
const SLOTS = join(tmpdir(), 'clab-bot-agent-hosts');
const MAX_SLOTS = 40;
const HOSTS_PER_SLOT = 5;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function claimSlot(): number {
  mkdirSync(SLOTS, { recursive: true });
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const dir = join(SLOTS, String(slot));
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return slot;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      } catch {
        // Just claimed by another file that has not written its pid yet, unless long abandoned.
        if (Date.now() - statSync(dir, { throwIfNoEntry: false })!.mtimeMs < 60_000) continue;
      }
      if (owner > 0 && alive(owner)) continue;
      rmSync(dir, { recursive: true, force: true });
      slot -= 1; // try this slot again
    }
  }
  throw new Error(`all ${MAX_SLOTS} agent-host slots under ${SLOTS} are held by live test processes`);
}

/** Removes the namespaces, links and processes of this slot (and of an earlier crashed run that held it). */
function removeAll(prefix: string): void {
  for (const line of runQuietSync('ip', ['netns', 'list']).split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    if (!ns.startsWith(`${prefix}-`)) continue;
    const pids = runQuietSync('ip', ['netns', 'pids', ns]).split('\n').filter(Boolean);
    if (pids.length > 0) runQuietSync('kill', ['-KILL', ...pids]);
    runQuietSync('ip', ['netns', 'del', ns]);
  }
  for (const line of runQuietSync('ip', ['-o', 'link', 'show']).split('\n')) {
    const m = new RegExp(` (${prefix}-[0-9]+h)[@:]`).exec(line);
    if (m) runQuietSync('ip', ['link', 'del', m[1]!]);
  }
}

export class AgentHosts {
  readonly #relays: Server[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #children: ChildProcess[] = [];
  readonly #teardown: () => void;
  readonly #slot = claimSlot();
  readonly #prefix = `cbag${this.#slot}`;

  constructor() {
    removeAll(this.#prefix);
    this.#teardown = registerTeardown(this.#prefix, () => {
      for (const c of this.#children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      removeAll(this.#prefix);
      rmSync(join(SLOTS, String(this.#slot)), { recursive: true, force: true });
    });
  }

  /**
   * Host number `index` (1..5): namespace `cbag<slot>-NAME`, host side 10.77.<slot*6+index>.1/30,
   * namespace side .2, management addresses 172.20.20.2.. on the namespace's loopback; starts the lab's simulator
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
    /** More lab directories for the agent (--labs). */
    readonly extraLabs?: readonly string[];
    /** Runs once the namespace's link is up, before the agent starts: `hostIp` is the host side of the link, reachable from the namespace. */
    readonly beforeAgent?: (hostIp: string) => Promise<void>;
  }): Promise<AgentHost> {
    if (opts.index < 1 || opts.index > HOSTS_PER_SLOT) throw new Error(`host index ${opts.index}: 1 to ${HOSTS_PER_SLOT}`);
    const ns = `${this.#prefix}-${opts.name}`;
    const hostIf = `${this.#prefix}-${opts.index}h`;
    const subnet = `10.77.${this.#slot * (HOSTS_PER_SLOT + 1) + opts.index}`;
    const hostIp = `${subnet}.1`;
    await run('ip', ['netns', 'add', ns]);
    await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await run('ip', ['addr', 'add', `${hostIp}/30`, 'dev', hostIf]);
    await run('ip', ['link', 'set', hostIf, 'up']);
    await run('ip', ['-n', ns, 'addr', 'add', `${subnet}.2/30`, 'dev', 'eth0']);
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
    await opts.beforeAgent?.(hostIp);
    let agent: ChildProcess | undefined;
    let log = '';
    const launch = async () => {
      const labs = [opts.dir, ...(opts.extraLabs ?? [])].flatMap((d) => ['--labs', d]);
      const child = this.#spawnIn(ns, ['agent', '--name', opts.name, ...labs], {
        ...opts.env,
        CLAB_BOT_DB: pg.toString(),
        CLAB_BOT_REDIS: `redis://${hostIp}:${redisPort}`,
      });
      agent = child;
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      await untilOutput(child, 'stderr', /clab-bot agent \S+ ready/, `agent ${opts.name}`);
    };
    await launch();
    return {
      name: opts.name,
      ns,
      get agent() {
        return agent!;
      },
      agentLog: () => log,
      restartAgent: launch,
    };
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
