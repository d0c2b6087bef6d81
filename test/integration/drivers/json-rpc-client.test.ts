/**
 * The shared HTTP JSON-RPC transport against real HTTP and HTTPS servers on loopback: request
 * shape, kept-alive connections, the error tree, TLS trust and the stale kept-alive socket retry.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthFailedError, CancelledError, ConnectionLostError, RejectedError, TimeoutError, UnreachableError } from '../../../src/drivers/errors.js';
import { JsonRpcClient, type JsonRpcClientOptions } from '../../../src/drivers/http/json-rpc-client.js';
import { makeLabCertificates } from '../../../src/sim/tls.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

type Handler = (body: { id: number; method: string; params: unknown }, req: http.IncomingMessage, res: http.ServerResponse) => void;

function serve(handler: Handler, server: http.Server): { seen: Seen[]; connections: Socket[]; port: () => number } {
  const seen: Seen[] = [];
  const connections: Socket[] = [];
  server.on('connection', (s: Socket) => connections.push(s));
  server.on('secureConnection', (s: Socket) => connections.push(s));
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; method: string; params: unknown };
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(body, req, res);
    });
  });
  return { seen, connections, port: () => (server.address() as AddressInfo).port };
}

function listen(server: http.Server | https.Server): Promise<void> {
  return new Promise((done) => server.listen(0, '127.0.0.1', done));
}

const reply = (res: http.ServerResponse, payload: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
};

const budget = (timeoutMs = 5_000, signal?: AbortSignal) => ({ timeoutMs, operation: 'exec', ...(signal ? { signal } : {}) });

describe('JsonRpcClient over HTTP', () => {
  let hang: (() => void)[] = [];
  const server = http.createServer();
  server.keepAliveTimeout = 60_000;
  const s = serve((body, req, res) => {
    switch (body.method) {
      case 'echo':
        return reply(res, { jsonrpc: '2.0', id: body.id, result: [body.params] });
      case 'fail':
        return reply(res, { jsonrpc: '2.0', id: body.id, error: { code: -1, message: "Path not valid - unknown element 'version'" } });
      case 'deny':
        return reply(res, { message: 'unauthorized' }, 401);
      case 'teapot':
        return reply(res, { message: 'no' }, 418);
      case 'garbage':
        res.writeHead(200);
        return res.end('<html>not json</html>');
      case 'hang':
        hang.push(() => res.end());
        return;
      case 'drop':
        return req.socket.destroy();
      default:
        return reply(res, { jsonrpc: '2.0', id: body.id + 1, result: [] });
    }
  }, server);
  const options = (extra: Partial<JsonRpcClientOptions> = {}): JsonRpcClientOptions => ({
    label: 'srl1', host: '127.0.0.1', port: s.port(), tls: false, path: '/jsonrpc', username: 'admin', password: 'NokiaSrl1!', ...extra,
  });

  beforeAll(() => listen(server));
  afterAll(async () => {
    for (const h of hang) h();
    hang = [];
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('posts a JSON-RPC 2.0 request with basic auth to the path and returns the result', async () => {
    const client = new JsonRpcClient(options());
    const response = await client.call('echo', { commands: ['show version'] }, budget());
    expect(response).toEqual({ ok: true, result: [{ commands: ['show version'] }], id: 1 });
    const last = s.seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.url).toBe('/jsonrpc');
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers.authorization).toBe(`Basic ${Buffer.from('admin:NokiaSrl1!').toString('base64')}`);
    expect(last.body).toEqual({ jsonrpc: '2.0', id: 1, method: 'echo', params: { commands: ['show version'] } });
    client.close();
  });

  it('keeps one connection alive across sequential calls', async () => {
    const client = new JsonRpcClient(options());
    const before = s.connections.length;
    for (let i = 0; i < 5; i++) await client.call('echo', i, budget());
    expect(s.connections.length - before).toBe(1);
    client.close();
  });

  it('returns the JSON-RPC error object as data', async () => {
    const client = new JsonRpcClient(options());
    const response = await client.call('fail', {}, budget());
    expect(response).toEqual({ ok: false, error: { code: -1, message: "Path not valid - unknown element 'version'" }, id: 1 });
    client.close();
  });

  it('maps HTTP 401 to AuthFailedError, other statuses to RejectedError or the hook', async () => {
    const client = new JsonRpcClient(options());
    await expect(client.call('deny', {}, budget())).rejects.toBeInstanceOf(AuthFailedError);
    await expect(client.call('teapot', {}, budget())).rejects.toThrow(/HTTP 418 from http:\/\/127\.0\.0\.1:\d+\/jsonrpc/);
    const hooked = new JsonRpcClient(options({ mapHttpStatus: (status, _body, ctx) => (status === 418 ? new RejectedError(ctx, ['short and stout']) : undefined) }));
    await expect(hooked.call('teapot', {}, budget())).rejects.toThrow(/short and stout/);
    client.close();
    hooked.close();
  });

  it('refuses a body that is not JSON and a response to another id', async () => {
    const client = new JsonRpcClient(options());
    await expect(client.call('garbage', {}, budget())).rejects.toThrow(/not JSON/);
    await expect(client.call('wrong-id', {}, budget())).rejects.toThrow(/answered request 2 with the response to 3/);
    client.close();
  });

  it('times out, is cancelled, and reports a request lost after sending as ConnectionLost', async () => {
    const client = new JsonRpcClient(options());
    await expect(client.call('hang', {}, budget(50))).rejects.toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    const pending = client.call('hang', {}, budget(5_000, controller.signal));
    await new Promise<void>((done) => {
      const wait = () => (s.seen.filter((x) => (x.body as { method: string }).method === 'hang').length >= 2 ? done() : setImmediate(wait));
      wait();
    });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    const fresh = new JsonRpcClient(options());
    const lost = await fresh.call('drop', {}, budget()).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(ConnectionLostError);
    expect((lost as ConnectionLostError).requestSent).toBe(true);
    client.close();
    fresh.close();
  });

  it('a refused connection is UnreachableError naming the address', async () => {
    const closed = http.createServer();
    await listen(closed);
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const client = new JsonRpcClient(options({ port }));
    await expect(client.call('echo', {}, budget())).rejects.toThrow(new RegExp(`connection refused \\(127\\.0\\.0\\.1:${port}\\)`));
    await expect(client.call('echo', {}, budget())).rejects.toBeInstanceOf(UnreachableError);
    client.close();
  });

  it('retries once on a fresh socket when the server closed the kept-alive one while idle', async () => {
    const client = new JsonRpcClient(options());
    await client.call('echo', 1, budget());
    const idle = s.connections.at(-1)!;
    await new Promise<void>((done) => {
      idle.once('close', () => done());
      idle.destroy();
    });
    // The pooled socket may already be gone from the agent; either way the call must succeed.
    const response = await client.call('echo', 2, budget());
    expect(response.ok).toBe(true);
    client.close();
  });
});

describe('JsonRpcClient over HTTPS', () => {
  const certs = makeLabCertificates('tls-test', ['127.0.0.1']);
  const server = https.createServer({ cert: certs.certPem, key: certs.keyPem });
  const s = serve((body, _req, res) => reply(res, { jsonrpc: '2.0', id: body.id, result: ['secure'] }), server);
  const options = (extra: Partial<JsonRpcClientOptions> = {}): JsonRpcClientOptions => ({
    label: 'srl1', host: '127.0.0.1', port: s.port(), tls: true, path: '/jsonrpc', username: 'admin', password: 'x', ...extra,
  });
  beforeAll(() => listen(server));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('refuses a certificate it cannot verify and says how to trust it', async () => {
    const client = new JsonRpcClient(options());
    const err = await client.call('x', {}, budget()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ was not accepted.*tls\.caFile.*tls\.verify: false/);
    client.close();
  });

  it('trusts the lab CA when given, or any certificate when verification is off', async () => {
    const withCa = new JsonRpcClient(options({ ca: certs.caPem }));
    expect(await withCa.call('x', {}, budget())).toEqual({ ok: true, result: ['secure'], id: 1 });
    const insecure = new JsonRpcClient(options({ tlsVerify: false }));
    expect(await insecure.call('x', {}, budget())).toEqual({ ok: true, result: ['secure'], id: 1 });
    withCa.close();
    insecure.close();
  });

  it('plain HTTP to an HTTPS port is a clear error', async () => {
    const client = new JsonRpcClient(options({ tls: false }));
    const err = await client.call('x', {}, budget()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as Error).message).toMatch(/closed the connection without answering: if it serves HTTPS, set tls/);
    client.close();
  });
});
