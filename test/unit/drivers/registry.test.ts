import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/drivers/errors.js';
import { EosDriver } from '../../../src/drivers/eos/eos-driver.js';
import { JunosDriver } from '../../../src/drivers/junos/junos-driver.js';
import { SrlinuxDriver } from '../../../src/drivers/srlinux/srlinux-driver.js';
import { createDriver, driverFactoryFor, driverTraits, supportedDrivers } from '../../../src/drivers/registry.js';
import { IosDriver, IosXrDriver } from '../../../src/drivers/ssh-cli/index.js';
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

  it('builds the SSH CLI driver for IOS-XR and IOS kinds, with the traits of each platform', () => {
    expect(createDriver(makeNode({ name: 'xrd1', host: '127.0.0.1', kind: 'cisco_xrd' }))).toBeInstanceOf(IosXrDriver);
    expect(createDriver(makeNode({ name: 'r1', host: '127.0.0.1', kind: 'cisco_iol' }))).toBeInstanceOf(IosDriver);
    expect(createDriver(makeNode({ name: 'c1', host: '127.0.0.1', kind: 'cisco_c8000v' }))).toBeInstanceOf(IosDriver);
    expect(driverTraits('ssh-cli', 'cisco_xrd')?.commitHistoryCommand).toBe('show configuration commit list');
    expect(driverTraits('ssh-cli', 'cisco_iol')?.commitHistoryCommand).toBe('show archive');
    expect(driverTraits('ssh-cli', 'aruba_aoscx')).toBeUndefined();
  });

  it('refuses other drivers with UnsupportedError naming the kinds supported today', () => {
    const aruba = makeNode({ name: 'r9', host: '127.0.0.1', kind: 'aruba_aoscx', driver: 'ssh-cli' });
    expect(() => createDriver(aruba)).toThrow(UnsupportedError);
    expect(() => createDriver(aruba)).toThrow(/r9: kind aruba_aoscx \(the SSH CLI driver speaks Cisco IOS-XR and IOS\/IOS-XE only so far; supported today: .*nokia_srlinux.*cisco_xrd.*cisco_iol/);
    expect(() => createDriver(aruba)).not.toThrow(/aruba_aoscx, /);
    const bridge = makeNode({ name: 'br1', host: '127.0.0.1', kind: 'bridge', driver: 'none' });
    expect(() => createDriver(bridge)).toThrow(/it has no management driver/);
  });
});
