import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { SettingsError } from '../../../src/errors.js';
import { LabRegistry, type LabRegistryOptions } from '../../../src/inventory/registry.js';
import { removeTempDirs, stage, tempDir, waitFor, write } from './helpers.js';

const open: LabRegistry[] = [];
afterEach(() => {
  for (const registry of open.splice(0)) registry.close();
});
afterAll(removeTempDirs);

function registry(paths: string[], options: LabRegistryOptions = {}): LabRegistry {
  const r = new LabRegistry(paths, { env: {}, debounceMs: 50, ...options });
  open.push(r);
  return r;
}

const ONE = 'name: live\ntopology:\n  nodes:\n    r1: { kind: srl }\n';
const TWO = 'name: live\ntopology:\n  nodes:\n    r1: { kind: srl }\n    r2: { kind: ceos }\n';

const names = (r: LabRegistry) => r.nodes().map((n) => `${n.lab}/${n.name}`);

describe('LabRegistry', () => {
  it('loads the configured paths', async () => {
    const dir = await stage('deployed');
    const r = registry([dir], { pollIntervalMs: 0, watch: false });
    const inventory = await r.load();
    expect(inventory.labs.map((l) => l.name)).toEqual(['jlab']);
    expect(r.labs()).toBe(inventory.labs);
    expect(names(r)).toEqual(['jlab/ce1', 'jlab/pe1', 'jlab/pe2', 'jlab/rr1']);
    expect(r.warnings()).toEqual([]);
    expect(r.generation).toBe(1);
  });

  it('reloads when a topology file changes (fs.watch)', async () => {
    const dir = await tempDir();
    const file = await write(join(dir, 'live.clab.yml'), ONE);
    const reloads: number[] = [];
    const r = registry([dir], { pollIntervalMs: 0, onReload: (inv) => reloads.push(inv.nodes.length) });
    await r.load();
    expect(names(r)).toEqual(['live/r1']);
    await writeFile(file, TWO);
    expect(await waitFor(() => r.nodes().length === 2)).toBe(true);
    expect(names(r)).toEqual(['live/r1', 'live/r2']);
    expect(reloads.at(-1)).toBe(2);
  });

  it('notices a lab being deployed, then destroyed, by the interval check alone', async () => {
    const dir = await tempDir();
    await write(join(dir, 'live.clab.yml'), ONE);
    const r = registry([dir], { watch: false, pollIntervalMs: 100 });
    await r.load();
    expect(r.nodes()[0]?.mgmtIpv4).toBeUndefined();
    await mkdir(join(dir, 'clab-live'));
    await write(join(dir, 'clab-live/topology-data.json'), JSON.stringify({
      name: 'live', type: 'clab', nodes: { r1: { shortname: 'r1', longname: 'clab-live-r1', kind: 'srl', 'mgmt-ipv4-address': '172.20.20.5' } },
    }));
    expect(await waitFor(() => r.nodes()[0]?.mgmtIpv4 === '172.20.20.5')).toBe(true);
    expect(r.labs()[0]?.source).toBe(join(dir, 'clab-live/topology-data.json'));
    await rm(join(dir, 'clab-live'), { recursive: true });
    expect(await waitFor(() => r.nodes()[0]?.mgmtIpv4 === undefined)).toBe(true);
    expect(r.labs()[0]?.source).toBe(join(dir, 'live.clab.yml'));
  });

  it('keeps the previous read of a lab whose file is caught half-written, until it parses again', async () => {
    const dir = await stage('deployed');
    const data = join(dir, 'clab-jlab/topology-data.json');
    const r = registry([dir], { pollIntervalMs: 0 });
    await r.load();
    const before = r.generation;
    await writeFile(data, '{"name": "jlab", "type": "clab", "nodes": {"pe1": {"kind": "juniper_vjuno');
    expect(await waitFor(() => r.generation > before)).toBe(true);
    expect(r.labs().find((l) => l.name === 'jlab')?.source).toBe(data);
    expect(r.nodes().find((n) => n.name === 'pe1')?.mgmtIpv4).toBe('172.30.30.11');
    expect(r.warnings().map((w) => w.message)).toEqual([
      expect.stringContaining(`${data}: invalid JSON`),
      `${data}: lab jlab kept from the previous read until the file parses again`,
    ]);
    await writeFile(data, JSON.stringify({
      name: 'jlab', type: 'clab', nodes: { pe1: { shortname: 'pe1', kind: 'juniper_vjunosrouter', 'mgmt-ipv4-address': '172.30.30.111' } },
    }));
    expect(await waitFor(() => r.nodes().some((n) => n.mgmtIpv4 === '172.30.30.111'))).toBe(true);
    expect(r.warnings()).toEqual([]);
  });

  it('falls back to the topology while the deployed data is emptied by a new deploy', async () => {
    const dir = await stage('deployed');
    const r = registry([dir], { pollIntervalMs: 0 });
    await r.load();
    await writeFile(join(dir, 'clab-jlab/topology-data.json'), '');
    expect(await waitFor(() => r.labs()[0]?.source === join(dir, 'jlab.clab.yml'))).toBe(true);
    expect(names(r)).toEqual(['jlab/ce1', 'jlab/pe1', 'jlab/pe2', 'jlab/rr1']);
    expect(r.warnings()[0]?.message).toContain('empty: containerlab writes it empty');
  });

  it('survives its whole lab folder being deleted', async () => {
    const root = await tempDir();
    const dir = join(root, 'labs');
    await mkdir(dir);
    await write(join(dir, 'live.clab.yml'), ONE);
    const r = registry([dir], { pollIntervalMs: 100 });
    await r.load();
    await rm(dir, { recursive: true });
    expect(await waitFor(() => r.nodes().length === 0)).toBe(true);
    expect(r.warnings()[0]?.message).toBe(`${dir}: configured lab path does not exist`);
    await mkdir(dir);
    await write(join(dir, 'live.clab.yml'), TWO);
    expect(await waitFor(() => r.nodes().length === 2)).toBe(true);
  });

  it('stops reloading once closed', async () => {
    const dir = await tempDir();
    const file = await write(join(dir, 'live.clab.yml'), ONE);
    const r = registry([dir], { pollIntervalMs: 50 });
    await r.load();
    r.close();
    await writeFile(file, TWO);
    expect(await waitFor(() => r.nodes().length === 2, 400)).toBe(false);
    expect(names(r)).toEqual(['live/r1']);
  });

  it('refuses overrides whose secret cannot be read, at construction', () => {
    expect(() => new LabRegistry([], { env: {}, overrides: { labs: { x: { password: 'env:NOPE' } } } }))
      .toThrow(SettingsError);
  });
});
