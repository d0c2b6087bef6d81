import { describe, expect, it } from 'vitest';

import { kindMatches, kindNames, kindSpecs, namesOfKind, resolveKind } from '../../../src/inventory/kinds.js';

// Every name containerlab v0.79's node registry accepts (docs/containerlab-inventory.md §4).
const CONTAINERLAB_NAMES = `6wind_vsr arista_ceos arista_veos arrcus_arcos aruba_aoscx bridge c8000 ceos checkpoint_cloudguard
ciena_saos cisco_asav cisco_c8000 cisco_c8000v cisco_cat9kv cisco_csr1000v cisco_ftdv cisco_iol cisco_n9kv cisco_sdwan
cisco_vios cisco_xrd cisco_xrd_vrouter cisco_xrv cisco_xrv9k cjunosevolved crpd cumulus_cvx cvx dell_ftosv dell_sonic
ext-container f5_bigip-ve fdio_vpp fortinet_fortigate freebsd generic_vm host huawei_vrp ipinfusion_ocnos
juniper_cjunosevolved juniper_crpd juniper_csrx juniper_vjunosevolved juniper_vjunosrouter juniper_vjunosswitch
juniper_vmx juniper_vqfx juniper_vsrx k8s-kind keysight_ixia-c-one linux mikrotik_ros nokia_srlinux nokia_sros
nokia_srsim nvidia_cumulusvx openbsd openwrt ovs-bridge paloalto_panos plvision_sonic rare sonic-vm sonic-vs spirent_stc
srl veesix_osvbng vr-aoscx vr-arista_veos vr-aruba_aoscx vr-ciena_saos vr-cisco_csr1000v vr-cisco_n9kv vr-cisco_xrv
vr-cisco_xrv9k vr-csr vr-dell_ftosv vr-ftosv vr-juniper_vmx vr-juniper_vqfx vr-juniper_vsrx vr-mikrotik_ros vr-n9kv
vr-nokia_sros vr-paloalto_panos vr-pan vr-ros vr-sros vr-veos vr-vmx vr-vqfx vr-vsrx vr-xrv vr-xrv9k vyosnetworks_vyos xrd`
  .split(/\s+/);

describe('kinds table', () => {
  it('knows exactly the 96 names containerlab registers, canonical or alias', () => {
    expect(CONTAINERLAB_NAMES).toHaveLength(96);
    const tableNames = kindSpecs().flatMap((s) => [s.kind, ...s.aliases]).sort();
    expect(tableNames).toEqual([...CONTAINERLAB_NAMES].sort());
    for (const name of CONTAINERLAB_NAMES) expect(resolveKind(name), name).toBeDefined();
  });

  it('has every Juniper kind, driven over NETCONF 830', () => {
    const juniper = kindSpecs().filter((s) => s.vendor === 'juniper').map((s) => s.kind).sort();
    expect(juniper).toEqual([
      'juniper_cjunosevolved', 'juniper_crpd', 'juniper_csrx', 'juniper_vjunosevolved', 'juniper_vjunosrouter',
      'juniper_vjunosswitch', 'juniper_vmx', 'juniper_vqfx', 'juniper_vsrx',
    ]);
    for (const kind of juniper) {
      const spec = resolveKind(kind);
      expect(spec?.driver).toBe('junos');
      expect(spec?.mgmt).toEqual({ protocol: 'netconf', port: 830 });
    }
    expect(resolveKind('juniper_vex')).toBeUndefined();
  });

  it.each([
    ['vjunosrouter', 'juniper_vjunosrouter'],
    ['VJunosSwitch', 'juniper_vjunosswitch'],
    ['srl', 'nokia_srlinux'],
    ['srlinux', 'nokia_srlinux'],
    ['ceos', 'arista_ceos'],
    ['crpd', 'juniper_crpd'],
    ['vmx', 'juniper_vmx'],
    ['vr-vmx', 'juniper_vmx'],
    ['vr-juniper_vqfx', 'juniper_vqfx'],
    ['cjunosevolved', 'juniper_cjunosevolved'],
    ['xrd', 'cisco_xrd'],
    ['xrv9k', 'cisco_xrv9k'],
    ['iol', 'cisco_iol'],
    ['vr-sros', 'nokia_sros'],
    [' NOKIA_SRLINUX ', 'nokia_srlinux'],
  ])('resolves %s to %s', (name, canonical) => {
    expect(resolveKind(name)?.kind).toBe(canonical);
  });

  it('leaves out a short form two kinds share', () => {
    expect(resolveKind('sonic')).toBeUndefined();
    expect(resolveKind('dell_sonic')?.kind).toBe('dell_sonic');
  });

  it('carries containerlab default credentials, and none where containerlab has none', () => {
    expect(resolveKind('srl')?.credentials).toEqual({ username: 'admin', password: 'NokiaSrl1!' });
    expect(resolveKind('ceos')?.credentials).toEqual({ username: 'admin', password: 'admin' });
    expect(resolveKind('crpd')?.credentials).toEqual({ username: 'root', password: 'clab123' });
    expect(resolveKind('vjunosrouter')?.credentials).toEqual({ username: 'admin', password: 'admin@123' });
    expect(resolveKind('xrd')?.credentials).toEqual({ username: 'clab', password: 'clab@123' });
    expect(resolveKind('c8000')?.credentials).toEqual({ username: 'cisco', password: 'cisco123' });
    expect(resolveKind('linux')?.credentials).toBeUndefined();
  });

  it('names each kind its driver and management service', () => {
    const srl = resolveKind('srl');
    expect(srl?.driver).toBe('srlinux');
    expect(srl?.mgmt).toEqual({ protocol: 'json-rpc', port: 443, tls: true });
    expect(srl?.services).toContainEqual({ protocol: 'json-rpc', port: 80, tls: false });
    expect(resolveKind('ceos')?.mgmt).toEqual({ protocol: 'eapi', port: 443, tls: true });
    expect(resolveKind('veos')?.driver).toBe('eos');
    expect(resolveKind('xrd')?.mgmt).toEqual({ protocol: 'ssh', port: 22 });
    expect(resolveKind('cisco_iol')?.driver).toBe('ssh-cli');
    expect(resolveKind('linux')?.driver).toBe('linux');
    expect(resolveKind('bridge')?.driver).toBe('none');
    expect(resolveKind('bridge')?.mgmt).toBeUndefined();
  });

  it('lists every accepted name once, sorted, for completion', () => {
    const names = kindNames();
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['juniper_vjunosrouter', 'vjunosrouter', 'srl', 'vr-vmx', 'linux']) expect(names).toContain(name);
    expect(namesOfKind('srl')[0]).toBe('nokia_srlinux');
  });
});

describe('kindMatches', () => {
  it.each([
    ['juniper_*', 'juniper_vmx', true],
    ['juniper_*', 'nokia_srlinux', false],
    ['vjunos*', 'juniper_vjunosswitch', true],
    ['vjunos*', 'juniper_vmx', false],
    ['vr-?mx', 'juniper_vmx', true],
    ['*srl*', 'nokia_srlinux', true],
    ['srl', 'nokia_srlinux', true],
    ['SRL', 'nokia_srlinux', true],
    ['nokia_srlinux', 'nokia_srlinux', true],
    ['ceos', 'nokia_srlinux', false],
    ['vr-vmx', 'juniper_vmx', true],
    ['crpd', 'juniper_crpd', true],
    ['juniper_[cv]*', 'juniper_crpd', true],
    ['juniper_[!c]*', 'juniper_crpd', false],
    ['acme_os', 'acme_os', true],
    ['acme_*', 'acme_os', true],
    ['acme_os', 'linux', false],
  ])('%s vs %s → %s', (pattern, kind, expected) => {
    expect(kindMatches(pattern, kind)).toBe(expected);
  });
});
