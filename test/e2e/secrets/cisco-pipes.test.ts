import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSource, Driver } from '../../../src/drivers/contract.js';
import { IosDriver, IosXrDriver } from '../../../src/drivers/ssh-cli/index.js';
import { waitUntil } from '../../fakes/slack/index.js';
import { runCli } from '../../helpers/cli.js';
import { makeNode } from '../../helpers/nodes.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';
import { findSecrets, type Haystack } from './known-secrets.js';

/**
 * The Cisco rows of the secrets matrix: a viewer runs `show running-config` and every safe pipe
 * that cuts lines out of it on an IOL and an XRd node. The secrets are put on the device by a
 * driver of the test's own, out of band, so the bot has never seen them: it must find them in
 * what the device prints (dialect tables src/redact/dialects/ios.ts and xr.ts, and the shapes).
 */
interface CiscoCase {
  readonly kind: 'cisco_iol' | 'cisco_xrd';
  readonly baseIp: string;
  readonly secrets: Readonly<Record<string, string>>;
  readonly planted: string;
  readonly driver: (host: string, port: number) => Driver;
  /** Each command, and what the shown output must still hold (it ran and showed the line, masked). */
  readonly attacks: readonly [string, RegExp][];
}

const IOS = { COMMUNITY: 'IosComm-Nu-5150', TRAP: 'IosTrap-Rho-7373', MD5: 'IosOspf-Pi-6262', VTY: 'IosVty-Psi-2424' };
const XR = { COMMUNITY: 'XrComm-Sigma-8484', TRAP: 'XrTrap-Tau-9595', USER: 'XrUser-Phi-3030' };

const CASES: readonly CiscoCase[] = [
  {
    kind: 'cisco_iol',
    baseIp: '127.21.66.1',
    secrets: IOS,
    planted: [
      `snmp-server community ${IOS.COMMUNITY} RO`,
      `snmp-server host 10.0.0.9 version 2c ${IOS.TRAP}`,
      'interface Ethernet0/1',
      ` ip ospf message-digest-key 1 md5 ${IOS.MD5}`,
      '!',
      'line vty 0 4',
      ` password 7 ${IOS.VTY}`,
      '',
    ].join('\n'),
    driver: (host, port) => new IosDriver(makeNode({ name: 'r1', kind: 'cisco_iol', host, port, username: 'admin', password: 'admin' })),
    attacks: [
      ['show running-config', /snmp-server community <redacted> RO/],
      ['sh run | i community', /^snmp-server community <redacted> RO$/m],
      ['show running-config | include host', /^snmp-server host 10\.0\.0\.9 version 2c <redacted>$/m],
      ['show running-config | include md5', /^ ip ospf message-digest-key 1 md5 <redacted>$/m],
      ['show running-config | section line vty', /^ password 7 <redacted>$/m],
      ['show running-config | begin snmp', /^snmp-server host 10\.0\.0\.9 version 2c <redacted>$/m],
      ['show running-config | exclude hostname', /^ password 7 <redacted>$/m],
    ],
  },
  {
    kind: 'cisco_xrd',
    baseIp: '127.21.67.1',
    secrets: XR,
    planted: [`snmp-server community ${XR.COMMUNITY} RO`, `snmp-server host 10.0.0.9 traps version 2c ${XR.TRAP}`, 'username ops', ' group operator', ` password 7 ${XR.USER}`, '!', ''].join('\n'),
    driver: (host, port) => new IosXrDriver(makeNode({ name: 'r1', kind: 'cisco_xrd', host, port, username: 'clab', password: 'clab@123' })),
    attacks: [
      ['show running-config', /snmp-server community <redacted> RO/],
      ['sh run | i community', /^snmp-server community <redacted> RO$/m],
      ['show running-config | include traps', /^snmp-server host 10\.0\.0\.9 traps version 2c <redacted>$/m],
      ['show running-config | include password', /^ password 7 <redacted>$/m],
      ['show running-config | begin username ops', /^ password 7 <redacted>$/m],
      ['show running-config | exclude hostname', /snmp-server community <redacted> RO/],
    ],
  },
];

const POLICY = `roles:
  viewer: { exec: ["show *"] }
grants:
  - { role: viewer, subjects: ["user:U0VIEWER"] }
`;

describe.each(CASES)('Cisco secrets through every safe pipe: $kind', (c) => {
  let t: SlackTestApp;
  let running = '';

  beforeAll(async () => {
    t = await startSlackApp({ lab: 'leak', kind: c.kind, nodes: 1, baseIp: c.baseIp, policy: POLICY });
    const node = t.lab.nodes[0]!;
    const driver = c.driver(node.host, node.port);
    try {
      await driver.open();
      const source: NodeSource = { type: 'text', content: c.planted };
      const plan = await driver.plan(source, 'merge');
      await driver.apply(source, { method: 'merge', expectDiffHash: plan.diffHash });
      running = await driver.runningConfig();
    } finally {
      await driver.close();
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('the device really holds every secret (positive control)', () => {
    for (const secret of Object.values(c.secrets)) expect(running).toContain(secret);
  });

  let n = 0;
  for (const [command, expected] of c.attacks) {
    it(command, async () => {
      const ch = `C0CISCO${++n}`;
      await t.fake.sendSlashCommand({ text: `exec r1 ${command}`, channel_id: ch, user_id: 'U0VIEWER' });
      const root = await finishedRoot(t.fake, ch, 20_000);
      const text = t.fake.thread(ch, root.ts).map((m) => shownText(m)).join('\n');
      const files = t.fake.files().filter((f) => f.channel === ch).map((f) => f.content?.toString('utf8') ?? '').join('\n');
      expect(`${text}\n${files}`.replace(/&lt;/g, '<').replace(/&gt;/g, '>')).toMatch(expected);
      expect(findSecrets([{ where: command, text: JSON.stringify(t.fake.calls()) }], c.secrets)).toEqual([]);
    }, 30_000);
  }

  it('a pipe that writes a file, and a shell, are refused before anything runs', async () => {
    const ch = 'C0CISCOX';
    const refused = c.kind === 'cisco_xrd' ? 'show running-config | file harddisk:/x' : 'show running-config | redirect flash:x';
    await t.fake.sendSlashCommand({ text: `exec r1 ${refused}`, channel_id: ch, user_id: 'U0VIEWER' });
    const reply = shownText(await waitUntil(() => t.fake.ephemerals(ch, 'U0VIEWER')[0], { what: 'the refusal' }));
    expect(reply).toMatch(/^:no_entry: Denied: .*writes a file on the device/);
    const shell = c.kind === 'cisco_xrd' ? 'run cat /etc/passwd' : 'tclsh';
    await t.fake.sendSlashCommand({ text: `exec r1 ${shell}`, channel_id: `${ch}2`, user_id: 'U0VIEWER' });
    const second = shownText(await waitUntil(() => t.fake.ephemerals(`${ch}2`, 'U0VIEWER')[0], { what: 'the refusal' }));
    expect(second).toMatch(/^:no_entry: Denied: .*is refused on Cisco/);
  }, 30_000);

  // A fresh process each time: it has seen nothing before the command it runs.
  it.each([
    [['r1', 'show running-config | include community'], /snmp-server community <redacted> RO/],
    [['--output', 'json', 'r1', 'show running-config'], /snmp-server community <redacted> RO/],
  ] as const)('through the terminal bound to the viewer: %j', async (args, expected) => {
    const dir = t.labsDir;
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    writeFileSync(join(dir, 'viewer.yaml'), 'policy: policy.yaml\nterminal_subject: user:U0VIEWER\n');
    const env = { CLAB_BOT_LOG_LEVEL: 'debug', CLAB_LABS: '', CLAB_BOT_POLICY: '', CLAB_BOT_DB: `sqlite:${join(dir, 'term.db')}`, CLAB_BOT_CONFIG: join(dir, 'viewer.yaml') };
    const r = await runCli(['exec', '--labs', dir, ...args.flatMap((a) => a.split(' '))], { env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(expected);
    expect(findSecrets([{ where: 'stdout', text: r.stdout }, { where: 'stderr', text: r.stderr }], c.secrets)).toEqual([]);
  }, 60_000);

  it('no Slack call, message, file or log line holds a secret', () => {
    const haystacks: Haystack[] = [
      ...t.fake.calls().map((call, i) => ({ where: `Slack call ${i + 1} ${call.method}`, text: JSON.stringify(call.args) })),
      ...t.fake.files().map((f) => ({ where: `file ${f.filename}`, text: f.content?.toString('utf8') ?? '' })),
      ...t.logLines().map((text, i) => ({ where: `log line ${i + 1}`, text })),
    ];
    expect(haystacks.length).toBeGreaterThan(c.attacks.length);
    expect(findSecrets(haystacks, c.secrets)).toEqual([]);
  });
});
