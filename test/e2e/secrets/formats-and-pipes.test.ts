import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JunosSim } from '../../../src/sim/junos/index.js';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';
import { findSecrets, type Haystack } from './known-secrets.js';

/**
 * Issue 11, finding 2: a viewer and an engineer try every output format and every pipe that cuts
 * the context away from an SNMP community and a RADIUS secret the device holds. The secrets are
 * committed on the device out of band, so the bot has never seen them in a plan: it must find
 * them itself (the Slack app, long-running) or after a fresh start (each terminal run).
 */
const COMMUNITY = 'Snmp-Comm-Xi-4711';
const RADIUS = 'Radius-Key-Upsilon-88';
const SECRETS = { COMMUNITY, RADIUS };
const PLANTED = `set snmp community ${COMMUNITY} authorization read-only
set snmp community ${COMMUNITY} clients 10.0.0.0/8
set system radius-server 10.0.0.5 secret "${RADIUS}"
`;

const POLICY = `roles:
  viewer:   { exec: ["show *"] }
  engineer: { exec: ["show *"], config: apply }
grants:
  - { role: viewer,   subjects: ["user:U0VIEWER"] }
  - { role: engineer, subjects: ["user:U0ENGINEER"] }
`;

/** Each attack, and what the shown output must still hold (it ran and showed the line, masked). */
const ATTACKS: readonly [string, RegExp][] = [
  ['show configuration', /community <redacted> \{/],
  ['show configuration | display xml', /<name><redacted><\/name>/],
  ['show configuration | display json', /"name" ?: "<redacted>"/],
  ['show configuration | match community', /community <redacted> \{/],
  ['show configuration | display set | match snmp | trim 9', /^community <redacted> authorization read-only$/m],
  ['show configuration | display set | match radius | trim 30', /secret "?<redacted>"?/],
  ['show configuration | display xml | match name', /<name>10\.0\.0\.5<\/name>/],
  ['show configuration | display json | match name', /"name" ?: "10\.0\.0\.5"/],
  ['show configuration snmp', /community <redacted> \{/],
  ['show configuration snmp | display set', /set snmp community <redacted> authorization read-only/],
];

describe('secrets in every format and through every pipe (issue 11)', () => {
  let t: SlackTestApp;
  let sim: JunosSim;

  beforeAll(async () => {
    t = await startSlackApp({ lab: 'leak', nodes: 1, baseIp: '127.21.62.1', policy: POLICY });
    sim = t.lab.nodes[0]!.sim as unknown as JunosSim;
    sim.commitLocal(PLANTED, 'set', 'planted out of band');
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  it('the device really holds both secrets (positive control)', () => {
    expect(sim.runningConfig()).toContain(`community ${COMMUNITY}`);
    expect(sim.runningConfig()).toContain(RADIUS);
  });

  describe('through the fake Slack', () => {
    let n = 0;
    for (const user of ['U0VIEWER', 'U0ENGINEER']) {
      for (const [command, expected] of ATTACKS) {
        it(`${user}: ${command}`, async () => {
          const ch = `C0LEAK${++n}`;
          await t.fake.sendSlashCommand({ text: `exec r1 ${command}`, channel_id: ch, user_id: user });
          const root = await finishedRoot(t.fake, ch, 15_000);
          const text = t.fake.thread(ch, root.ts).map((m) => shownText(m)).join('\n');
          // Long output goes to an attached file: the whole of it is what the user sees.
          const files = t.fake.files().filter((f) => f.channel === ch).map((f) => f.content?.toString('utf8') ?? '').join('\n');
          // Slack shows mrkdwn escapes as the characters they stand for.
          expect(`${text}\n${files}`.replace(/&lt;/g, '<').replace(/&gt;/g, '>')).toMatch(expected);
          expect(findSecrets([{ where: command, text: JSON.stringify(t.fake.calls()) }], SECRETS)).toEqual([]);
        }, 20_000);
      }
    }
    it('--format json and --format xml of the configuration', async () => {
      for (const format of ['json', 'xml']) {
        const ch = `C0LEAK${++n}`;
        await t.fake.sendSlashCommand({ text: `exec r1 --format ${format} show configuration`, channel_id: ch, user_id: 'U0VIEWER' });
        const root = await finishedRoot(t.fake, ch, 15_000);
        const text = t.fake.thread(ch, root.ts).map((m) => shownText(m)).join('\n');
        const files = t.fake.files().filter((f) => f.channel === ch).map((f) => f.content?.toString('utf8') ?? '').join('\n');
        expect(`${text}\n${files}`.replace(/&lt;/g, '<').replace(/&gt;/g, '>')).toMatch(format === 'json' ? /"name" ?: "<redacted>"/ : /<name><redacted><\/name>/);
      }
    }, 30_000);

    it('no Slack call, message, file or log line holds either secret', () => {
      const haystacks: Haystack[] = [
        ...t.fake.calls().map((c, i) => ({ where: `Slack call ${i + 1} ${c.method}`, text: JSON.stringify(c.args) })),
        ...t.fake.files().map((f) => ({ where: `file ${f.filename}`, text: f.content?.toString('utf8') ?? '' })),
        ...t.logLines().map((text, i) => ({ where: `log line ${i + 1}`, text })),
      ];
      expect(haystacks.length).toBeGreaterThan(ATTACKS.length * 2);
      expect(findSecrets(haystacks, SECRETS)).toEqual([]);
    });
  });

  describe('through the terminal bound to a viewer (a fresh process each time)', () => {
    const runs: { args: string; run: CliRun }[] = [];
    const cli = async (args: readonly string[]): Promise<CliRun> => {
      const dir = t.labsDir;
      writeFileSync(join(dir, 'policy.yaml'), POLICY);
      writeFileSync(join(dir, 'viewer.yaml'), `policy: policy.yaml\nterminal_subject: user:U0VIEWER\n`);
      const env = { CLAB_BOT_LOG_LEVEL: 'debug', CLAB_LABS: '', CLAB_BOT_POLICY: '', CLAB_BOT_DB: `sqlite:${join(dir, 'term.db')}`, CLAB_BOT_CONFIG: join(dir, 'viewer.yaml') };
      // The command's words as a shell passes them.
      const words = args.flatMap((a) => a.split(' '));
      const r = await runCli(['exec', '--labs', dir, ...words], { env, timeoutMs: 60_000 });
      runs.push({ args: args.join(' '), run: r });
      return r;
    };

    it.each([
      [['r1', 'show configuration | display set | match snmp | trim 9'], /community <redacted> authorization read-only/],
      [['r1', 'show configuration | match community'], /community <redacted> \{/],
      [['r1', 'show configuration | display xml'], /<name><redacted><\/name>/],
      [['--output', 'json', 'r1', 'show configuration | display json'], /<redacted>/],
      [['--output', 'json', '--format', 'json', 'r1', 'show configuration'], /<redacted>/],
    ] as const)('%j', async (args, expected) => {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(expected);
      expect(findSecrets([{ where: 'stdout', text: r.stdout }, { where: 'stderr', text: r.stderr }], SECRETS)).toEqual([]);
    }, 60_000);
  });
});
