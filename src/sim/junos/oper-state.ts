/**
 * Operational state derived from the running configuration and the simulator's topology hints:
 * interfaces with their addresses and state, OSPF adjacencies, the routing table, reachability.
 * Pure functions of (running config, neighbours, routes, time).
 */
import { isIpv4, lookupUnit } from './config-checks.js';
import { findChild, type ConfigNode } from './config-tree.js';
import type { OspfNeighborSpec, RouteSpec } from './types.js';

export interface LogicalInterface {
  readonly name: string;
  readonly adminUp: boolean;
  readonly linkUp: boolean;
  readonly description: string | undefined;
  readonly families: readonly { readonly name: string; readonly addresses: readonly string[] }[];
}

export interface PhysicalInterface {
  readonly name: string;
  readonly adminUp: boolean;
  readonly linkUp: boolean;
  readonly description: string | undefined;
  readonly units: readonly LogicalInterface[];
  /** Front-panel port (ge/xe/et), as opposed to lo0, fxp0 and the internal pseudo-interfaces. */
  readonly port: boolean;
  readonly index: number;
}

const INTERNAL = ['cbp0', 'demux0', 'dsc', 'esi', 'gre', 'ipip', 'irb', 'lsi', 'mtun', 'pimd', 'pime', 'pp0', 'tap', 'vtep'];
const PORT = /^(ge|xe|et|fe)-\d+\/\d+\/\d+$/;

function leafValue(node: ConfigNode | undefined, key: string): string | undefined {
  const l = node === undefined ? undefined : findChild(node, key);
  return l !== undefined && l.kind === 'leaf' ? l.values[0] : undefined;
}

/** The node at a key path, e.g. descend(tree, 'protocols', 'ospf'). */
function descend(node: ConfigNode | undefined, ...keys: string[]): ConfigNode | undefined {
  let n = node;
  for (const k of keys) n = n === undefined ? undefined : findChild(n, k);
  return n;
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Interfaces as `show interfaces` lists them: front-panel ports first, then the rest by name. */
export function interfaceTable(running: ConfigNode, neighbors: readonly OspfNeighborSpec[]): PhysicalInterface[] {
  const configured = descend(running, 'interfaces');
  const names = new Set<string>([...Array.from({ length: 10 }, (_, i) => `ge-0/0/${i}`), 'lo0', 'fxp0', ...INTERNAL]);
  for (const c of configured?.children ?? []) if (c.words.length === 1 && !/^interface-range$/.test(c.words[0] as string)) names.add(c.words[0] as string);
  const cabled = new Set(neighbors.map((n) => n.interface.split('.')[0]));
  const sorted = [...names].sort((a, b) => {
    const pa = PORT.test(a) ? 0 : 1;
    const pb = PORT.test(b) ? 0 : 1;
    return pa !== pb ? pa - pb : naturalCompare(a, b);
  });
  return sorted.map((name, i) => {
    const cfg = configured === undefined ? undefined : findChild(configured, name);
    const active = cfg !== undefined && !cfg.inactive;
    const adminUp = !(active && findChild(cfg, 'disable') !== undefined);
    const port = PORT.test(name);
    const linkUp = adminUp && (!port || cabled.has(name) || active);
    const units: LogicalInterface[] = [];
    for (const u of active ? cfg.children.filter((c) => c.words[0] === 'unit' && !c.inactive) : []) {
      const unitUp = adminUp && findChild(u, 'disable') === undefined;
      const families = u.children
        .filter((c) => c.words[0] === 'family' && !c.inactive)
        .map((f) => ({
          name: f.words[1] as string,
          addresses: f.children.filter((a) => a.words[0] === 'address' && !a.inactive).map((a) => a.words[1] as string),
        }));
      units.push({
        name: `${name}.${u.words[1] as string}`,
        adminUp: unitUp,
        linkUp: unitUp && linkUp,
        description: leafValue(u, 'description'),
        families,
      });
    }
    return {
      name,
      adminUp,
      linkUp,
      description: active ? leafValue(cfg, 'description') : undefined,
      units,
      port,
      index: 128 + i,
    };
  });
}

export interface OspfAdjacency extends OspfNeighborSpec {
  readonly area: string;
}

/** Logical interfaces OSPF runs on (area per interface), from the running configuration. */
export function ospfInterfaces(running: ConfigNode): Map<string, { area: string; passive: boolean }> {
  const out = new Map<string, { area: string; passive: boolean }>();
  const ospf = descend(running, 'protocols', 'ospf');
  if (ospf === undefined || ospf.inactive || findChild(ospf, 'disable') !== undefined) return out;
  for (const area of ospf.children.filter((c) => c.words[0] === 'area' && !c.inactive)) {
    for (const intf of area.children.filter((c) => c.words[0] === 'interface' && !c.inactive && findChild(c, 'disable') === undefined)) {
      out.set(intf.words[1] as string, { area: area.words[1] as string, passive: findChild(intf, 'passive') !== undefined });
    }
  }
  return out;
}

/** Adjacencies that are Full: OSPF runs (not passive) on an interface that is configured and up. */
export function ospfAdjacencies(running: ConfigNode, neighbors: readonly OspfNeighborSpec[]): OspfAdjacency[] {
  const intfs = ospfInterfaces(running);
  return neighbors.flatMap((n) => {
    const o = intfs.get(n.interface);
    if (o === undefined || o.passive) return [];
    const unit = lookupUnit(running, n.interface);
    if (!unit.exists || unit.disabled) return [];
    return [{ ...n, area: o.area }];
  });
}

export interface RouteEntry {
  readonly prefix: string;
  readonly protocol: 'Direct' | 'Local' | 'Static' | 'OSPF' | 'BGP';
  readonly preference: number;
  readonly metric: number | undefined;
  readonly nextHop: string | undefined;
  readonly via: string | undefined;
  /** Seconds. */
  readonly age: number;
  readonly multiRecv?: boolean;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** Network address and length of `a.b.c.d/len`. */
function network(prefix: string): { net: number; len: number } {
  const [addr, lenText] = prefix.split('/');
  const len = lenText === undefined ? 32 : Number(lenText);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { net: (ipToInt(addr ?? '0.0.0.0') & mask) >>> 0, len };
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** `10.1.1.1/31` → `10.1.1.0/31`. */
export function networkOf(prefix: string): string {
  const { net, len } = network(prefix);
  return `${intToIp(net)}/${len}`;
}

export function prefixContains(prefix: string, ip: string): boolean {
  const { net, len } = network(prefix);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((ipToInt(ip) & mask) >>> 0) === net;
}

function comparePrefix(a: string, b: string): number {
  const na = network(a);
  const nb = network(b);
  return na.net !== nb.net ? na.net - nb.net : na.len - nb.len;
}

/** inet.0 as `show route` prints it (management fxp0 goes to mgmt_junos when management-instance is set). */
export function routeTable(
  running: ConfigNode,
  neighbors: readonly OspfNeighborSpec[],
  learnt: readonly RouteSpec[],
  uptimeSeconds: number,
): RouteEntry[] {
  const mgmtInstance = descend(running, 'system', 'management-instance') !== undefined;
  const entries: RouteEntry[] = [];
  const connected: { prefix: string; via: string }[] = [];
  const age = Math.max(60, uptimeSeconds - 90);
  for (const phys of interfaceTable(running, neighbors)) {
    if (mgmtInstance && phys.name === 'fxp0') continue;
    for (const u of phys.units) {
      if (!u.linkUp) continue;
      for (const addr of u.families.find((f) => f.name === 'inet')?.addresses ?? []) {
        const [ip, lenText] = addr.split('/');
        if (ip === undefined || !isIpv4(ip)) continue;
        const len = lenText === undefined ? 32 : Number(lenText);
        const net = `${intToIp(network(addr).net)}/${len}`;
        entries.push({ prefix: net, protocol: 'Direct', preference: 0, metric: undefined, nextHop: undefined, via: u.name, age });
        connected.push({ prefix: net, via: u.name });
        if (len < 32) entries.push({ prefix: `${ip}/32`, protocol: 'Local', preference: 0, metric: undefined, nextHop: undefined, via: u.name, age });
      }
    }
  }
  for (const r of descend(running, 'routing-options', 'static')?.children ?? []) {
    if (r.words[0] !== 'route' || r.inactive) continue;
    const nh = findChild(r, 'next-hop');
    const hop = nh?.kind === 'leaf' ? nh.values[0] : undefined;
    const link = hop === undefined ? undefined : connected.find((c) => prefixContains(c.prefix, hop));
    if (hop === undefined || link === undefined) continue;
    entries.push({ prefix: r.words[1] as string, protocol: 'Static', preference: 5, metric: undefined, nextHop: hop, via: link.via, age });
  }
  const ospf = ospfInterfaces(running);
  const adjacent = new Set(ospfAdjacencies(running, neighbors).map((a) => a.interface));
  if (ospf.size > 0) {
    entries.push({ prefix: '224.0.0.5/32', protocol: 'OSPF', preference: 10, metric: 1, nextHop: undefined, via: undefined, age: age + 2, multiRecv: true });
  }
  for (const r of learnt) {
    if (r.protocol === 'OSPF' && !adjacent.has(r.interface)) continue;
    if (entries.some((e) => e.prefix === r.prefix && e.protocol !== 'OSPF')) continue;
    const pref = r.protocol === 'OSPF' ? 10 : r.protocol === 'Static' ? 5 : 170;
    entries.push({
      prefix: r.prefix,
      protocol: r.protocol,
      preference: pref,
      metric: r.metric ?? 1,
      nextHop: r.nextHop,
      via: r.interface,
      age: Math.max(30, age - 30),
    });
  }
  return entries.sort((a, b) => comparePrefix(a.prefix, b.prefix) || a.preference - b.preference);
}

/** Whether a ping from the device to `ip` would be answered. */
export function reachable(running: ConfigNode, neighbors: readonly OspfNeighborSpec[], learnt: readonly RouteSpec[], ip: string): boolean {
  if (!isIpv4(ip)) return false;
  if (ip.startsWith('127.')) return true;
  const table = interfaceTable(running, neighbors);
  const own = table.flatMap((p) => p.units.filter((u) => u.linkUp).flatMap((u) => u.families.flatMap((f) => f.addresses.map((a) => a.split('/')[0]))));
  if (own.includes(ip)) return true;
  if (ospfAdjacencies(running, neighbors).some((a) => a.address === ip || a.routerId === ip)) return true;
  if (neighbors.some((n) => n.address === ip && lookupUnit(running, n.interface).exists)) return true;
  return routeTable(running, neighbors, learnt, 3600).some(
    (r) =>
      (r.protocol === 'OSPF' || r.protocol === 'BGP' || r.protocol === 'Static') && !r.multiRecv && prefixContains(r.prefix, ip) && r.prefix.endsWith('/32'),
  );
}
