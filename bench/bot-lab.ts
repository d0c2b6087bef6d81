/**
 * The bot's side of a benchmark: a containerlab lab directory describing the farm's devices (as
 * `containerlab deploy` writes it), a clab-bot.yaml, and the app built from them by createApp,
 * exactly as `clab-bot serve` builds it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createApp, type App } from '../src/app.js';
import { parse } from '../src/grammar/index.js';
import { terminalSubject } from '../src/permissions/subject.js';
import type { RequestResult } from '../src/ops/results.js';
import { loadSettings, type Limits } from '../src/settings.js';
import type { FarmSim } from './sim-farm.js';

export const BENCH_LAB = 'bench';
/** A small merge every plan loads: one interface description (the devices are left unchanged: dry-run). */
export const BENCH_CHANGE = `interfaces {
    ge-0/0/9 {
        description "set by the clab-bot benchmark";
    }
}
`;
export const BENCH_CHANGE_FILE = 'bench-change.conf';

export interface BotLab {
  readonly dir: string;
  readonly configFile: string;
  remove(): void;
}

/** Every grant to everyone: the benchmarks measure speed, not permissions (the policy is still evaluated). */
export const OPEN_POLICY = `roles:
  admin: { exec: ["*"], config: apply, approve: true, admin: true }
grants:
  - { role: admin, subjects: ["*"] }
`;

export interface BotLabOptions {
  /** clab-bot.yaml `limits:` keys; the rest keep their defaults. */
  readonly limits?: Partial<Limits>;
  /** Default `silent`: log output is not what is measured. */
  readonly logLevel?: 'silent' | 'warn' | 'info';
  /** Policy file text; default none (the trusted terminal needs none; Slack users do). */
  readonly policy?: string;
}

/** Writes clab-bench/topology-data.json + nornir-simple-inventory.yml for `sims`, and clab-bot.yaml. */
export function writeBotLab(sims: readonly FarmSim[], options: BotLabOptions = {}): BotLab {
  const dir = mkdtempSync(join(tmpdir(), 'clab-bot-bench-'));
  const dataDir = join(dir, `clab-${BENCH_LAB}`);
  mkdirSync(dataDir);
  const nodes = Object.fromEntries(
    sims.map((s, i) => [
      s.name,
      {
        index: String(i),
        shortname: s.name,
        longname: `clab-${BENCH_LAB}-${s.name}`,
        kind: 'juniper_vjunosrouter',
        image: 'vrnetlab/juniper_vjunos-router:23.2R1.14',
        'mgmt-ipv4-address': s.host,
        'mgmt-ipv4-prefix-length': 16,
        labels: { 'clab-node-kind': 'juniper_vjunosrouter', 'clab-node-name': s.name, containerlab: BENCH_LAB },
      },
    ]),
  );
  writeFileSync(join(dataDir, 'topology-data.json'), JSON.stringify({ name: BENCH_LAB, type: 'clab', clab: { config: { prefix: 'clab' } }, nodes }, null, 2));
  writeFileSync(
    join(dataDir, 'nornir-simple-inventory.yml'),
    stringify(Object.fromEntries(sims.map((s) => [s.name, { username: 'admin', password: 'admin@123', platform: 'juniper_vjunosrouter', hostname: s.host }]))),
  );
  writeFileSync(join(dir, BENCH_CHANGE_FILE), BENCH_CHANGE);
  // Devices on 830 need no override; a farm that fell back to ephemeral ports is reached through settings.
  const ports = Object.fromEntries(sims.filter((s) => s.port !== 830).map((s) => [s.name, { port: s.port }]));
  const configFile = join(dir, 'clab-bot.yaml');
  if (options.policy !== undefined) writeFileSync(join(dir, 'policy.yaml'), options.policy);
  writeFileSync(
    configFile,
    stringify({
      labs: [dir],
      configs_dir: dir,
      db: `sqlite:${join(dir, 'clab-bot.db')}`,
      log_level: options.logLevel ?? 'silent',
      ...(options.policy !== undefined ? { policy: join(dir, 'policy.yaml') } : {}),
      credentials: { nodes: ports },
      limits: options.limits ?? {},
    }),
  );
  return { dir, configFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Bot {
  readonly app: App;
  /**
   * Parses `text` with the shared grammar and runs it as `clab-bot exec|config` in a terminal does
   * (trusted operator). `user` names the operator: the per-user rate limit counts per name.
   */
  run(text: string, user?: string): Promise<RequestResult>;
  close(): Promise<void>;
}

/** Builds the app over `lab` (fresh pool: no session open yet). */
export async function startBot(lab: BotLab): Promise<Bot> {
  const settings = loadSettings({ configPath: lab.configFile, env: {}, cwd: lab.dir });
  const app = await createApp(settings);
  return {
    app,
    run: async (text, user = 'bench') => {
      const parsed = parse(text, { source: 'terminal' });
      if (!parsed.ok) throw parsed.error;
      return app.runner.run(parsed.request, { subject: terminalSubject(undefined, { id: `terminal:${user}` }), source: 'terminal' });
    },
    close: () => app.close(),
  };
}

/** Node outcomes of an exec/plan result, failing loudly on anything else (a benchmark must not time errors). */
export function requireOutcomes(result: RequestResult, expected: number): void {
  if (result.kind !== 'exec' && result.kind !== 'plan') {
    throw new Error(`expected exec/plan results, got ${result.kind}: ${'error' in result ? String(result.error.message) : ''}`);
  }
  const failed = result.outcomes.filter((o) => o.status !== 'ok');
  if (result.outcomes.length !== expected || failed.length > 0) {
    const first = failed[0];
    throw new Error(`${failed.length} of ${result.outcomes.length} nodes failed (expected ${expected} ok)${first ? `: ${first.node.name}: ${first.error?.message}` : ''}`);
  }
}
