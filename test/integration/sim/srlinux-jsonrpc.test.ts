/**
 * The SR Linux simulator answers the documented JSON-RPC request/response examples exactly (SR Linux
 * JSON-RPC basics tutorial, the srlinux-ansible-collection playbooks and napalm-srlinux, as quoted in
 * the protocol notes §4.1), over real HTTP and HTTPS with fetch/undici as the client.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sim/clock.js';
import { startSimLab } from '../../../src/sim/lab.js';
import { startSrlinuxSim, type SrlSim } from '../../../src/sim/srlinux/index.js';
import { srlChainNode } from '../../../src/sim/srlinux/lab-topology.js';

const AUTH = `Basic ${Buffer.from('admin:NokiaSrl1!').toString('base64')}`;

async function rpc(sim: SrlSim, body: unknown, auth = AUTH): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://${sim.host}:${sim.port}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const call = async (sim: SrlSim, method: string, params: unknown) => (await rpc(sim, { jsonrpc: '2.0', id: 0, method, params })).json;

describe('SR Linux JSON-RPC simulator: documented examples', () => {
  let sim: SrlSim;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    const topo = srlChainNode(1, 2);
    sim = await startSrlinuxSim({ hostname: 'srl', version: 'v22.11.1-184-g6eeaa254f7', initialConfig: topo.initialConfig, neighbors: topo.neighbors, clock });
  });
  afterEach(() => sim.close());

  it('get of a leaf path on the state datastore returns the scalar', async () => {
    const params = { commands: [{ path: '/system/information/version', datastore: 'state' }] };
    expect(await call(sim, 'get', params)).toEqual({ result: ['v22.11.1-184-g6eeaa254f7'], id: 0, jsonrpc: '2.0' });
  });

  it('get without a datastore reads running, where version is not an element (the documented error)', async () => {
    const body = await call(sim, 'get', { commands: [{ path: '/system/information/version' }] });
    expect(body).toEqual({
      error: { code: -1, message: "Path not valid - unknown element 'version'. Options are [contact, location]" },
      id: 0,
      jsonrpc: '2.0',
    });
  });

  it('the per-command datastore wins over the one in params; containers return objects', async () => {
    const body = await call(sim, 'get', { datastore: 'running', commands: [{ path: '/system/information/version', datastore: 'state' }, { path: '/system/name' }] });
    expect(body['result']).toEqual(['v22.11.1-184-g6eeaa254f7', { 'host-name': 'srl' }]);
  });

  it('set update with the value after the path answers [{}] and changes running', async () => {
    const body = await call(sim, 'set', { commands: [{ action: 'update', path: '/interface[name=mgmt0]/description:set-via-json-rpc' }] });
    expect(body).toEqual({ result: [{}], id: 0, jsonrpc: '2.0' });
    expect((await call(sim, 'get', { commands: [{ path: '/interface[name=mgmt0]/description' }] }))['result']).toEqual(['set-via-json-rpc']);
  });

  it('several commands are one transaction: success is a single [{}], one bad command changes nothing', async () => {
    const ok = await call(sim, 'set', {
      commands: [
        { action: 'update', path: '/interface[name=ethernet-1/5]', value: { description: 'five', 'admin-state': 'enable' } },
        { action: 'update', path: '/system/information/location:lab rack 1' },
        { action: 'delete', path: '/interface[name=ethernet-1/2]/description' },
      ],
    });
    expect(ok['result']).toEqual([{}]);
    expect(sim.runningFlat()).toContain('set / interface ethernet-1/5 description five');
    expect(sim.runningFlat()).not.toContain('link to router 2');
    const before = sim.runningFlat();
    const bad = await call(sim, 'set', {
      commands: [
        { action: 'update', path: '/interface[name=ethernet-1/6]/description:six' },
        { action: 'update', path: '/interface[name=GigabitEthernet1/0]/description:nope' },
      ],
    });
    expect((bad['error'] as { message: string }).message).toMatch(/Invalid value "GigabitEthernet1\/0".*does not match the pattern/);
    expect(sim.runningFlat()).toBe(before);
  });

  it('validate answers [{}] or the pattern error, and changes nothing', async () => {
    const before = sim.runningFlat();
    expect((await call(sim, 'validate', { commands: [{ action: 'update', path: '/interface[name=ethernet-1/7]/description:x' }] }))['result']).toEqual([{}]);
    const bad = await call(sim, 'validate', { commands: [{ action: 'update', path: '/interface[name=GigabitEthernet1/0]/admin-state:enable' }] });
    expect(bad['error']).toMatchObject({ code: -1, message: expect.stringMatching(/GigabitEthernet1\/0.*pattern/) });
    expect(sim.runningFlat()).toBe(before);
  });

  it('diff with output-format text returns a list holding the diff; no change is an empty string', async () => {
    const body = await call(sim, 'diff', { commands: [{ action: 'update', path: '/interface[name=ethernet-1/2]/description:to spine' }], 'output-format': 'text', 'yang-models': 'srl' });
    expect(body['result']).toEqual([
      '     interface ethernet-1/2 {\n-        description "link to router 2"\n+        description "to spine"\n     }\n',
    ]);
    const none = await call(sim, 'diff', { commands: [{ action: 'update', path: '/system/name/host-name:srl' }], 'output-format': 'text' });
    expect(none['result']).toEqual(['']);
  });

  it('replace on / swaps the whole configuration', async () => {
    const body = await call(sim, 'set', { commands: [{ action: 'replace', path: '/', value: { system: { name: { 'host-name': 'srl' } }, interface: [{ name: 'mgmt0', 'admin-state': 'enable' }] } }] });
    expect(body['result']).toEqual([{}]);
    expect(sim.runningFlat()).toBe('set / system name host-name srl\nset / interface mgmt0 admin-state enable\n');
  });

  it('cli show version in json gives "basic system info"; text output is {"text": ...}', async () => {
    const json = await call(sim, 'cli', { commands: ['show version'], 'output-format': 'json' });
    expect((json['result'] as Record<string, Record<string, string>>[])[0]?.['basic system info']).toMatchObject({ Hostname: 'srl', 'Software Version': 'v22.11.1' });
    const text = await call(sim, 'cli', { commands: ['show version'], 'output-format': 'text' });
    expect((text['result'] as { text: string }[])[0]?.text).toMatch(/Software Version\s*: v22\.11\.1/);
  });

  it('CLI context persists within one request: ["interface mgmt0", "info"] gives [{}, {...}]', async () => {
    const body = await call(sim, 'cli', { commands: ['interface mgmt0', 'info'] });
    const result = body['result'] as unknown[];
    expect(result[0]).toEqual({});
    expect(result[1]).toMatchObject({ name: 'mgmt0', 'admin-state': 'enable' });
  });

  it('configuring through the CLI needs enter candidate … commit now, with the documented answer', async () => {
    const body = await call(sim, 'cli', {
      commands: ['enter candidate', 'set / interface ethernet-1/1 description "via cli"', 'diff', 'commit now'],
      'output-format': 'text',
    });
    const result = body['result'] as { text?: string }[];
    expect(result[2]?.text).toMatch(/\+ +description "via cli"/);
    expect(result[3]).toEqual({ text: 'All changes have been committed. Leaving candidate mode.\n' });
    expect(sim.runningFlat()).toContain('set / interface ethernet-1/1 description "via cli"');
    const outside = await call(sim, 'cli', { commands: ['set / interface ethernet-1/1 description x'] });
    expect((outside['error'] as { message: string }).message).toMatch(/only in candidate mode/);
  });

  it('interactive commands are refused; unknown commands name the options', async () => {
    expect((await call(sim, 'cli', { commands: ['ping 10.0.0.1'] }))['error']).toMatchObject({ message: expect.stringMatching(/Interactive command 'ping'/) });
    expect((await call(sim, 'cli', { commands: ['shwo version'] }))['error']).toMatchObject({ message: expect.stringMatching(/Unknown token 'shwo'/) });
  });

  it('info flat, info from state, pipes and the OSPF neighbour table', async () => {
    const body = await call(sim, 'cli', {
      commands: ['info flat interface ethernet-1/2', 'info from state system information version', 'info flat | grep ospf', 'show network-instance default protocols ospf neighbor', 'show version | as json'],
      'output-format': 'text',
    });
    const [flat, version, grep, ospf, asJson] = body['result'] as [{ text: string }, { text: string }, { text: string }, { text: string }, Record<string, unknown>];
    expect(flat.text).toContain('set / interface ethernet-1/2 subinterface 0 ipv4 address 10.1.1.0/31');
    expect(version.text).toContain('version v22.11.1-184-g6eeaa254f7');
    expect(grep.text.split('\n').filter(Boolean).every((l) => l.includes('ospf'))).toBe(true);
    expect(ospf.text).toMatch(/ethernet-1\/2\.0\s*\|\s*10\.255\.0\.2\s*\|\s*full/);
    expect(asJson['basic system info']).toBeDefined();
  });

  it('set with confirm-timeout leaves an unconfirmed commit that reverts by itself when the timer runs out', async () => {
    const before = sim.runningFlat();
    const body = await call(sim, 'set', { 'confirm-timeout': 60, commands: [{ action: 'update', path: '/interface[name=ethernet-1/1]/description:pending' }] });
    expect(body['result']).toEqual([{}]);
    const commits = await call(sim, 'get', { commands: [{ path: '/system/configuration/commit[id=*]', datastore: 'state' }] });
    expect((commits['result'] as { commit: { status: string }[] }[])[0]?.commit[0]?.status).toBe('unconfirmed');
    const blocked = await call(sim, 'set', { commands: [{ action: 'update', path: '/system/information/location:x' }] });
    expect((blocked['error'] as { message: string }).message).toMatch(/in progress/);
    clock.advance(59_000);
    expect(sim.runningFlat()).toContain('pending');
    clock.advance(1_000);
    expect(sim.runningFlat()).toBe(before);
  });

  it('confirmed-accept through the tools datastore keeps the change (the ansible playbook form)', async () => {
    await call(sim, 'set', { 'confirm-timeout': 60, commands: [{ action: 'update', path: '/interface[name=ethernet-1/1]/description:kept' }] });
    const accept = await call(sim, 'set', { commands: [{ action: 'update', path: '/system/configuration/confirmed-accept', datastore: 'tools' }] });
    expect(accept['result']).toEqual([{}]);
    clock.advance(120_000);
    expect(sim.runningFlat()).toContain('description kept');
    expect(sim.device.commits[0]?.status).toBe('complete');
  });

  it('confirmed-reject through the CLI reverts at once', async () => {
    const before = sim.runningFlat();
    await call(sim, 'set', { 'confirm-timeout': 60, commands: [{ action: 'update', path: '/interface[name=ethernet-1/1]/description:gone' }] });
    await call(sim, 'cli', { commands: ['tools system configuration confirmed-reject'] });
    expect(sim.runningFlat()).toBe(before);
  });

  it('checkpoints: generate, list on the state datastore, load into a candidate for a diff, revert', async () => {
    const original = sim.runningFlat();
    await call(sim, 'cli', { commands: ['/tools system configuration generate-checkpoint name before-change comment "clab-bot #1"'] });
    await call(sim, 'set', { commands: [{ action: 'update', path: '/interface[name=ethernet-1/1]/description:changed' }] });
    const list = await call(sim, 'get', { commands: [{ path: '/system/configuration/checkpoint[id=*]', datastore: 'state' }] });
    expect((list['result'] as { checkpoint: unknown[] }[])[0]?.checkpoint[0]).toMatchObject({ id: 0, name: 'before-change', comment: 'clab-bot #1', username: 'admin' });
    const diff = await call(sim, 'cli', { commands: ['enter candidate private', 'load checkpoint name before-change', 'diff', 'discard now'], 'output-format': 'text' });
    expect((diff['result'] as { text?: string }[])[2]?.text).toMatch(/-\s+description changed/);
    expect(sim.runningFlat()).toContain('description changed');
    await call(sim, 'cli', { commands: ['tools system configuration checkpoint before-change revert'] });
    expect(sim.runningFlat()).toBe(original);
  });

  it('faults: wrong password and authFail are HTTP 401, commitError fails commits only, dropMidRequest drops one request', async () => {
    expect((await rpc(sim, { jsonrpc: '2.0', id: 1, method: 'get', params: {} }, `Basic ${Buffer.from('admin:wrong').toString('base64')}`)).status).toBe(401);
    sim.setFaults({ commitError: 'mgmt_server: out of memory' });
    expect((await call(sim, 'validate', { commands: [{ action: 'update', path: '/system/information/location:x' }] }))['result']).toEqual([{}]);
    expect((await call(sim, 'set', { commands: [{ action: 'update', path: '/system/information/location:x' }] }))['error']).toMatchObject({ message: 'Commit failed: mgmt_server: out of memory' });
    sim.setFaults({ commitError: null, busyBy: 'bob' });
    expect((await call(sim, 'set', { commands: [{ action: 'update', path: '/system/information/location:x' }] }))['error']).toMatchObject({ message: expect.stringMatching(/locked by exclusive candidate of user bob/) });
    sim.setFaults({ busyBy: null, dropMidRequest: true });
    await expect(call(sim, 'get', { commands: [{ path: '/system/name' }] })).rejects.toThrow();
    expect((await call(sim, 'get', { commands: [{ path: '/system/name/host-name' }] }))['result']).toEqual(['srl']);
    sim.setFaults({ authFail: true });
    expect((await rpc(sim, { jsonrpc: '2.0', id: 1, method: 'get', params: {} })).status).toBe(401);
  });

  it('malformed requests get JSON-RPC errors, not crashes', async () => {
    expect((await rpc(sim, { id: 3, method: 'get' })).json).toMatchObject({ error: { code: -32600 } });
    expect((await call(sim, 'nosuch', {}))['error']).toMatchObject({ code: -32601 });
    expect((await call(sim, 'get', { commands: [{ path: 'no-slash' }] }))['error']).toMatchObject({ code: -1 });
    expect((await call(sim, 'set', { commands: [{ action: 'merge', path: '/system/name/host-name:x' }] }))['error']).toMatchObject({ message: expect.stringMatching(/Options are \[delete, replace, update\]/) });
  });
});

describe('clab-bot sim for nokia_srlinux', () => {
  const dir = mkdtempSync(join(tmpdir(), 'srl-lab-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS with a certificate from the lab CA it writes where containerlab keeps its own', async () => {
    const lab = await startSimLab({ lab: 'srlab', kind: 'srl', count: 2, dir, baseIp: '127.31.0.1', port: 0 });
    try {
      expect(lab.kind).toBe('nokia_srlinux');
      const ca = readFileSync(join(lab.labDir, '.tls', 'ca', 'ca.pem'), 'utf8');
      const node = lab.nodes[1]!;
      const payload = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'cli', params: { commands: ['show version'] } });
      const text = await new Promise<string>((resolve, reject) => {
        const req = https.request(
          { host: node.host, port: node.port, path: '/jsonrpc', method: 'POST', ca, headers: { 'content-type': 'application/json', authorization: AUTH } },
          (res) => {
            let data = '';
            res.on('data', (c: Buffer) => (data += c.toString('utf8')));
            res.on('end', () => resolve(data));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
      const body = JSON.parse(text) as { result: { 'basic system info': { Hostname: string } }[] };
      expect(body.result[0]?.['basic system info'].Hostname).toBe('node2');
      const data = JSON.parse(readFileSync(join(lab.labDir, 'topology-data.json'), 'utf8')) as { nodes: Record<string, { kind: string }> };
      expect(data.nodes['node1']?.kind).toBe('nokia_srlinux');
    } finally {
      await lab.close();
    }
  });
});
