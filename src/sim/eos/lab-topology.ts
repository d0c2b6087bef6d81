/**
 * The chain lab for simulated cEOS nodes, addressed like the Junos chain (junos/lab-topology.ts):
 * node i's Ethernet2 is cabled to node i+1's Ethernet1 on 10.1.i.0/31, loopbacks 10.255.x.y/32,
 * OSPF area 0 on every link, so `show ip ospf neighbor` shows Full adjacencies.
 */
import { linkBase, loopback } from '../junos/lab-topology.js';
import { defaultEosConfig } from './index.js';
import { parseConfig, renderConfig, ConfigEditor } from './config.js';
import type { EosOspfNeighborSpec } from './types.js';

export const EOS_CHAIN_INTERFACES: readonly [string, string] = ['Ethernet1', 'Ethernet2'];

export interface EosChainNode {
  readonly initialConfig: string;
  readonly neighbors: EosOspfNeighborSpec[];
}

/** Configuration and adjacencies of node i (1-based) in a chain of `count`. */
export function eosChainNode(i: number, count: number, hostname: string, username: string): EosChainNode {
  const lines: string[] = [];
  const neighbors: EosOspfNeighborSpec[] = [];
  const link = (intf: string, peer: number, address: string, peerAddress: string): void => {
    lines.push(
      `interface ${intf}`,
      `description link to router ${peer}`,
      'no switchport',
      `ip address ${address}/31`,
      'ip ospf network point-to-point',
      'ip ospf area 0.0.0.0',
    );
    neighbors.push({ interface: intf, address: peerAddress, routerId: loopback(peer) });
  };
  if (i > 1) link('Ethernet1', i - 1, `${linkBase(i - 1)}.1`, `${linkBase(i - 1)}.0`);
  if (i < count) link('Ethernet2', i + 1, `${linkBase(i)}.0`, `${linkBase(i)}.1`);
  lines.push(
    'interface Loopback0',
    `ip address ${loopback(i)}/32`,
    'ip ospf area 0.0.0.0',
    'router ospf 1',
    `router-id ${loopback(i)}`,
    'passive-interface Loopback0',
    'max-lsa 12000',
  );
  const tree = parseConfig(defaultEosConfig(hostname, username, EOS_CHAIN_INTERFACES));
  const editor = new ConfigEditor(tree);
  for (const line of lines) editor.apply(line);
  return { initialConfig: renderConfig(tree), neighbors };
}
