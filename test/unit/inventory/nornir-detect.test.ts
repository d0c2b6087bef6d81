import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { SettingsError } from '../../../src/errors.js';
import { detectSource } from '../../../src/inventory/detect.js';
import { parseNornirInventory, readNornirInventory } from '../../../src/inventory/readers/nornir.js';
import { resolveSecretRef } from '../../../src/inventory/secret-ref.js';
import { FIXTURES, removeTempDirs, tempDir, write } from './helpers.js';

afterAll(removeTempDirs);

describe('nornir-simple-inventory.yml reader', () => {
  it('reads resolved credentials per short name; empty fields are unknown', async () => {
    const { hosts, warnings } = await readNornirInventory(join(FIXTURES, 'deployed/clab-jlab/nornir-simple-inventory.yml'));
    expect(warnings).toEqual([]);
    expect([...hosts.keys()]).toEqual(['ce1', 'pe1', 'pe2', 'rr1']);
    expect(hosts.get('pe2')).toEqual({ credentials: { username: 'admin', password: 'Pe2-secret!' }, hostname: '172.30.30.12', platform: 'juniper_vjunosrouter' });
    expect(hosts.get('ce1')?.credentials).toEqual({});
  });

  it('keeps passwords that YAML would read as numbers or booleans as written', () => {
    const { hosts } = parseNornirInventory('r1:\n  username: admin\n  password: 0123\nr2:\n  password: yes\n', 'n.yml');
    expect(hosts.get('r1')?.credentials.password).toBe('0123');
    expect(hosts.get('r2')?.credentials.password).toBe('yes');
  });

  it.each([
    ['', 'n.yml: empty'],
    ['---\n', 'n.yml: empty'],
    ['r1: [a\n', 'n.yml: invalid YAML at line'],
    ['r1:\n  username: [a, b]\n', 'n.yml: r1.username: expected string'],
  ])('warns about %j', (text, expected) => {
    const result = parseNornirInventory(text, 'n.yml');
    expect(result.hosts.size).toBe(0);
    expect(result.warnings[0]?.message).toContain(expected);
  });
});

describe('detectSource', () => {
  it.each([
    ['{"name": "x", "type": "clab", "nodes": {}}', 'any.json', 'topology-data'],
    ['{"x": [{"lab_name": "x"}]}', 'any.json', 'inspect'],
    ['{"containers": []}', 'out.txt', 'inspect'],
    ['{}', 'out.txt', 'inspect'],
    ['[{"Labels": {}}]', 'out.txt', 'inspect'],
    ['{"name": "x", "nodes": {', 'topology-data.json', 'topology-data'],
    ['{"name": "x", "nodes": {', 'saved.json', 'inspect'],
    ['name: x\ntopology:\n  nodes: {}\n', 'lab.yaml', 'clab-yml'],
    ['r1:\n  username: admin\n  password: x\n  platform: srl\n  hostname: 1.2.3.4\n', 'hosts.yml', 'nornir'],
    ['', 'topology-data.json', 'topology-data'],
    ['', 'nornir-simple-inventory.yml', 'nornir'],
    ['', 'lab.clab.yml', 'clab-yml'],
    ['', 'notes.txt', undefined],
    ['shopping:\n  - milk\n', 'list.yml', undefined],
  ])('%j named %s is %s', (text, file, expected) => {
    expect(detectSource(text, file)).toBe(expected);
  });
});

describe('resolveSecretRef', () => {
  it('reads env: and file: references and passes literals through', async () => {
    const dir = await tempDir();
    await write(join(dir, 'pw'), 's3cret\r\n');
    expect(resolveSecretRef('env:PW', { env: { PW: 'from-env' }, key: 'k' })).toBe('from-env');
    expect(resolveSecretRef('file:pw', { env: {}, key: 'k', baseDir: dir })).toBe('s3cret');
    expect(resolveSecretRef('plain', { env: {}, key: 'k' })).toBe('plain');
  });

  it('names the key and the variable, never a value', () => {
    expect(() => resolveSecretRef('env:', { env: {}, key: 'credentials.labs.a.password' })).toThrow(SettingsError);
    expect(() => resolveSecretRef('env:MISSING', { env: { OTHER: 'hunter2' }, key: 'credentials.labs.a.password' }))
      .toThrow('setting credentials.labs.a.password: environment variable MISSING is not set');
  });
});
