import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Connection, PublicKey } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthFailedError, UnreachableError } from '../../../src/drivers/errors.js';
import { connectSsh, KnownHosts, parseHostKeyLine, type HostKeyCheck, type SshConnectOptions } from '../../../src/drivers/ssh/connect.js';

const { Server, utils } = ssh2;
const PASSWORD = 'pw-Secr3t';

/**
 * A real SSH server on loopback with its own host key, logging in user `lab` by password or by one
 * public key; each exec answers "ran: CMD". Two of them under one node name are a redeployed node.
 */
interface TestServer {
  readonly port: number;
  /** base64 of the ed25519 host key it presents. */
  readonly hostKey: string;
  close(): Promise<void>;
}

async function startServer(clientPublicKey: string): Promise<TestServer> {
  const hostPrivate = utils.generateKeyPairSync('ed25519');
  const allowed = utils.parseKey(clientPublicKey) as ssh2.ParsedKey;
  const connections = new Set<Connection>();
  const server = new Server({ hostKeys: [hostPrivate.private] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.username !== 'lab') return ctx.reject();
      if (ctx.method === 'password') return ctx.password === PASSWORD ? ctx.accept() : ctx.reject();
      if (ctx.method === 'publickey') {
        const key = ctx.key as PublicKey;
        if (key.algo !== allowed.type || !key.data.equals(allowed.getPublicSSH())) return ctx.reject();
        if (ctx.signature === undefined) return ctx.accept();
        return allowed.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject();
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          channel.write(`ran: ${info.command}\n`);
          channel.exit(0);
          channel.end();
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hostKey: (utils.parseKey(hostPrivate.public) as ssh2.ParsedKey).getPublicSSH().toString('base64'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.end();
        server.close(() => resolve());
      }),
  };
}

function run(connection: { client: ssh2.Client }, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    connection.client.exec(command, (err, channel) => {
      if (err) return reject(err);
      let out = '';
      channel.on('data', (d: Buffer) => (out += d.toString('utf8')));
      channel.on('close', () => resolve(out));
    });
  });
}

describe('connectSsh: host keys and key login (shared by every SSH driver)', () => {
  let server: TestServer;
  /** The same node after a redeploy: another host key. */
  let redeployed: TestServer;
  let dir: string;
  let identityFile: string;
  const keyPair = utils.generateKeyPairSync('ed25519');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-ssh-connect-'));
    identityFile = join(dir, 'id_ed25519');
    writeFileSync(identityFile, keyPair.private, { mode: 0o600 });
    server = await startServer(keyPair.public);
    redeployed = await startServer(keyPair.public);
  });
  afterAll(async () => {
    await server.close();
    await redeployed.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const base = (to: TestServer = server): SshConnectOptions => ({ label: 'r1', host: '127.0.0.1', port: to.port, username: 'lab', connectTimeoutMs: 5_000 });
  const check = (file: string, extra: Partial<HostKeyCheck> = {}): HostKeyCheck => ({
    knownHosts: new KnownHosts(file),
    policy: 'record',
    nodeKey: 'dc1/r1',
    settingsSection: 'linux',
    ...extra,
  });

  it('existing callers (password, no host-key options) still connect, whatever key the node shows', async () => {
    const c = await connectSsh({ ...base(), password: PASSWORD });
    expect(await run(c, 'show version')).toBe('ran: show version\n');
    c.end();
    const again = await connectSsh({ ...base(redeployed), password: PASSWORD });
    again.end();
  });

  it('logs in with a private key file and no password', async () => {
    const c = await connectSsh({ ...base(), identityFile });
    expect(await run(c, 'id')).toBe('ran: id\n');
    c.end();
  });

  it('a key the server does not know is AuthFailed naming the user', async () => {
    const other = join(dir, 'other_key');
    writeFileSync(other, utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
    await expect(connectSsh({ ...base(), identityFile: other })).rejects.toBeInstanceOf(AuthFailedError);
  });

  it('an unreadable or passphrase-protected identity file is named with the fix, never its content', async () => {
    const missing = await connectSsh({ ...base(), identityFile: join(dir, 'nope') }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UnreachableError);
    expect((missing as Error).message).toContain(`cannot read the SSH identity file ${join(dir, 'nope')} (ENOENT)`);

    const locked = join(dir, 'locked');
    const encrypted = utils.generateKeyPairSync('ed25519', { passphrase: 'hunter2', cipher: 'aes256-cbc', rounds: 16 });
    writeFileSync(locked, encrypted.private, { mode: 0o600 });
    const err = await connectSsh({ ...base(), identityFile: locked }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/protected by a passphrase; use an unencrypted key/);

    const garbage = join(dir, 'garbage');
    writeFileSync(garbage, 'not-a-key-SECRETBYTES\n');
    chmodSync(garbage, 0o600);
    const bad = await connectSsh({ ...base(), identityFile: garbage }).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/not an OpenSSH or PEM private key/);
    expect(JSON.stringify({ message: (bad as Error).message, stack: (bad as Error).stack })).not.toContain('SECRETBYTES');
    expect((err as Error).message).not.toContain(encrypted.private.slice(40, 80));
  });

  it('record: the first key is written under lab/node, the same key connects, a changed key is refused naming the file and the fix', async () => {
    const file = join(dir, 'known-hosts-record');
    const first = await connectSsh({ ...base(), password: PASSWORD, hostKeys: check(file) });
    first.end();
    expect(readFileSync(file, 'utf8')).toBe(`dc1/r1 ssh-ed25519 ${server.hostKey}\n`);
    const second = await connectSsh({ ...base(), password: PASSWORD, hostKeys: check(file) });
    second.end();

    const err = await connectSsh({ ...base(redeployed), password: PASSWORD, hostKeys: check(file) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    const message = (err as Error).message;
    expect(message).toContain('the SSH host key of dc1/r1 changed (known ssh-ed25519 SHA256:');
    expect(message).toContain(`refusing to connect. If the lab was redeployed, remove the line for dc1/r1 from ${file}; for throwaway labs set linux.labs.dc1.host_keys: accept`);
    expect(message).not.toContain(PASSWORD);
    // nothing was overwritten: the old key stays until the operator removes it
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);

    const relaxed = await connectSsh({ ...base(redeployed), password: PASSWORD, hostKeys: check(file, { policy: 'accept' }) });
    relaxed.end();
  });

  it('record: a known-hosts file that cannot be written refuses the connection, naming the file and the setting', async () => {
    const unwritable = join(identityFile, 'known-hosts');
    const err = await connectSsh({ ...base(), password: PASSWORD, hostKeys: check(unwritable) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toContain(`cannot record the SSH host key of dc1/r1 in ${unwritable} (`);
    expect((err as Error).message).toContain('set linux.known_hosts in clab-bot.yaml to a file the bot can write');
  });

  it('pinned: an unknown key is refused with the line to add; a key pinned in settings connects and wins over the file', async () => {
    const empty = join(dir, 'known-hosts-pinned');
    const err = await connectSsh({ ...base(), password: PASSWORD, hostKeys: check(empty, { policy: 'pinned' }) }).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`which is not pinned: add it to ${empty} as "dc1/r1 ssh-ed25519 ${server.hostKey}" or pin it in clab-bot.yaml (linux.nodes.dc1/r1.host_key)`);

    const pinned = parseHostKeyLine(`ssh-ed25519 ${server.hostKey}`);
    const ok = await connectSsh({ ...base(), identityFile, hostKeys: check(empty, { policy: 'pinned', ...(pinned === undefined ? {} : { pinned }) }) });
    ok.end();

    const changed = await connectSsh({ ...base(redeployed), identityFile, hostKeys: check(empty, { policy: 'pinned', ...(pinned === undefined ? {} : { pinned }) }) }).catch((e: unknown) => e);
    expect((changed as Error).message).toContain(`pin the new key in clab-bot.yaml (linux.nodes.dc1/r1.host_key: "ssh-ed25519 ${redeployed.hostKey}")`);
  });
});
