import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/drivers/errors.js';
import { JunosDriver } from '../../../src/drivers/junos/junos-driver.js';
import { createDriver, driverFactoryFor, supportedDrivers } from '../../../src/drivers/registry.js';
import { makeNode } from '../../helpers/nodes.js';

describe('driver registry', () => {
  it('builds the Junos driver for Junos kinds, without connecting', () => {
    const driver = createDriver(makeNode({ name: 'r1', host: '127.0.0.1', kind: 'juniper_vmx' }));
    expect(driver).toBeInstanceOf(JunosDriver);
    expect(driver.isAlive()).toBe(false);
    expect(driverFactoryFor()(makeNode({ name: 'r2', host: '127.0.0.1' }))).toBeInstanceOf(JunosDriver);
    expect(supportedDrivers()).toEqual(['junos']);
  });

  it('refuses other drivers with UnsupportedError naming the kinds supported today', () => {
    const srl = makeNode({ name: 'leaf1', host: '127.0.0.1', kind: 'nokia_srlinux', driver: 'srlinux' });
    expect(() => createDriver(srl)).toThrow(UnsupportedError);
    expect(() => createDriver(srl)).toThrow(/leaf1: kind nokia_srlinux \(its srlinux driver is not built yet; supported today: .*juniper_vjunosrouter/);
    const bridge = makeNode({ name: 'br1', host: '127.0.0.1', kind: 'bridge', driver: 'none' });
    expect(() => createDriver(bridge)).toThrow(/it has no management driver/);
  });
});
