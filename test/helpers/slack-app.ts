import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.js';
import type { DriverFactory } from '../../src/drivers/contract.js';
import { createSlackFrontEnd, type SlackFrontEnd, type SlackFrontEndOptions } from '../../src/handlers/slack/index.js';
import { createLogger } from '../../src/log.js';
import { loadSettings } from '../../src/settings.js';
import { startSimLab, type SimLab } from '../../src/sim/lab.js';
import { startFakeSlack, waitUntil, type FakeMessage, type FakeSlack, type FakeSlackOptions } from '../fakes/slack/index.js';

/** Every grant to everyone: the Slack tests are about Slack, not about permissions. */
export const OPEN_POLICY = `roles:
  admin: { exec: ["*"], config: apply, approve: true, admin: true }
grants:
  - { role: admin, subjects: ["*"] }
`;

/** One more simulated lab beside the first (same labs directory). */
export interface ExtraSimLab {
  readonly lab: string;
  /** Node names are `${prefix}1…N`; keep them apart from the first lab's so names stay unique. */
  readonly prefix: string;
  readonly nodes: number;
  readonly baseIp: string;
}

export interface SlackAppOptions {
  /** Simulated nodes r1…rN. Default 1. */
  readonly nodes?: number;
  /** Their kind (any kind startSimLab simulates). Default vjunosrouter. */
  readonly kind?: string;
  /** First loopback address of the simulated nodes; give each test file its own range. */
  readonly baseIp: string;
  /** Name of the first lab. Default `slk`. */
  readonly lab?: string;
  /** More simulated labs in the same labs directory. */
  readonly moreLabs?: readonly ExtraSimLab[];
  /** Password of every simulated node (written to the nornir inventory as containerlab would). */
  readonly password?: string;
  /** SLACK_SIGNING_SECRET (HTTP mode; given in Socket Mode too when set). Default `e2e-signing-secret` in HTTP mode. */
  readonly signingSecret?: string;
  /** The bot's log level. Default info. */
  readonly logLevel?: string;
  /** Extra nodes in topology-data.json at addresses where nothing listens (name → address). */
  readonly deadNodes?: Readonly<Record<string, string>>;
  readonly mode?: 'socket' | 'http';
  /** Policy file text. Default OPEN_POLICY; null runs without a policy file. */
  readonly policy?: string | null;
  readonly fake?: FakeSlackOptions;
  readonly frontEnd?: SlackFrontEndOptions;
  /** Delay of every simulated NETCONF reply. */
  readonly latencyMs?: number;
  /** The database URL (default: a SQLite file in the temp directory). */
  readonly db?: string;
  /** More clab-bot.yaml text, appended as given (top-level keys such as `backup:` or `drift:`). */
  readonly settingsYaml?: string;
  /** Extra clab-bot.yaml `limits:` keys. */
  readonly limits?: Readonly<Record<string, number>>;
  /** Drivers for the nodes instead of the real ones (a scripted device where no simulator fits). */
  readonly driverFactory?: DriverFactory;
}

export interface SlackTestApp {
  readonly fake: FakeSlack;
  readonly lab: SimLab;
  readonly app: App;
  readonly frontEnd: SlackFrontEnd;
  /** The lab directory the settings point at (holds the topology file and clab-<lab>/). */
  readonly labsDir: string;
  /** Log lines the bot wrote (JSON), for asserting on failures it reports. */
  logs(): Record<string, unknown>[];
  /** The same lines as written. */
  logLines(): readonly string[];
  /** Adds nodes nothing serves to the lab's topology-data.json and reloads the inventory. */
  addDeadNodes(nodes: Readonly<Record<string, string>>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the real bot against the fake Slack: simulated Junos nodes in a temp lab directory, a
 * settings file and SQLite database in the same temp directory, createApp, and the Slack front end
 * with the fake's URL in SLACK_API_URL, exactly as `clab-bot serve` wires them.
 */
export async function startSlackApp(opts: SlackAppOptions): Promise<SlackTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'clab-bot-slack-'));
  const labsDir = join(dir, 'labs');
  const cleanup: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  try {
    const common = { kind: opts.kind ?? 'vjunosrouter', dir: labsDir, latencyMs: opts.latencyMs ?? 0, ...(opts.password !== undefined ? { password: opts.password } : {}) };
    const labs: SimLab[] = [];
    for (const spec of [{ lab: opts.lab ?? 'slk', prefix: 'r', nodes: opts.nodes ?? 1, baseIp: opts.baseIp }, ...(opts.moreLabs ?? [])]) {
      const started = await startSimLab({ ...common, lab: spec.lab, count: spec.nodes, prefix: spec.prefix, baseIp: spec.baseIp });
      cleanup.unshift(() => started.close());
      labs.push(started);
    }
    const lab = labs[0]!;
    if (opts.deadNodes) addDeadNodes(join(lab.labDir, 'topology-data.json'), lab.lab, opts.deadNodes);
    const fake = await startFakeSlack(opts.fake);
    cleanup.unshift(() => fake.close());

    const policy = opts.policy === undefined ? OPEN_POLICY : opts.policy;
    if (policy !== null) writeFileSync(join(dir, 'policy.yaml'), policy);
    const limits = Object.entries(opts.limits ?? {}).map(([k, v]) => `  ${k}: ${v}`).join('\n');
    writeFileSync(
      join(dir, 'clab-bot.yaml'),
      `labs: [labs]\ndb: ${opts.db ?? 'sqlite:bot.db'}\n${policy !== null ? 'policy: policy.yaml\n' : ''}slack:\n  mode: ${opts.mode ?? 'socket'}\n${limits ? `limits:\n${limits}\n` : ''}${opts.settingsYaml ?? ''}`,
    );
    const mode = opts.mode ?? 'socket';
    const signingSecret = opts.signingSecret ?? (mode === 'http' ? 'e2e-signing-secret' : undefined);
    const env: NodeJS.ProcessEnv = {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_API_URL: fake.apiUrl,
      ...(mode === 'socket' ? { SLACK_APP_TOKEN: fake.appToken } : {}),
      ...(signingSecret !== undefined ? { SLACK_SIGNING_SECRET: signingSecret } : {}),
    };
    const settings = loadSettings({ env, configPath: join(dir, 'clab-bot.yaml'), cwd: dir });

    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const app = await createApp(settings, { logger: createLogger(opts.logLevel ?? 'info', sink), ...(opts.driverFactory ? { driverFactory: opts.driverFactory } : {}) });
    cleanup.unshift(() => app.close());
    const frontEnd = createSlackFrontEnd(app, { clientPingTimeoutMs: 1000, httpPort: 0, httpHost: '127.0.0.1', ...opts.frontEnd });
    await frontEnd.start();
    cleanup.unshift(() => frontEnd.stop());
    return {
      fake,
      lab,
      app,
      frontEnd,
      labsDir,
      logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
      logLines: () => lines,
      addDeadNodes: async (nodes) => {
        addDeadNodes(join(lab.labDir, 'topology-data.json'), lab.lab, nodes);
        await app.inventory.load();
      },
      close: () => runAll(cleanup),
    };
  } catch (err) {
    await runAll(cleanup);
    throw err;
  }
}

async function runAll(steps: readonly (() => Promise<void>)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch {
      // Teardown goes on: one failing step must not leave servers running.
    }
  }
}

/** Adds nodes to a topology-data.json as containerlab would list them, at addresses nothing serves. */
function addDeadNodes(file: string, lab: string, dead: Readonly<Record<string, string>>): void {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Record<string, Record<string, unknown>> };
  const template = Object.values(data.nodes)[0]!;
  for (const [name, address] of Object.entries(dead)) {
    const labels = { ...(template.labels as Record<string, string>), 'clab-node-name': name, 'clab-node-longname': `clab-${lab}-${name}` };
    data.nodes[name] = { ...template, shortname: name, longname: `clab-${lab}-${name}`, 'mgmt-ipv4-address': address, labels };
  }
  writeFileSync(file, JSON.stringify(data, null, 2));
}

/** Every text of a message (fallback and blocks), joined: what a reader sees. */
export function shownText(message: { readonly text: string; readonly blocks: unknown[] | undefined }): string {
  const texts: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') texts.push(x);
        else walk(x);
      }
    }
  };
  walk(message.blocks ?? []);
  return texts.length > 0 ? texts.join('\n') : message.text;
}

/** The first root message in `channel` once its final status is in (no longer "running"). */
export async function finishedRoot(fake: FakeSlack, channel: string, timeoutMs = 10_000): Promise<FakeMessage> {
  return waitUntil(
    () => {
      const root = fake.messages(channel).find((m) => m.thread_ts === undefined);
      return root !== undefined && root.updates > 0 && !shownText(root).includes('running:') && root;
    },
    { timeoutMs, what: `the final status of the root message in ${channel}` },
  );
}
