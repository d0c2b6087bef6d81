/**
 * A small OSPF lab for simulated Junos nodes: routers 1…N in a chain, node i's ge-0/0/1 cabled to
 * node i+1's ge-0/0/0 (10.1.i.0/31), loopbacks 10.255.x.y/32, OSPF area 0 on every link, so
 * `show ospf neighbor` shows Full adjacencies and `show route` the other routers' loopbacks.
 */
import { applySetCommands, parseConfigText, renderConfigText } from './config-tree.js';
import { defaultJunosConfig } from './index.js';
import type { OspfNeighborSpec, RouteSpec } from './types.js';

export interface ChainNode {
  readonly hostname: string;
  readonly initialConfig: string;
  readonly neighbors: OspfNeighborSpec[];
  readonly routes: RouteSpec[];
}

export interface ChainLink {
  /** 1-based index of the left router; it uses ge-0/0/1, the right one ge-0/0/0. */
  readonly left: number;
  readonly subnet: string;
}

/** The /31 network of chain link k: 10.1.k.0 (shared by every vendor's chain). */
export function linkBase(k: number): string {
  return `10.${1 + Math.floor(k / 256)}.${k % 256}`;
}

/** Router i's loopback address. */
export function loopback(i: number): string {
  return `10.255.${Math.floor(i / 256)}.${i % 256}`;
}

/** The chain's links: link k joins router k and k+1. */
export function chainLinks(count: number): ChainLink[] {
  return Array.from({ length: Math.max(0, count - 1) }, (_, idx) => ({ left: idx + 1, subnet: `${linkBase(idx + 1)}.0/31` }));
}

/** Configuration, adjacencies and learnt routes of router i (1-based) in a chain of `count`. */
export function chainNode(i: number, count: number, hostname: string, username: string, version?: string): ChainNode {
  const sets: string[] = [];
  const neighbors: OspfNeighborSpec[] = [];
  if (i > 1) {
    sets.push(`set interfaces ge-0/0/0 description "link to router ${i - 1}"`, `set interfaces ge-0/0/0 unit 0 family inet address ${linkBase(i - 1)}.1/31`);
    sets.push('set protocols ospf area 0.0.0.0 interface ge-0/0/0.0 interface-type p2p');
    neighbors.push({ interface: 'ge-0/0/0.0', address: `${linkBase(i - 1)}.0`, routerId: loopback(i - 1) });
  }
  if (i < count) {
    sets.push(`set interfaces ge-0/0/1 description "link to router ${i + 1}"`, `set interfaces ge-0/0/1 unit 0 family inet address ${linkBase(i)}.0/31`);
    sets.push('set protocols ospf area 0.0.0.0 interface ge-0/0/1.0 interface-type p2p');
    neighbors.push({ interface: 'ge-0/0/1.0', address: `${linkBase(i)}.1`, routerId: loopback(i + 1) });
  }
  sets.push(
    `set interfaces lo0 unit 0 family inet address ${loopback(i)}/32`,
    `set routing-options router-id ${loopback(i)}`,
    'set protocols ospf area 0.0.0.0 interface lo0.0 passive',
    'set protocols lldp interface all',
  );
  const base = parseConfigText(defaultJunosConfig(hostname, username, version));
  const config = renderConfigText(applySetCommands(base, sets.join('\n')).tree);
  const routes: RouteSpec[] = [];
  const via = (j: number): { nextHop: string; interface: string } =>
    j < i ? { nextHop: `${linkBase(i - 1)}.0`, interface: 'ge-0/0/0.0' } : { nextHop: `${linkBase(i)}.1`, interface: 'ge-0/0/1.0' };
  for (let j = 1; j <= count; j++) {
    if (j === i) continue;
    routes.push({ prefix: `${loopback(j)}/32`, protocol: 'OSPF', metric: Math.abs(j - i), ...via(j) });
  }
  for (const link of chainLinks(count)) {
    if (link.left === i || link.left === i - 1) continue;
    const hops = link.left < i ? i - link.left - 1 : link.left - i;
    routes.push({ prefix: link.subnet, protocol: 'OSPF', metric: 1 + hops, ...via(link.left < i ? link.left : link.left + 1) });
  }
  return { hostname, initialConfig: config, neighbors, routes };
}
