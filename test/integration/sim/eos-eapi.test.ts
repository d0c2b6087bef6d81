/**
 * The EOS eAPI simulator over real HTTP(S) on loopback, checked against the documented request and
 * answer shapes (results aligned with cmds, `{}` for configuration commands, `{"output"}` in text,
 * error 1002 with the data array up to the failing command, envelope errors, 401), sessions with
 * their unified diffs, commit timers that revert, and each fault knob.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sim/clock.js';
import { startEosSim, type EosSim, type EosSimOptions } from '../../../src/sim/eos/index.js';

interface Reply {
  status: number;
  body: string;
  json: Record<string, unknown> | undefined;
}

function post(sim: EosSim, payload: unknown, auth = 'admin:admin', path = '/command-api'): Promise<Reply> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const request = sim.tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: sim.host,
        port: sim.port,
        path,
        method: 'POST',
        headers: { 'Content-Type': 'application/json-rpc', Authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
        ...(sim.tls ? { ca: sim.certificate, servername: 'localhost' } : {}),
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function runCmds(cmds: unknown[], format: 'json' | 'text' = 'json', extra: Record<string, unknown> = {}): unknown {
  return { jsonrpc: '2.0', method: 'runCmds', params: { version: 1, cmds, format, autoComplete: false, expandAliases: false, ...extra }, id: 'req-7' };
}

const sims: EosSim[] = [];
async function sim(opts: Partial<EosSimOptions> = {}): Promise<EosSim> {
  const s = await startEosSim({ hostname: 'ceos1', ...opts });
  sims.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

describe('eAPI simulator: request and answer shapes', () => {
  it('answers runCmds over HTTPS with its self-signed certificate, results aligned with cmds', async () => {
    const s = await sim();
    expect(s.url).toBe(`https://127.0.0.1:${s.port}/command-api`);
    const r = await post(s, runCmds(['enable', 'show version', 'configure', 'hostname r9', 'end', 'show hostname']));
    expect(r.status).toBe(200);
    const result = r.json?.['result'] as Record<string, unknown>[];
    expect(r.json?.['id']).toBe('req-7');
    expect(result).toHaveLength(6);
    expect(result[0]).toEqual({});
    expect(result[1]).toMatchObject({ modelName: 'cEOSLab', version: expect.stringMatching(/^4\.32\.0F/), serialNumber: expect.any(String), uptime: expect.any(Number) });
    expect(result.slice(2, 5)).toEqual([{}, {}, {}]);
    expect(result[5]).toEqual({ hostname: 'r9', fqdn: 'r9' });
  });

  it('answers over plain HTTP when tls is off, with text results as {"output": ...}', async () => {
    const s = await sim({ tls: false });
    expect(s.url).toMatch(/^http:\/\//);
    const r = await post(s, runCmds(['enable', 'show hostname', 'configure', 'end'], 'text'));
    expect(r.json?.['result']).toEqual([{ output: '' }, { output: 'Hostname: ceos1\nFQDN:     ceos1\n' }, { output: '' }, { output: '' }]);
  });

  it('stops at the first failing command: error 1002 with data up to it', async () => {
    const s = await sim();
    const r = await post(s, runCmds(['enable', 'show bogus', 'configure', 'hostname never']));
    expect(r.json?.['error']).toEqual({
      code: 1002,
      message: "CLI command 2 of 4 'show bogus' failed: invalid command",
      data: [{}, { errors: ["Invalid input (at token 1: 'bogus')"] }],
    });
    expect(s.runningConfig()).not.toContain('hostname never');
    const text = await post(s, runCmds(['show bogus'], 'text'));
    expect((text.json?.['error'] as { data: unknown[] }).data).toEqual([{ errors: ["Invalid input (at token 1: 'bogus')"], output: "% Invalid input (at token 1: 'bogus')\n" }]);
  });

  it('needs enable for privileged commands and autoComplete for abbreviations', async () => {
    const s = await sim();
    const unprivileged = await post(s, runCmds(['show running-config']));
    expect((unprivileged.json?.['error'] as { data: { errors: string[] }[] }).data[0]?.errors).toEqual(['Invalid input (privileged mode required)']);
    const abbreviated = await post(s, runCmds(['sh ver']));
    expect((abbreviated.json?.['error'] as { code: number }).code).toBe(1002);
    const completed = await post(s, runCmds(['sh ver'], 'json', { autoComplete: true }));
    expect((completed.json?.['result'] as { modelName: string }[])[0]?.modelName).toBe('cEOSLab');
    const ambiguous = await post(s, runCmds(['sh s'], 'json', { autoComplete: true }));
    expect((ambiguous.json?.['error'] as { data: { errors: string[] }[] }).data[0]?.errors).toEqual(["Ambiguous command (at token 1: 's')"]);
  });

  it('answers envelope errors, 401, 404 and non-JSON bodies', async () => {
    const s = await sim();
    expect((await post(s, { method: 'runCmds', params: {}, id: 1 })).json).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32600, message: "Expected field 'jsonrpc' not specified" } });
    expect(((await post(s, { jsonrpc: '2.0', method: 'runShell', id: 2 })).json?.['error'] as { code: number }).code).toBe(-32601);
    expect(((await post(s, runCmds([]))).json?.['error'] as { code: number }).code).toBe(-32602);
    expect(((await post(s, '{not json')).json?.['error'] as { code: number }).code).toBe(-32700);
    const denied = await post(s, runCmds(['show version']), 'admin:wrong');
    expect(denied.status).toBe(401);
    expect(denied.body).toContain('Bad username/password');
    expect((await post(s, runCmds(['show version']), 'admin:admin', '/jsonrpc')).status).toBe(404);
  });

  it('keeps one TCP connection for many requests (keep-alive)', async () => {
    const s = await sim({ tls: false });
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: s.host, port: s.port, path: '/command-api', method: 'POST', agent, auth: 'admin:admin' }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(JSON.stringify(runCmds(['show hostname'])));
      });
    for (let i = 0; i < 5; i++) expect(await send()).toBe(200);
    agent.destroy();
    expect(s.requestCount()).toBe(5);
    expect(s.connectionCount()).toBe(1);
  });
});

describe('eAPI simulator: configuration sessions', () => {
  const diffOf = async (s: EosSim, name: string): Promise<string> => {
    const r = await post(s, runCmds(['enable', `show session-config named ${name} diffs`], 'text'));
    return ((r.json?.['result'] as { output: string }[])[1] as { output: string }).output;
  };

  it('stages in a session (nothing applied), diffs in unified form, aborts without a trace', async () => {
    const s = await sim();
    const before = s.runningConfig();
    await post(s, runCmds(['enable', 'configure session clab-bot-1-ceos1', 'ntp server 10.0.0.1', 'interface Ethernet1', 'description uplink', 'end']));
    expect(s.runningConfig()).toBe(before);
    expect(s.sessions()).toEqual([{ name: 'clab-bot-1-ceos1', state: 'pending', user: 'admin', description: '' }]);
    const diff = await diffOf(s, 'clab-bot-1-ceos1');
    expect(diff.split('\n').slice(0, 2)).toEqual(['--- system:/running-config', '+++ session:/clab-bot-1-ceos1-session-config']);
    expect(diff).toMatch(/\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(diff).toContain('+ntp server 10.0.0.1\n');
    expect(diff).toContain(' interface Ethernet1\n+   description uplink\n');
    const json = await post(s, runCmds(['enable', 'show session-config named clab-bot-1-ceos1 diffs']));
    expect((json.json?.['error'] as { code: number }).code).toBe(1003);
    await post(s, runCmds(['enable', 'configure session clab-bot-1-ceos1 abort']));
    expect(s.sessions()).toEqual([]);
    expect(s.runningConfig()).toBe(before);
  });

  it('rollback clean-config stages a replace: lines not given are removed', async () => {
    const s = await sim();
    await post(s, runCmds(['enable', 'configure session r', 'rollback clean-config', 'hostname ceos1', 'end']));
    const diff = await diffOf(s, 'r');
    expect(diff).toContain('-management api http-commands\n-   no shutdown\n');
    expect(diff).toContain('-   ip address 172.20.20.2/24\n');
    expect(diff).not.toMatch(/^[-+]hostname/m);
  });

  it('commit timer applies now and reverts unless confirmed; confirm keeps it', async () => {
    const clock = new ManualClock();
    const s = await sim({ clock });
    const before = s.runningConfig();
    await post(s, runCmds(['enable', 'configure session t1', 'hostname timed', 'end', 'configure session t1 commit timer 00:00:03']));
    expect(s.runningConfig()).toContain('hostname timed');
    expect(s.sessions()[0]?.state).toBe('pendingCommitTimer');
    clock.advance(2_999);
    expect(s.runningConfig()).toContain('hostname timed');
    clock.advance(1);
    expect(s.runningConfig()).toBe(before);
    expect(s.sessions()).toEqual([]);
    expect(s.commitHistory().map((c) => c.kind).slice(0, 2)).toEqual(['timer revert', 'commit timer']);

    await post(s, runCmds(['enable', 'configure session t2', 'hostname kept', 'commit timer 01:00:00']));
    expect(s.sessions().find((x) => x.name === 't2')?.state).toBe('pendingCommitTimer');
    await post(s, runCmds(['enable', 'configure session t2 commit']));
    expect(s.sessions().find((x) => x.name === 't2')?.state).toBe('completed');
    expect(s.runningConfig()).toContain('hostname kept');
  });

  it('abort during a commit timer reverts at once', async () => {
    const s = await sim();
    const before = s.runningConfig();
    await post(s, runCmds(['enable', 'configure session t3', 'hostname gone', 'commit timer 00:10:00']));
    await post(s, runCmds(['enable', 'configure session t3 abort']));
    expect(s.runningConfig()).toBe(before);
  });

  it('refuses a sixth pending session and a malformed timer', async () => {
    const s = await sim();
    for (let i = 1; i <= 5; i++) await post(s, runCmds(['enable', `configure session p${i}`, 'end']));
    const sixth = await post(s, runCmds(['enable', 'configure session p6']));
    expect((sixth.json?.['error'] as { data: { errors: string[] }[] }).data[1]?.errors[0]).toMatch(/maximum number of pending sessions \(5\)/);
    const timer = await post(s, runCmds(['enable', 'configure session p1 commit timer 5m']));
    expect((timer.json?.['error'] as { code: number }).code).toBe(1002);
  });

  it('saves checkpoints and restores one with configure replace', async () => {
    const s = await sim();
    const before = s.runningConfig();
    await post(s, runCmds(['enable', 'configure checkpoint save cp1', 'configure', 'hostname changed', 'end']));
    expect(s.runningConfig()).toContain('hostname changed');
    const list = await post(s, runCmds(['enable', 'show configuration checkpoints']));
    expect(Object.keys((list.json?.['result'] as { checkpoints: object }[])[1]?.checkpoints ?? {})).toEqual(['cp1']);
    await post(s, runCmds(['enable', 'configure replace checkpoint:cp1']));
    expect(s.runningConfig()).toBe(before);
    const missing = await post(s, runCmds(['enable', 'configure replace checkpoint:nope']));
    expect(missing.json?.['error']).toMatchObject({ code: 1000, message: "CLI command 2 of 2 'configure replace checkpoint:nope' failed: could not run command" });
  });
});

describe('eAPI simulator: faults', () => {
  it('authFail refuses every login with 401', async () => {
    const s = await sim({ faults: { authFail: true } });
    expect((await post(s, runCmds(['show version']))).status).toBe(401);
  });

  it('commitError fails the commit with 1000 and changes nothing', async () => {
    const s = await sim({ faults: { commitError: 'commit failed: Sysdb unavailable' } });
    const before = s.runningConfig();
    const r = await post(s, runCmds(['enable', 'configure session c', 'hostname x', 'commit']));
    expect(r.json?.['error']).toMatchObject({ code: 1000, data: [{}, {}, {}, { errors: ['commit failed: Sysdb unavailable'] }] });
    expect(s.runningConfig()).toBe(before);
  });

  it('busy refuses configuration mode, naming the holder', async () => {
    const s = await sim({ faults: { busy: 'bob' } });
    const r = await post(s, runCmds(['enable', 'configure session c']));
    expect((r.json?.['error'] as { data: { errors: string[] }[] }).data[1]?.errors).toEqual(['Configuration is locked by another session (user bob)']);
  });

  it('dropMidRequest closes the connection without an answer, once', async () => {
    const s = await sim();
    s.setFaults({ dropMidRequest: true });
    await expect(post(s, runCmds(['show version']))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await post(s, runCmds(['show version']))).status).toBe(200);
  });

  it('latency delays every answer', async () => {
    const s = await sim({ faults: { latencyMs: 150 } });
    const started = performance.now();
    await post(s, runCmds(['show version']));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
