/**
 * The simulated lab's chain for SR Linux nodes: ethernet-1/1 towards the previous router,
 * ethernet-1/2 towards the next, the same addressing as the Junos chain (so mixed labs line up),
 * OSPF instance `main` area 0.0.0.0 in network-instance default, JSON-RPC enabled as containerlab does.
 */
import { linkBase, loopback } from '../junos/lab-topology.js';
import type { SrlOspfNeighbor } from './device.js';
import type { Obj } from './tree.js';

export interface SrlChainNode {
  readonly initialConfig: Obj;
  readonly neighbors: SrlOspfNeighbor[];
}

function routed(name: string, address: string, description: string): Obj {
  return {
    name,
    description,
    'admin-state': 'enable',
    subinterface: [{ index: 0, 'admin-state': 'enable', ipv4: { 'admin-state': 'enable', address: [{ 'ip-prefix': address }] } }],
  };
}

export function srlChainNode(i: number, count: number): SrlChainNode {
  const interfaces: Obj[] = [
    { name: 'mgmt0', 'admin-state': 'enable', subinterface: [{ index: 0, 'admin-state': 'enable', ipv4: { 'admin-state': 'enable', 'dhcp-client': {} } }] },
  ];
  const ospf: Obj[] = [];
  const neighbors: SrlOspfNeighbor[] = [];
  if (i > 1) {
    interfaces.push(routed('ethernet-1/1', `${linkBase(i - 1)}.1/31`, `link to router ${i - 1}`));
    ospf.push({ 'interface-name': 'ethernet-1/1.0', 'interface-type': 'point-to-point' });
    neighbors.push({ interface: 'ethernet-1/1.0', routerId: loopback(i - 1), address: `${linkBase(i - 1)}.0` });
  }
  if (i < count) {
    interfaces.push(routed('ethernet-1/2', `${linkBase(i)}.0/31`, `link to router ${i + 1}`));
    ospf.push({ 'interface-name': 'ethernet-1/2.0', 'interface-type': 'point-to-point' });
    neighbors.push({ interface: 'ethernet-1/2.0', routerId: loopback(i + 1), address: `${linkBase(i)}.1` });
  }
  interfaces.push(routed('system0', `${loopback(i)}/32`, 'loopback'));
  ospf.push({ 'interface-name': 'system0.0', passive: true });
  const members = interfaces.filter((x) => x['name'] !== 'mgmt0').map((x) => ({ name: `${String(x['name'])}.0` }));
  return {
    neighbors,
    initialConfig: {
      interface: interfaces,
      'network-instance': [
        { name: 'mgmt', type: 'ip-vrf', 'admin-state': 'enable', interface: [{ name: 'mgmt0.0' }] },
        {
          name: 'default',
          type: 'default',
          'admin-state': 'enable',
          'router-id': loopback(i),
          interface: members,
          protocols: { ospf: { instance: [{ name: 'main', 'admin-state': 'enable', version: 'ospf-v2', area: [{ 'area-id': '0.0.0.0', interface: ospf }] }] } },
        },
      ],
      system: {
        'json-rpc-server': {
          'admin-state': 'enable',
          'network-instance': [{ name: 'mgmt', http: { 'admin-state': 'enable' }, https: { 'admin-state': 'enable', 'tls-profile': 'clab-profile' } }],
        },
      },
    },
  };
}
