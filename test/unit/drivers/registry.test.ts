import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/drivers/errors.js';
import { EosDriver } from '../../../src/drivers/eos/eos-driver.js';
import { JunosDriver } from '../../../src/drivers/junos/junos-driver.js';
import { SrlinuxDriver } from '../../../src/drivers/srlinux/srlinux-driver.js';
import { createDriver, driverFactoryFor, supportedDrivers } from '../../../src/drivers/registry.js';
import { makeNode } from '../../helpers/nodes.js';

describe('driver registry', () => {
  it('builds the Junos driver for Junos kinds, without connecting', () => {
    const driver = createDriver(makeNode({ name: 'r1', host: '127.0.0.1', kind: 'juniper_vmx' }));
    expect(driver).toBeInstanceOf(JunosDriver);
    expect(driver.isAlive()).toBe(false);
    expect(driverFactoryFor()(makeNode({ name: 'r2', host: '127.0.0.1' }))).toBeInstanceOf(JunosDriver);
    expect(supportedDrivers()).toContain('junos');
  });

  it('builds the EOS driver for cEOS and vEOS, without connecting', () => {
    const driver = createDriver(makeNode({ name: 'sw1', host: '127.0.0.1', kind: 'arista_ceos' }));
    expect(driver).toBeInstanceOf(EosDriver);
    expect(driver.isAlive()).toBe(false);
    expect(createDriver(makeNode({ name: 'sw2', host: '127.0.0.1', kind: 'arista_veos' }))).toBeInstanceOf(EosDriver);
    expect(supportedDrivers()).toEqual(expect.arrayContaining(['junos', 'eos']));
  });

  it('builds the SR Linux driver for nokia_srlinux, without connecting', () => {
    const driver = createDriver(makeNode({ name: 'leaf1', host: '127.0.0.1', kind: 'nokia_srlinux' }));
    expect(driver).toBeInstanceOf(SrlinuxDriver);
    expect(driver.isAlive()).toBe(false);
    expect(supportedDrivers()).toEqual(expect.arrayContaining(['junos', 'eos', 'srlinux']));
  });

  it('refuses other drivers with UnsupportedError naming the kinds supported today', () => {
    const iol = makeNode({ name: 'r9', host: '127.0.0.1', kind: 'cisco_iol', driver: 'ssh-cli' });
    expect(() => createDriver(iol)).toThrow(UnsupportedError);
    expect(() => createDriver(iol)).toThrow(/r9: kind cisco_iol \(its ssh-cli driver is not built yet; supported today: .*nokia_srlinux/);
    const bridge = makeNode({ name: 'br1', host: '127.0.0.1', kind: 'bridge', driver: 'none' });
    expect(() => createDriver(bridge)).toThrow(/it has no management driver/);
  });
});
