/**
 * Child process that serves N simulated vJunos devices for the benchmarks, so their CPU (SSH
 * handshakes, XML) is not counted in the bot's timings or RSS. Started by farm-client.ts.
 *
 * argv[2]: JSON FarmConfig. Prints one line `{"sims":[{name,host,port}]}` once every device listens,
 * then answers line-delimited JSON commands on stdin (see FarmCommand). Exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import { startJunosSim, type JunosSim } from '../src/sim/junos/index.js';

export interface FarmConfig {
  readonly count: number;
  readonly latencyMs: number;
  /** Node names are `${prefix}1..N`. */
  readonly prefix: string;
  /** Third octet of the first address: devices sit on 127.23.<octet>.1.., 250 per octet (127.21/127.20 are the tests'). */
  readonly firstOctet: number;
  /** 830 (NETCONF's port, as in a containerlab lab) or 0 (ephemeral); 830 falls back to 0 if refused. */
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

export interface FarmSim {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export type FarmCommand =
  | { readonly cmd: 'sessions' }
  | { readonly cmd: 'cpu' }
  | { readonly cmd: 'latency'; readonly ms: number }
  /** Starts counting RPCs in flight (sampled every 5 ms; needs latency > 0), or stops and answers the maxima. */
  | { readonly cmd: 'inflight'; readonly watch: boolean };

/** Loopback address of the i-th device (0-based): consecutive, like a containerlab mgmt subnet. */
export function farmAddress(firstOctet: number, i: number): string {
  return `127.23.${firstOctet + Math.floor(i / 250)}.${(i % 250) + 1}`;
}

async function startOne(config: FarmConfig, i: number): Promise<JunosSim> {
  const common = {
    hostname: `${config.prefix}${i + 1}`,
    host: farmAddress(config.firstOctet, i),
    username: config.username,
    password: config.password,
    faults: { latencyMs: config.latencyMs },
  };
  if (config.port === 0) return startJunosSim({ ...common, port: 0 });
  try {
    return await startJunosSim({ ...common, port: config.port });
  } catch (err) {
    // Not root (EACCES on 830) or the port is taken: an ephemeral port works the same.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EADDRINUSE') throw err;
    return startJunosSim({ ...common, port: 0 });
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as FarmConfig;
  const sims: JunosSim[] = [];
  for (let i = 0; i < config.count; i++) sims.push(await startOne(config, i));
  const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  reply({ sims: sims.map((s): FarmSim => ({ name: s.hostname, host: s.host, port: s.port })) });

  // RPCs the devices are answering at once (they wait out the latency): the most seen across all
  // devices and on any one device. A device call lasts `latencyMs`, so a 5 ms sample sees each.
  let sampler: NodeJS.Timeout | undefined;
  let maxTotal = 0;
  let maxOne = 0;
  const sample = () => {
    let total = 0;
    for (const s of sims) {
      const n = s.rpcsAwaitingReply();
      total += n;
      if (n > maxOne) maxOne = n;
    }
    if (total > maxTotal) maxTotal = total;
  };

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as FarmCommand;
    if (command.cmd === 'sessions') reply({ sessions: sims.reduce((n, s) => n + s.activeSessions(), 0) });
    else if (command.cmd === 'cpu') {
      const cpu = process.cpuUsage();
      reply({ cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (command.cmd === 'inflight') {
      clearInterval(sampler);
      if (command.watch) {
        maxTotal = 0;
        maxOne = 0;
        sampler = setInterval(sample, 5);
        reply({ watching: 1 });
      } else reply({ maxTotal, maxOne });
    } else if (command.cmd === 'latency') {
      for (const s of sims) s.setFaults({ latencyMs: command.ms });
      reply({ latencyMs: command.ms });
    }
  });
  lines.on('close', () => {
    void Promise.all(sims.map((s) => s.close())).finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`sim-farm: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
