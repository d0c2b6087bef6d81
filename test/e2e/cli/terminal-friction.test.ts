import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO, TSX, runCli } from '../../helpers/cli.js';

/**
 * The terminal as a newcomer meets it (issue 12): real `clab-bot` processes against the Junos
 * simulator, real SQLite files, real shells and pipes.
 */
describe('clab-bot in a terminal: first contact', { timeout: 120_000 }, () => {
  let dir: string;
  let sim: ChildProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-friction-'));
    chmodSync(dir, 0o755);
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
    sim = spawn(process.execPath, ['--import', 'tsx', CLI, 'sim', '--lab', 'fr', '--kind', 'juniper_vjunosrouter', '--count', '1', '--prefix', 'r', '--dir', join(dir, 'lab'), '--base-ip', '127.20.33.1'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      sim.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
      sim.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      sim.on('exit', (code) => reject(new Error(`sim exited with ${code}: ${err}`)));
    });
  });

  afterAll(async () => {
    if (sim.exitCode === null) {
      const exited = new Promise((r) => sim.once('exit', r));
      sim.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const labs = () => join(dir, 'lab');

  it('exec r1 "show version": the command quoted as one argument runs as typed', async () => {
    const r = await runCli(['exec', 'r1', '--labs', labs(), 'show version'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Hostname: r1$/m);
  });

  it('the quoted help example runs through a real shell, pipe and quotes reaching the device', async () => {
    const shell = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('/bin/sh', ['-c', `"${process.execPath}" --import tsx "${CLI}" exec r1 --labs "${labs()}" 'show version | match "Hostname"'`], {
        cwd: REPO,
        env: { ...process.env, ...env, NO_COLOR: '1' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(shell.code).toBe(0);
    expect(shell.out).toMatch(/^Hostname: r1$/m);
    expect(shell.out).not.toMatch(/^Model:/m);
  });

  it('--format json inside --output json is JSON in the result, not an escaped string', async () => {
    const r = await runCli(['exec', 'r1', '--labs', labs(), '--output', 'json', '--format', 'json', 'show', 'version'], { env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { results: { output: unknown; format: string }[] };
    expect(out.results[0]!.format).toBe('json');
    expect(typeof out.results[0]!.output).toBe('object');
    expect(JSON.stringify(out.results[0]!.output)).toContain('r1');
  });

  it('with no labs, nodes / exec / labs say where the bot looked and how to point it at labs, and exit 2', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    for (const args of [['nodes'], ['exec', 'r1', 'show', 'version'], ['labs']]) {
      const r = await runCli([...args, '--labs', empty], { env });
      expect(r.code, args.join(' ')).toBe(2);
      const text = r.stdout + r.stderr;
      expect(text).toContain(`no labs found: looked in ${empty}`);
      expect(text).toMatch(/point --labs at a directory holding clab-<lab>\/topology-data.json or \*\.clab\.yml/);
      expect(text).not.toMatch(/to list the nodes found/);
    }
    const none = await runCli(['nodes'], { env, cwd: empty });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no labs found: no lab directory is set \(no --labs, CLAB_LABS or labs: in clab-bot.yaml\)/);
  });

  it('the trusted terminal reads config --file from the current directory or an absolute path', async () => {
    const work = join(dir, 'work');
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'here.conf'), 'system {\n    location building cwd-7;\n}\n');
    const rel = await runCli(['config', 'r1', '--labs', labs(), '--file', 'here.conf', '--dry-run'], { env, cwd: work });
    expect(rel.stderr).toBe('');
    expect(rel.code).toBe(0);
    expect(rel.stdout).toMatch(/building cwd-7/);
    const abs = await runCli(['config', 'r1', '--labs', labs(), '--file', join(work, 'here.conf'), '--dry-run'], { env });
    expect(abs.code).toBe(0);
    expect(abs.stdout).toMatch(/building cwd-7/);
  });

  it('a config file too large is refused without the unrelated lab-directory hint', async () => {
    writeFileSync(join(dir, 'big.conf'), 'x'.repeat(2 * 1024 * 1024 + 1));
    const r = await runCli(['config', 'r1', '--labs', labs(), '--file', join(dir, 'big.conf'), '--dry-run'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.conf is 2097153 bytes; config files over 2097152 bytes are refused/);
    expect(r.stderr).not.toMatch(/lab directory|configs_dir/);
  });

  it('`clab-bot nodes | true`: the reader leaving is no stack trace and no failure', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'nodes', '--labs', labs()], { cwd: REPO, env: { ...process.env, ...env } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|at .*\.ts:\d+/);
    expect(code).toBe(0);
  });

  it('exec --timeout 2 against a listener that never speaks: the connection is torn down and the process exits', async () => {
    const sockets: Socket[] = [];
    const closed: Promise<void>[] = [];
    const server: Server = createServer((s) => {
      sockets.push(s);
      closed.push(new Promise((r) => s.on('close', () => r())));
      s.on('error', () => undefined);
      s.resume(); // read (nothing arrives but the client's FIN), so 'close' is seen

    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const silent = join(dir, 'silent');
    mkdirSync(silent, { recursive: true });
    writeFileSync(join(silent, 'silent.clab.yml'), `name: silent\ntopology:\n  nodes:\n    quiet: { kind: juniper_vjunosrouter, mgmt-ipv4: 127.0.0.1, labels: { clab-bot.port: "${port}" } }\n`);
    try {
      const child = spawn(process.execPath, ['--import', TSX, CLI, 'exec', 'quiet', '--labs', silent, '--timeout', '2', 'show', 'version'], {
        cwd: REPO,
        env: { ...process.env, ...env, NO_COLOR: '1' },
      });
      let stdout = '';
      let printed: () => void = () => undefined;
      const resultShown = new Promise<void>((r) => (printed = r));
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/did not answer/.test(stdout)) printed();
      });
      const exited = new Promise<number | null>((r) => child.on('close', r));
      await resultShown;
      // The SSH handshake timer is 15 s: a process it held would still be here long after this bound.
      const bound = new Promise<'held'>((r) => setTimeout(() => r('held'), 8000).unref());
      const code = await Promise.race([exited, bound]);
      if (code === 'held') child.kill('SIGKILL');
      expect(code).toBe(1);
      expect(stdout).toMatch(/quiet did not answer the request within 2 s/);
      expect(sockets.length).toBe(1);
      await closed[0];
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});

describe('the database from a terminal', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clab-friction-db-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const labs = join(REPO, 'test', 'fixtures', 'containerlab', 'examples');

  it('by default lives in the user state directory, never the current directory', async () => {
    const cwd = join(dir, 'cwd');
    const state = join(dir, 'state');
    mkdirSync(cwd);
    const r = await runCli(['nodes', '--all', '--labs', labs], { cwd, env: { CLAB_BOT_DB: '', CLAB_BOT_CONFIG: '', XDG_STATE_HOME: state } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(join(state, 'clab-bot', 'clab-bot.db'))).toBe(true);
  });

  it('a file that is not a database, or a path through a file: which file, what to do, exit 2, no stack', async () => {
    const notDb = join(dir, 'not.db');
    writeFileSync(notDb, 'these are my notes, not a database\n'.repeat(200));
    const r = await runCli(['changes'], { env: { CLAB_BOT_DB: `sqlite:${notDb}`, CLAB_BOT_CONFIG: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot use the database ${notDb}: the file is not a SQLite database`);
    expect(r.stderr).toMatch(/hint: point CLAB_BOT_DB \(or --db, or db: in clab-bot.yaml\) at another file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const through = await runCli(['changes', '--db', `sqlite:${join(notDb, 'x.db')}`], { env: { CLAB_BOT_CONFIG: '' } });
    expect(through.code).toBe(2);
    expect(through.stderr).toContain(`cannot use the database ${join(notDb, 'x.db')}: part of the path is not a directory`);
  });

  // Permissions do not bind root, so these run as an unprivileged user when the tests run as root.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

  it('a read-only current directory does not break nodes; a read-only database says so and exits 2', async () => {
    const ro = join(dir, 'ro');
    const home = join(dir, 'home');
    mkdirSync(ro);
    mkdirSync(home);
    if (asUser) chownSync(home, asUser.uid, asUser.gid);
    chmodSync(ro, 0o555);
    const env = { CLAB_BOT_DB: '', CLAB_BOT_CONFIG: '', HOME: home, XDG_STATE_HOME: '' };
    const nodes = await runAs(['nodes', '--all', '--labs', labs], ro, env);
    expect(nodes.stderr).toBe('');
    expect(nodes.code).toBe(0);
    expect(nodes.stdout).toMatch(/^LAB\s+NODE\s+KIND/m);
    expect(readdirSync(ro)).toEqual([]);

    const roDb = join(home, '.local', 'state', 'clab-bot', 'clab-bot.db');
    expect(existsSync(roDb)).toBe(true);
    chmodSync(roDb, 0o444);
    const denied = await runAs(['changes'], ro, env);
    expect(denied.code, denied.stderr).toBe(2);
    expect(denied.stderr).toContain(`cannot use the database ${roDb}: it is read-only`);
    expect(denied.stderr).toMatch(/make the file and its directory writable for this user/);
    expect(denied.stderr).not.toMatch(/\n\s+at /);
  });

  function runAs(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
        cwd,
        env: { ...process.env, NO_COLOR: '1', ...env },
        ...(asUser ?? {}),
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
});
