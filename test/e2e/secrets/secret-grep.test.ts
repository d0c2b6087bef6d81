import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connect.js';
import type { JunosSim } from '../../../src/sim/junos/index.js';
import type { SimLab } from '../../../src/sim/lab.js';
import { waitUntil, type FakeMessage } from '../../fakes/slack/index.js';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { PG_URL, dialectAvailable } from '../../helpers/databases.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';
import {
  ALL_SECRETS,
  APP_TOKEN,
  BGP_KEY,
  BOT_TOKEN,
  BROKEN_CONFIG,
  DB_PASSWORD,
  DEVICE_PASSWORD,
  IKE_PSK,
  OSPF_MD5,
  PASSWORD_HASH,
  PASTED_SET_CONFIG,
  RADIUS_SECRET,
  SECRET_CONFIG,
  SIGNING_SECRET,
  SNMP_COMMUNITY,
  TACPLUS_SECRET,
  WRONG_DB_PASSWORD,
  WRONG_PASSWORD,
  databaseCells,
  findSecrets,
  tableNames,
  type Haystack,
} from './known-secrets.js';

const POLICY = `roles:
  admin: { exec: ["*"], config: apply, approve: true, admin: true }
grants:
  - { role: admin, subjects: ["user:U0SECA", "user:U0SECB"] }
approvals: { required: 1, self_approval: false }
`;
const REQUESTER = 'U0SECA';
const APPROVER = 'U0SECB';
const NOBODY = 'U0NOROLE';

/** Every table the migrations create: the dump must have seen them all. */
const TABLES = ['audit_log', 'change_approvals', 'change_events', 'change_locks', 'change_nodes', 'change_requests', 'executions'];

interface Button {
  readonly action_id: string;
}
const buttons = (m: FakeMessage): Button[] =>
  (m.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: Button[] }).elements : []));

function runningConfig(lab: SimLab, node: string): string {
  const sim = lab.nodes.find((n) => n.name === node)!.sim as Partial<JunosSim>;
  return sim.runningConfig!();
}

/**
 * Where secrets may be at rest: nowhere. An open change keeps its config text until it is
 * applied, rejected, cancelled or expired; every change here has finished, so its text is redacted.
 */
function expectNothingAtRest(found: readonly { secret: string; where: string }[]): void {
  expect(found).toEqual([]);
}

/**
 * Issue 5's secret grep: the whole flow set (exec, dry run, a change with a secret-bearing config,
 * approval and commit, rollback, pasted config, history, a refused config, an auth failure with a
 * known wrong password, a denial) through the fake Slack and through the terminal, with known
 * secrets planted; then every log line (at trace), every Slack call, message, file, view and
 * response, every CLI output and every database cell of every table is searched for them.
 * Positive controls prove each secret was really in play, so a clean result means something.
 */
describe('no known secret leaves the process: logs, Slack, terminal output and database', () => {
  let t: SlackTestApp;
  let term: string;
  const cliRuns: { args: string; run: CliRun }[] = [];

  beforeAll(async () => {
    t = await startSlackApp({
      lab: 'sec',
      nodes: 3,
      baseIp: '127.21.60.1',
      password: DEVICE_PASSWORD,
      signingSecret: SIGNING_SECRET,
      logLevel: 'trace',
      policy: POLICY,
      fake: { botToken: BOT_TOKEN, appToken: APP_TOKEN },
    });
    writeFileSync(join(t.labsDir, 'secret.conf'), SECRET_CONFIG);
    writeFileSync(join(t.labsDir, 'broken.conf'), BROKEN_CONFIG);
    // r2's inventory entry carries a wrong password, so its login fails with a known secret in hand.
    const nornir = join(t.lab.labDir, 'nornir-simple-inventory.yml');
    const text = readFileSync(nornir, 'utf8');
    const r2 = text.indexOf('r2:');
    writeFileSync(nornir, text.slice(0, r2) + text.slice(r2).replace(DEVICE_PASSWORD, WRONG_PASSWORD));
    // A hand-edited lab file that does not parse, with the password in it: its warning is logged.
    writeFileSync(join(t.labsDir, 'extra.clab.yml'), `name: extra\ntopology:\n  nodes:\n    x1: { kind: juniper_vjunosrouter, password: "${DEVICE_PASSWORD}"\n`);
    await t.app.inventory.load();
    term = mkdtempSync(join(tmpdir(), 'clab-secrets-term-'));
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    if (term) rmSync(term, { recursive: true, force: true });
  });

  let channels = 0;
  const run = async (user: string, text: string): Promise<{ channel: string; root: FakeMessage; shown: string }> => {
    const ch = `C0SEC${++channels}`;
    await t.fake.sendSlashCommand({ text, channel_id: ch, user_id: user });
    const root = await finishedRoot(t.fake, ch, 15_000);
    // As Slack displays it: mrkdwn's &lt; &gt; &amp; are the characters they stand for.
    return { channel: ch, root, shown: unescapeMrkdwn(t.fake.thread(ch, root.ts).map((m) => shownText(m)).join('\n')) };
  };
  const reply = async (user: string, text: string): Promise<string> => {
    const ch = `C0SEC${++channels}`;
    await t.fake.sendSlashCommand({ text, channel_id: ch, user_id: user });
    return unescapeMrkdwn(shownText(await waitUntil(() => t.fake.ephemerals(ch, user)[0], { what: `the reply to ${text}` })));
  };

  describe('through the fake Slack', () => {
    it('runs exec, a dry run, a change with secrets, its approval, commit and rollback, pasted config, errors, a denial and history', async () => {
      const version = await run(REQUESTER, 'exec r1 show version');
      expect(version.shown).toContain('Hostname: r1');

      const dry = await run(REQUESTER, 'config r1 --file secret.conf --dry-run');
      expect(dry.shown).toContain('nothing was committed');
      expect(dry.shown).toMatch(/\+\s+authentication-key <redacted>;/);

      const proposal = await run(REQUESTER, 'config r1 --file secret.conf --comment secrets');
      const decision = await waitUntil(() => t.fake.thread(proposal.channel, proposal.root.ts).find((m) => buttons(m).length > 0), { what: 'the decision' });
      await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: APPROVER, channel: proposal.channel, message_ts: decision.ts });
      const threadText = () => unescapeMrkdwn(t.fake.thread(proposal.channel, proposal.root.ts).map((m) => shownText(m)).join('\n'));
      await waitUntil(() => /change #1 committed/.test(threadText()), { timeoutMs: 15_000, what: 'the commit' });

      // Positive control: the secrets are now on the device, in its running configuration.
      const running = runningConfig(t.lab, 'r1');
      for (const secret of [BGP_KEY, IKE_PSK, OSPF_MD5, RADIUS_SECRET, PASSWORD_HASH]) expect(running).toContain(secret);
      // …and the bot shows that configuration with each of them redacted in place.
      const shown = (await run(REQUESTER, 'exec r1 show configuration')).shown;
      expect(shown).toMatch(/authentication-key <redacted>;/);
      expect(shown).toMatch(/encrypted-password "<redacted>"; ## SECRET-DATA/);
      expect(shown).toMatch(/secret "?<redacted>"?;/);
      expect(shown).toMatch(/key <redacted>;/);
      expect(shown).toMatch(/ascii-text <redacted>;/);
      const set = (await run(REQUESTER, 'exec r1 show configuration | display set')).shown;
      expect(set).toMatch(/authentication-key "?<redacted>"?/);
      // Every format, and pipes that cut the keyword away from the value (issue 11): the grep below checks them all.
      for (const cmd of ['show configuration | display xml', 'show configuration | display json', 'show configuration | display set | match authentication-key | trim 40', 'show configuration | match secret']) {
        expect((await run(REQUESTER, `exec r1 ${cmd}`)).shown).toContain('<redacted>');
      }

      // Roll back: the removal diff carries the secrets as `-` lines.
      const outcome = await waitUntil(
        () => t.fake.thread(proposal.channel, proposal.root.ts).find((m) => buttons(m).some((b) => b.action_id === 'clab_change_rollback')),
        { what: 'the Roll back button' },
      );
      await t.fake.sendBlockAction({ action_id: 'clab_change_rollback', user: REQUESTER, channel: proposal.channel, message_ts: outcome.ts });
      const rollbackDecision = await waitUntil(
        () => t.fake.thread(proposal.channel, proposal.root.ts).filter((m) => buttons(m).some((b) => b.action_id === 'clab_change_approve')).at(-1),
        { what: 'the rollback decision' },
      );
      expect(threadText()).toMatch(/-\s+authentication-key <redacted>;/);
      await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: APPROVER, channel: proposal.channel, message_ts: rollbackDecision.ts });
      await waitUntil(() => /change #2 committed/.test(threadText()), { timeoutMs: 15_000, what: 'the rollback commit' });
      expect(runningConfig(t.lab, 'r1')).not.toContain(BGP_KEY);

      // Pasted set commands in the form (a dry run).
      const ch = `C0SEC${++channels}`;
      await t.fake.sendSlashCommand({ text: 'config r1 --dry-run', channel_id: ch, user_id: REQUESTER });
      const view = await waitUntil(() => t.fake.views().find((v) => JSON.stringify(v.view).includes('/clab config r1 --dry-run')), { what: 'the form' });
      const values = { config: { config_text: { type: 'plain_text_input', value: PASTED_SET_CONFIG } }, method: { config_method: { type: 'static_select', selected_option: { value: 'set' } } } };
      await t.fake.sendViewSubmission({ user: REQUESTER, view: { id: view.id, callback_id: 'clab_config', state: { values } } });
      const pasted = await finishedRoot(t.fake, ch, 15_000);
      expect(unescapeMrkdwn(t.fake.thread(ch, pasted.ts).map((m) => shownText(m)).join('\n'))).toMatch(/community <redacted>/);

      // Errors: a config the device refuses, a login refused for a known wrong password, a denial.
      const broken = await run(REQUESTER, 'config r1 --file broken.conf --dry-run');
      expect(broken.shown).toMatch(/r1 rejected plan: .*syntax error/);
      const auth = await run(REQUESTER, 'exec r2 show version');
      expect(auth.shown).toContain('r2 refused the login for user admin');
      expect(await reply(NOBODY, 'exec r1 show version')).toContain('Denied: you have no role');
      expect(await reply(NOBODY, 'config r1 --file secret.conf --dry-run')).toContain('Denied: you have no role');

      // A Slack call that fails is logged (with the request id, never the message).
      t.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
      expect(await reply(REQUESTER, 'exec r1 show configuration')).toContain('could not post in this channel, so nothing was run');

      const history = await reply(REQUESTER, 'history --limit 100');
      expect(history).toContain('config r1 --file secret.conf');
      expect(await reply(APPROVER, 'changes --all')).toMatch(/#1\s+committed/);
      expect(await reply(APPROVER, 'change 1')).toContain('change #1 committed');
      expect(await reply(REQUESTER, 'whoami')).toContain('admin via user:U0SECA');
    }, 90_000);

    it('the secrets were really in play (positive controls)', async () => {
      expect(readFileSync(join(t.lab.labDir, 'nornir-simple-inventory.yml'), 'utf8')).toContain(DEVICE_PASSWORD);
      expect(readFileSync(join(t.lab.labDir, 'nornir-simple-inventory.yml'), 'utf8')).toContain(WRONG_PASSWORD);
      expect(t.fake.calls('chat.postMessage').every((c) => c.token === BOT_TOKEN)).toBe(true);
      expect(t.fake.calls('apps.connections.open').map((c) => c.token)).toContain(APP_TOKEN);
      expect(t.app.settings.slack.signingSecret).toBe(SIGNING_SECRET);
      // The bot logged what went wrong: the unreadable lab file and the failed Slack call.
      const logs = t.logs();
      expect(logs.some((l) => l['level'] === 40 && String(l['file']).endsWith('extra.clab.yml'))).toBe(true);
      expect(logs.some((l) => l['msg'] === 'slack call failed' && l['error'] === 'channel_not_found')).toBe(true);
    });

    it('no log line, Slack call, message, file, view or response holds any of them', () => {
      const haystacks: Haystack[] = [
        ...t.logLines().map((text, i) => ({ where: `log line ${i + 1}`, text })),
        ...t.fake.calls().map((c, i) => ({ where: `Slack call ${i + 1} ${c.method}`, text: JSON.stringify(c.args) })),
        ...t.fake.responses().map((r) => ({ where: `response_url post ${r.id}`, text: JSON.stringify(r.body) })),
        ...t.fake.files().map((f) => ({ where: `file ${f.filename}`, text: `${f.title ?? ''}\n${f.content?.toString('utf8') ?? ''}` })),
        ...t.fake.views().map((v) => ({ where: `view ${v.id}`, text: JSON.stringify(v.view) })),
        ...t.fake.messages().map((m) => ({ where: `message ${m.channel} ${m.ts}`, text: JSON.stringify(m) })),
        ...t.fake.ephemerals().map((m) => ({ where: `ephemeral ${m.channel} ${m.ts}`, text: JSON.stringify(m) })),
        ...t.fake.acks().map((a, i) => ({ where: `ack ${i + 1}`, text: JSON.stringify(a) })),
      ];
      expect(haystacks.filter((h) => h.where.startsWith('Slack call')).length).toBeGreaterThan(30);
      expect(findSecrets(haystacks)).toEqual([]);
    });

    it('no database cell holds any of them, but for the committed change\'s own config text', async () => {
      const db = t.app.database.db as unknown as Kysely<unknown>;
      expect(await tableNames(db, 'sqlite')).toEqual(expect.arrayContaining(TABLES));
      const cells = await databaseCells(db, 'sqlite');
      expect(cells.filter((c) => c.where.startsWith('db audit_log.')).length).toBeGreaterThan(50);
      expectNothingAtRest(findSecrets(cells));
    });
  });

  describe('through the terminal', () => {
    const env = (): NodeJS.ProcessEnv => ({
      CLAB_BOT_DB: `sqlite:${join(term, 'term.db')}`,
      CLAB_BOT_LOG_LEVEL: 'trace',
      CLAB_LABS: '',
      CLAB_BOT_POLICY: '',
      CLAB_BOT_CONFIG: '',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    });
    const cli = async (args: readonly string[], input?: string): Promise<CliRun> => {
      const r = await runCli(args, { env: env(), ...(input !== undefined ? { input } : {}), timeoutMs: 60_000 });
      cliRuns.push({ args: args.join(' '), run: r });
      return r;
    };
    const labs = () => ['--labs', t.labsDir];

    it('runs exec, dry runs (file, piped, refused), a commit, an auth failure, a denial, changes and history', async () => {
      const version = await cli(['exec', ...labs(), 'r3', 'show', 'version']);
      expect(version.code, version.stderr).toBe(0);
      expect(version.stdout).toContain('Hostname: r3');

      const dry = await cli(['config', ...labs(), 'r3', '--file', 'secret.conf', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/\+\s+authentication-key <redacted>;/);
      const dryJson = await cli(['config', ...labs(), '--output', 'json', 'r3', '--file', 'secret.conf', '--dry-run']);
      expect(dryJson.code, dryJson.stderr).toBe(0);
      expect(dryJson.stdout).toContain('<redacted>');

      const piped = await cli(['config', ...labs(), 'r3', '--method', 'set', '--dry-run'], PASTED_SET_CONFIG);
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stdout).toMatch(/community <redacted>/);

      const broken = await cli(['config', ...labs(), 'r3', '--file', 'broken.conf', '--dry-run']);
      expect(broken.code).toBe(1);
      expect(broken.stdout + broken.stderr).toMatch(/syntax error/);

      const commit = await cli(['config', ...labs(), 'r3', '--file', 'secret.conf', '--yes', '--comment', 'secrets']);
      expect(commit.code, commit.stderr).toBe(0);
      expect(commit.stdout).toMatch(/change #1 committed/);
      for (const secret of [BGP_KEY, IKE_PSK, OSPF_MD5, RADIUS_SECRET, PASSWORD_HASH]) expect(runningConfig(t.lab, 'r3')).toContain(secret);

      const shown = await cli(['exec', ...labs(), 'r3', 'show', 'configuration']);
      expect(shown.stdout).toMatch(/authentication-key <redacted>;/);
      const shownJson = await cli(['exec', ...labs(), '--output', 'json', 'r3', 'show', 'configuration', '|', 'display', 'set']);
      expect(shownJson.stdout).toContain('<redacted>');
      for (const cmd of [['|', 'display', 'xml'], ['|', 'display', 'json'], ['|', 'display', 'set', '|', 'match', 'authentication-key', '|', 'trim', '40']]) {
        const r = await cli(['exec', ...labs(), 'r3', 'show', 'configuration', ...cmd]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('<redacted>');
      }

      const auth = await cli(['exec', ...labs(), 'r2', 'show', 'version']);
      expect(auth.code).toBe(1);
      expect(auth.stdout + auth.stderr).toContain('r2 refused the login for user admin');

      writeFileSync(join(term, 'policy.yaml'), POLICY);
      writeFileSync(join(term, 'bound.yaml'), `policy: policy.yaml\nterminal_subject: user:${NOBODY}\n`);
      const denied = await cli(['exec', '--config', join(term, 'bound.yaml'), ...labs(), 'r3', 'show', 'version']);
      expect(denied.code).toBe(2);
      expect(denied.stderr).toContain('denied: you have no role');

      for (const args of [['history', '--limit', '100'], ['history', '--output', 'json'], ['changes', '--all'], ['changes', '--all', '--output', 'json'], ['change', '1', '--output', 'json']]) {
        const r = await cli([args[0]!, ...labs(), ...args.slice(1)]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
    }, 180_000);

    it('the CLI logged at trace level and used the device password (positive controls)', () => {
      expect(cliRuns.length).toBeGreaterThan(10);
      // Each run logged (JSON lines on stderr) and printed the unreadable lab file's warning.
      expect(cliRuns.every((r) => r.run.stderr.includes('"level":40') && r.run.stderr.includes('extra.clab.yml'))).toBe(true);
      expect(cliRuns.find((r) => r.args.includes('show version') && r.args.includes('r3'))!.run.code).toBe(0);
    });

    it('no CLI output (stdout, stderr with every log line) holds any of them', () => {
      const haystacks = cliRuns.flatMap((r, i) => [
        { where: `clab-bot ${r.args} (run ${i + 1}) stdout`, text: r.run.stdout },
        { where: `clab-bot ${r.args} (run ${i + 1}) stderr`, text: r.run.stderr },
      ]);
      expect(findSecrets(haystacks)).toEqual([]);
    });

    it('no database cell holds any of them, but for the committed change\'s own config text', async () => {
      const handle = await openDatabase(`sqlite:${join(term, 'term.db')}`);
      try {
        const db = handle.db as unknown as Kysely<unknown>;
        expect(await tableNames(db, 'sqlite')).toEqual(expect.arrayContaining(TABLES));
        expectNothingAtRest(findSecrets(await databaseCells(db, 'sqlite')));
      } finally {
        await handle.close();
      }
    });
  });

  // The database URL's password: the terminal against Postgres, as a role whose password is planted.
  describe.runIf(dialectAvailable('postgres'))('through the terminal on Postgres', () => {
    const role = `clab_secret_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const pgRuns: { args: string; run: CliRun }[] = [];
    let url = '';
    let admin: InstanceType<typeof pg.Client> | undefined;

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${DB_PASSWORD}'`);
      await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
      const server = new URL(PG_URL!);
      url = `postgres://${role}:${DB_PASSWORD}@${server.host}/${role}`;
    });

    afterAll(async () => {
      if (admin === undefined) return;
      await admin.query(`DROP DATABASE IF EXISTS ${role} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    });

    const cli = async (args: readonly string[], db: string): Promise<CliRun> => {
      const env = { CLAB_BOT_DB: db, CLAB_BOT_LOG_LEVEL: 'trace', CLAB_LABS: '', CLAB_BOT_POLICY: '', CLAB_BOT_CONFIG: '' };
      const r = await runCli(args, { env, timeoutMs: 60_000 });
      pgRuns.push({ args: args.join(' '), run: r });
      return r;
    };

    it('runs, refuses a wrong database password, and neither password shows in output or rows', async () => {
      const labs = ['--labs', t.labsDir];
      expect((await cli(['migrate'], url)).stdout).toMatch(/^applied: /);
      expect((await cli(['migrate'], url)).stdout).toBe(`postgres://${role}:***@${new URL(PG_URL!).host}/${role} is up to date\n`);
      expect((await cli(['exec', ...labs, 'r3', 'show', 'version'], url)).code).toBe(0);
      expect((await cli(['config', ...labs, 'r3', '--file', 'secret.conf', '--dry-run'], url)).code).toBe(0);
      expect((await cli(['history', ...labs, '--output', 'json'], url)).code).toBe(0);
      const wrong = await cli(['exec', ...labs, 'r3', 'show', 'version'], url.replace(DB_PASSWORD, WRONG_DB_PASSWORD));
      // A database that refuses the bot is a setup error (exit 2, src/exit-codes.ts), not a failed node.
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('password authentication failed');
      // A server that is not there: the error names the address, never the URL's password.
      const down = await cli(['health'], `postgres://${role}:${DB_PASSWORD}@127.0.0.1:1/${role}`);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain('ECONNREFUSED');

      const output = pgRuns.flatMap((r, i) => [
        { where: `clab-bot ${r.args} (pg run ${i + 1}) stdout`, text: r.run.stdout },
        { where: `clab-bot ${r.args} (pg run ${i + 1}) stderr`, text: r.run.stderr },
      ]);
      expect(findSecrets(output)).toEqual([]);

      const handle = await openDatabase(url);
      try {
        const db = handle.db as unknown as Kysely<unknown>;
        expect(await tableNames(db, 'postgres')).toEqual(expect.arrayContaining(TABLES));
        const cells = await databaseCells(db, 'postgres');
        expect(cells.filter((c) => c.where.startsWith('db audit_log.')).length).toBeGreaterThan(10);
        expect(findSecrets(cells)).toEqual([]);
      } finally {
        await handle.close();
      }
    }, 120_000);
  });

  it('every planted secret has a name and a unique value', () => {
    const values = Object.values(ALL_SECRETS);
    expect(new Set(values).size).toBe(values.length);
    expect(values.every((v) => v.length >= 12)).toBe(true);
    expect([SNMP_COMMUNITY, TACPLUS_SECRET].every((s) => PASTED_SET_CONFIG.includes(s))).toBe(true);
  });
});

function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
