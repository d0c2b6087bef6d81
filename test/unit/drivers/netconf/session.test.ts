import { describe, expect, it } from 'vitest';
import { CancelledError, ConnectionLostError, TimeoutError, UnreachableError } from '../../../../src/drivers/errors.js';
import { encodeEom } from '../../../../src/drivers/netconf/framing.js';
import { NetconfSession } from '../../../../src/drivers/netconf/session.js';
import { BASE_1_0, BASE_1_1, FakeDevice } from '../support/fake-device.js';
import { junosFixture } from '../support/fixtures.js';

function start(device: FakeDevice, options: Partial<Parameters<typeof NetconfSession.start>[1]> = {}) {
  return NetconfSession.start(device.stream, { label: 'r1', ...options });
}

describe('hello exchange', () => {
  it('skips the banner comments and XML declaration a Junos server sends before <hello>', async () => {
    const device = new FakeDevice({ hello: `\ufeff<?xml version="1.0" encoding="UTF-8"?>\n${junosFixture('hello-junos.xml')}` });
    const session = await start(device);
    expect(session.sessionId).toBe('27361');
    expect(session.serverCapabilities).toContain('http://xml.juniper.net/netconf/junos/1.0');
    expect(session.framing).toBe('eom');
    expect(device.clientHello).toContain(BASE_1_0);
    expect(device.clientHello).not.toContain('session-id');
  });

  it('uses chunked framing only when both sides list base:1.1', async () => {
    const both = new FakeDevice({ capabilities: [BASE_1_0, BASE_1_1] });
    const chunked = await start(both);
    expect(chunked.framing).toBe('chunked');
    const reply = await chunked.rpc('<get-software-information/>');
    expect(reply.ok).toBe(true);
    expect(both.stream.writtenText()).toMatch(/\n#\d+\n<rpc message-id="1"/);

    const oldServer = new FakeDevice({ capabilities: [BASE_1_0] });
    expect((await start(oldServer)).framing).toBe('eom');
    const clientWithout = new FakeDevice({ capabilities: [BASE_1_0, BASE_1_1] });
    expect((await start(clientWithout, { clientCapabilities: [BASE_1_0] })).framing).toBe('eom');
  });

  it('reports a server that closes before its hello as unreachable, naming NETCONF', async () => {
    const device = new FakeDevice({ hello: null });
    const pending = start(device, { helloTimeoutMs: 5_000 });
    setImmediate(() => device.hangUp());
    await expect(pending).rejects.toThrow(UnreachableError);
    await expect(pending).rejects.toThrow(/NETCONF/);
  });

  it('times out when no hello arrives, and closes the stream', async () => {
    const device = new FakeDevice({ hello: null });
    setImmediate(() => device.sendRaw(Buffer.from('<!-- banner, then nothing -->\n<hello xmlns="x">')));
    await expect(start(device, { helloTimeoutMs: 50 })).rejects.toThrow(TimeoutError);
    expect(device.stream.destroyed).toBe(true);
  });

  it('rejects a hello that is not a hello', async () => {
    const device = new FakeDevice({ hello: '<rpc-reply><ok/></rpc-reply>' });
    await expect(start(device)).rejects.toThrow(/invalid hello/);
  });

  it('honours an abort while waiting for the hello', async () => {
    const device = new FakeDevice({ hello: null });
    const controller = new AbortController();
    const pending = start(device, { signal: controller.signal, helloTimeoutMs: 5_000 });
    controller.abort();
    await expect(pending).rejects.toThrow(CancelledError);
  });
});

describe('RPCs', () => {
  it('matches many replies in flight to their requests in order', async () => {
    const device = new FakeDevice({ writeChunkBytes: 7, answer: (rpc) => `<n>${rpc.body}</n>` });
    const session = await start(device);
    const bodies = Array.from({ length: 20 }, (_, i) => `<x>${i}</x>`);
    const replies = await Promise.all(bodies.map((b) => session.rpc(b)));
    expect(replies.map((r) => r.body['n'])).toEqual(bodies.map((_, i) => ({ x: String(i) })));
    expect(replies.map((r) => r.messageId)).toEqual(bodies.map((_, i) => String(i + 1)));
    expect(session.inFlight).toBe(0);
  });

  it('keeps device errors as data: error-severity entries in errors, warnings apart', async () => {
    const device = new FakeDevice({ answer: () => ({ raw: junosFixture('warnings-only.xml') }) });
    const session = await start(device);
    const reply = await session.rpc('<commit-configuration/>');
    expect(reply.errors).toEqual([]);
    expect(reply.warnings.map((w) => w.message)).toContain('statement not found');
  });

  it('accepts replies without message-id (in order) and ignores notifications', async () => {
    const device = new FakeDevice({ answer: () => ({ raw: '<rpc-reply><ok/></rpc-reply>' }) });
    const session = await start(device);
    const first = session.rpc('<a/>');
    const reply = await first;
    expect(reply.ok).toBe(true);
    device.sendMessage('<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>now</eventTime></notification>');
    expect((await session.rpc('<b/>')).ok).toBe(true);
    expect(session.isAlive()).toBe(true);
  });

  it('ends the session when a reply carries another message-id', async () => {
    const device = new FakeDevice({ answer: () => ({ raw: '<rpc-reply message-id="999"><ok/></rpc-reply>' }) });
    const session = await start(device);
    await expect(session.rpc('<a/>')).rejects.toThrow(/message-id 999/);
    expect(session.isAlive()).toBe(false);
  });

  it('ends the session on malformed XML in a reply', async () => {
    const device = new FakeDevice({ answer: () => ({ raw: '<rpc-reply><unclosed></rpc-reply>' }) });
    const session = await start(device);
    await expect(session.rpc('<a/>')).rejects.toThrow(ConnectionLostError);
    expect(session.isAlive()).toBe(false);
  });

  it('a timeout fails that RPC, fails the others in flight, and closes the session for good', async () => {
    // A device answers in order: nothing comes back for either while the first one hangs.
    const device = new FakeDevice({ answer: () => ({ silent: true }) });
    const session = await start(device);
    const slow = session.rpc('<slow/>', { timeoutMs: 40, operation: 'exec' });
    const behind = session.rpc('<next/>');
    await expect(slow).rejects.toBeInstanceOf(TimeoutError);
    await expect(slow).rejects.toThrow(/r1 did not answer exec/);
    await expect(behind).rejects.toBeInstanceOf(ConnectionLostError);
    expect(session.isAlive()).toBe(false);
    expect(device.stream.destroyed).toBe(true);
    const after = session.rpc('<again/>');
    await expect(after).rejects.toMatchObject({ code: 'connection_lost', requestSent: false });
    // A late reply to the abandoned RPC must not be taken for anything.
    device.sendMessage('<rpc-reply message-id="1"><ok/></rpc-reply>');
    expect(device.received.map((r) => r.body)).toEqual(['<slow/>', '<next/>']);
  });

  it('an abort cancels the RPC and closes the session', async () => {
    const device = new FakeDevice({ answer: () => ({ silent: true }) });
    const session = await start(device);
    const controller = new AbortController();
    const pending = session.rpc('<get-configuration/>', { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(session.isAlive()).toBe(false);
  });

  it('an already aborted signal sends nothing and keeps the session', async () => {
    const device = new FakeDevice();
    const session = await start(device);
    const controller = new AbortController();
    controller.abort();
    await expect(session.rpc('<x/>', { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(device.received).toEqual([]);
    expect(session.isAlive()).toBe(true);
  });

  it('the stream closing mid-RPC is a lost connection whose request was sent', async () => {
    const device = new FakeDevice({ answer: () => ({ hangUp: true }) });
    const session = await start(device);
    const pending = session.rpc('<commit-configuration/>', { operation: 'apply' });
    await expect(pending).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(pending).rejects.toMatchObject({ requestSent: true, operation: 'apply' });
  });

  it('close() sends close-session, ends the stream and is safe to repeat', async () => {
    const device = new FakeDevice();
    const session = await start(device);
    await session.close();
    await session.close();
    expect(device.received.map((r) => r.body)).toEqual(['<close-session/>']);
    expect(device.stream.ended).toBe(true);
    expect(session.isAlive()).toBe(false);
  });

  it('close() does not hang on a device that never answers close-session', async () => {
    const device = new FakeDevice({ answer: () => ({ silent: true }) });
    const session = await start(device);
    const started = Date.now();
    await session.close({ timeoutMs: 30 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(session.isAlive()).toBe(false);
  });

  it('close({ awaitReply: false }) sends close-session and ends the stream without waiting for the answer', async () => {
    // The device never answers and the bound is a minute: close() returning at all shows it did not wait.
    const device = new FakeDevice({ answer: () => ({ silent: true }) });
    const session = await start(device);
    await session.close({ awaitReply: false, timeoutMs: 60_000 });
    expect(device.received.map((r) => r.body)).toEqual(['<close-session/>']);
    expect(device.stream.ended).toBe(true);
    expect(session.isAlive()).toBe(false);
  });

  it('a framing breach from the device ends the session', async () => {
    const device = new FakeDevice({ capabilities: [BASE_1_0, BASE_1_1], answer: () => ({ silent: true }) });
    const session = await start(device);
    const pending = session.rpc('<a/>');
    device.sendRaw(Buffer.from('\n#abc\n'));
    await expect(pending).rejects.toThrow(/framing error/);
  });

  it('delivers a reply whose end marker arrives in a later read', async () => {
    const device = new FakeDevice({ answer: () => ({ silent: true }) });
    const session = await start(device);
    const pending = session.rpc('<a/>');
    await new Promise((r) => setImmediate(r));
    const bytes = encodeEom('<rpc-reply message-id="1"><output>é</output></rpc-reply>');
    device.sendRaw(bytes.subarray(0, bytes.length - 3));
    device.sendRaw(bytes.subarray(bytes.length - 3));
    expect((await pending).body['output']).toBe('é');
  });
});
