import { createServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthFailedError, CancelledError, TimeoutError, UnreachableError } from '../../../src/drivers/errors.js';
import { connectNetconf } from '../../../src/drivers/netconf/connect.js';
import { encodeChunked, encodeEom, MessageReader } from '../../../src/drivers/netconf/framing.js';

const { Server, utils } = ssh2;
const BASE_1_0 = 'urn:ietf:params:netconf:base:1.0';
const BASE_1_1 = 'urn:ietf:params:netconf:base:1.1';
const PASSWORD = 's3cret-Pa55';

/**
 * A bare NETCONF-over-SSH server (not the Junos simulator): it proves the transport on real SSH —
 * password and keyboard-interactive logins, subsystem refusal, chunked framing — and answers every
 * RPC with an echo of its body so framing and escaping can be checked end to end.
 */
interface TestServer {
  readonly port: number;
  readonly connections: Set<Connection>;
  close(): Promise<void>;
}

async function startServer(options: { keyboardOnly?: boolean; refuseSubsystem?: boolean; chunked?: boolean }): Promise<TestServer> {
  const hostKey = utils.generateKeyPairSync('ed25519').private;
  const connections = new Set<Connection>();
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.username !== 'lab') return ctx.reject();
      if (ctx.method === 'password' && !options.keyboardOnly) return ctx.password === PASSWORD ? ctx.accept() : ctx.reject();
      if (ctx.method === 'keyboard-interactive') {
        return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => (answers[0] === PASSWORD ? ctx.accept() : ctx.reject()));
      }
      return ctx.reject(options.keyboardOnly ? ['keyboard-interactive'] : ['password', 'keyboard-interactive']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('subsystem', (acceptSub, rejectSub, info) => {
          if (options.refuseSubsystem || info.name !== 'netconf') return rejectSub();
          serveNetconf(acceptSub(), options.chunked ?? false);
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.end();
        server.close(() => resolve());
      }),
  };
}

function serveNetconf(channel: ServerChannel, chunked: boolean): void {
  const reader = new MessageReader();
  let framing: 'eom' | 'chunked' = 'eom';
  const caps = chunked ? [BASE_1_0, BASE_1_1] : [BASE_1_0];
  channel.write(
    encodeEom(
      `<!-- test server -->\n<hello xmlns="${BASE_1_0}"><capabilities>${caps.map((c) => `<capability>${c}</capability>`).join('')}</capabilities><session-id>7</session-id></hello>`,
    ),
  );
  let helloSeen = false;
  channel.on('data', (data: Buffer) => {
    reader.push(data);
    for (let m = reader.next(); m !== undefined; m = reader.next()) {
      const text = m.toString('utf8');
      if (!helloSeen) {
        helloSeen = true;
        framing = chunked && text.includes(BASE_1_1) ? 'chunked' : 'eom';
        reader.setFraming(framing);
        continue;
      }
      const id = /message-id="([^"]*)"/.exec(text)?.[1] ?? '';
      const body = /^<rpc\b[^>]*>([\s\S]*)<\/rpc>$/.exec(text)?.[1] ?? '';
      const reply = body === '<close-session/>' ? '<ok/>' : `<echo>${body}</echo>`;
      const document = `<rpc-reply xmlns="${BASE_1_0}" message-id="${id}">${reply}</rpc-reply>`;
      channel.write(framing === 'eom' ? encodeEom(document) : encodeChunked(document));
      if (body === '<close-session/>') channel.close();
    }
  });
}

const base = { label: 'r1', host: '127.0.0.1', username: 'lab', password: PASSWORD, connectTimeoutMs: 5_000 };

describe('NETCONF over real SSH (loopback)', () => {
  let plain: TestServer;
  let keyboard: TestServer;
  let refusing: TestServer;
  let silentTcp: NetServer;
  let silentPort: number;

  beforeAll(async () => {
    plain = await startServer({ chunked: true });
    keyboard = await startServer({ keyboardOnly: true });
    refusing = await startServer({ refuseSubsystem: true });
    // Reads and ignores: a socket nobody reads never sees the client's FIN.
    silentTcp = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silentTcp.listen(0, '127.0.0.1', resolve));
    silentPort = (silentTcp.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await Promise.all([plain.close(), keyboard.close(), refusing.close()]);
    await new Promise<void>((resolve) => silentTcp.close(() => resolve()));
  });

  it('opens the netconf subsystem, negotiates chunked framing and echoes escaped text intact', async () => {
    const session = await connectNetconf({ ...base, port: plain.port });
    try {
      expect(session.framing).toBe('chunked');
      expect(session.sessionId).toBe('7');
      const reply = await session.rpc('<command format="text">a &lt;b&gt; ]]&gt;]]&gt; é😀</command>');
      expect(reply.body['echo']).toEqual({ command: { '#text': 'a <b> ]]>]]> é😀', '@format': 'text' } });
    } finally {
      await session.close();
    }
    expect(session.isAlive()).toBe(false);
  });

  it('logs in with keyboard-interactive when the device offers only that', async () => {
    const session = await connectNetconf({ ...base, port: keyboard.port });
    expect(session.framing).toBe('eom');
    expect((await session.rpc('<x/>')).body['echo']).toEqual({ x: '' });
    await session.close();
  });

  it('a wrong password is AuthFailedError naming the user, never the password', async () => {
    const pending = connectNetconf({ ...base, port: plain.port, password: 'wrong-password' });
    await expect(pending).rejects.toBeInstanceOf(AuthFailedError);
    await expect(pending).rejects.toThrow(/refused the login for user lab/);
    const err = (await pending.catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain('wrong-password');
  });

  it('a closed port is UnreachableError (connection refused)', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const pending = connectNetconf({ ...base, port: closedPort });
    await expect(pending).rejects.toBeInstanceOf(UnreachableError);
    await expect(pending).rejects.toThrow(/connection refused \(127\.0\.0\.1:\d+\)/);
  });

  it('a port that accepts TCP but never speaks SSH is a TimeoutError (up but slow), not unreachable, after the connect timeout', async () => {
    const started = Date.now();
    const pending = connectNetconf({ ...base, port: silentPort, connectTimeoutMs: 300 });
    await expect(pending).rejects.toBeInstanceOf(TimeoutError);
    await expect(pending).rejects.toThrow(
      /^r1 did not answer the SSH login within 0\.3 s: 127\.0\.0\.1:\d+ accepted the TCP connection, so the device is up but too slow to answer/,
    );
    await expect(pending).rejects.not.toThrow(/unreachable/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a refused netconf subsystem is UnreachableError that says how to enable it', async () => {
    await expect(connectNetconf({ ...base, port: refusing.port })).rejects.toThrow(/refused the netconf SSH subsystem.*system services netconf ssh/);
  });

  it('an abort during connect is CancelledError', async () => {
    const controller = new AbortController();
    const pending = connectNetconf({ ...base, port: silentPort, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('the server dropping the connection ends the session; later RPCs are refused unsent', async () => {
    const session = await connectNetconf({ ...base, port: plain.port });
    await session.rpc('<x/>');
    expect(plain.connections.size).toBeGreaterThan(0);
    for (const connection of plain.connections) connection.end();
    await vi.waitFor(() => expect(session.isAlive()).toBe(false), { timeout: 5000, interval: 10 });
    await expect(session.rpc('<y/>')).rejects.toMatchObject({ code: 'connection_lost', requestSent: false });
  });
});
