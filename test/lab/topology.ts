/**
 * The small FRR lab both test labs build: three routers in a triangle running OSPF on point-to-point
 * links (so every router has two neighbours), plus optional plain linux hosts without FRR.
 */

export interface LabLink {
  readonly a: { readonly node: string; readonly iface: string; readonly address: string };
  readonly z: { readonly node: string; readonly iface: string; readonly address: string };
}

export interface LabTopology {
  readonly routers: readonly string[];
  readonly hosts: readonly string[];
  readonly links: readonly LabLink[];
  /** Router id / loopback per router. */
  readonly routerIds: Readonly<Record<string, string>>;
}

/** r1, r2, r3 in a triangle on 10.<net>.<link>.0/30; loopbacks 10.255.<net>.<n>. */
export function triangle(net: number, hosts: readonly string[] = []): LabTopology {
  const routers = ['r1', 'r2', 'r3'];
  const pairs: [string, string][] = [['r1', 'r2'], ['r2', 'r3'], ['r1', 'r3']];
  const nextIface = new Map<string, number>();
  const iface = (node: string) => {
    const n = (nextIface.get(node) ?? 0) + 1;
    nextIface.set(node, n);
    return `eth${n}`;
  };
  const links = pairs.map(([a, z], i) => ({
    a: { node: a, iface: iface(a), address: `10.${net}.${i + 1}.1/30` },
    z: { node: z, iface: iface(z), address: `10.${net}.${i + 1}.2/30` },
  }));
  const routerIds = Object.fromEntries(routers.map((r, i) => [r, `10.255.${net}.${i + 1}`]));
  return { routers, hosts, links, routerIds };
}

/** Interfaces of one node with their addresses. */
export function interfacesOf(topo: LabTopology, node: string): { iface: string; address: string }[] {
  const out: { iface: string; address: string }[] = [];
  for (const link of topo.links) {
    if (link.a.node === node) out.push({ iface: link.a.iface, address: link.a.address });
    if (link.z.node === node) out.push({ iface: link.z.iface, address: link.z.address });
  }
  return out;
}

/** The startup frr.conf of one router: OSPF area 0 on its links with fast timers, loopback advertised. */
export function frrConfig(topo: LabTopology, router: string): string {
  const id = topo.routerIds[router];
  if (id === undefined) throw new Error(`${router} is not a router of this lab`);
  const lines = ['frr defaults traditional', `hostname ${router}`, 'service integrated-vtysh-config', '!'];
  lines.push('interface lo', ` ip address ${id}/32`, 'exit', '!');
  for (const { iface } of interfacesOf(topo, router)) {
    lines.push(`interface ${iface}`, ' ip ospf network point-to-point', ' ip ospf hello-interval 1', ' ip ospf dead-interval 4', 'exit', '!');
  }
  lines.push('router ospf', ` ospf router-id ${id}`, ' network 10.0.0.0/8 area 0', 'exit', '!');
  return `${lines.join('\n')}\n`;
}

/** Neighbour count per router once OSPF has converged. */
export function expectedNeighbours(topo: LabTopology, router: string): number {
  return interfacesOf(topo, router).length;
}

/** Full adjacencies in `show ip ospf neighbor json` output (FRR 8.x and 10.x shapes). */
export function fullNeighbours(json: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return 0;
  }
  let full = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const state = record['nbrState'] ?? record['state'];
      if (typeof state === 'string' && state.startsWith('Full')) full += 1;
      else Object.values(record).forEach(visit);
    }
  };
  visit(parsed);
  return full;
}

/** containerlab's topology-data.json for the lab (auto.tmpl shape), so the bot reads it as it would a deployed lab. */
export function topologyData(opts: {
  lab: string;
  labDir: string;
  topo: LabTopology;
  image: (node: string) => string | undefined;
  mgmt: (node: string) => string;
  prefixLength: number;
}): string {
  const nodes = opts.topo.routers;
  const json = {
    name: opts.lab,
    type: 'clab',
    clab: { config: { prefix: 'clab', mgmt: { network: `${opts.lab}-mgmt` } } },
    nodes: Object.fromEntries(
      nodes.map((node, index) => [
        node,
        {
          index: String(index),
          shortname: node,
          longname: `clab-${opts.lab}-${node}`,
          fqdn: `${node}.${opts.lab}.io`,
          group: opts.topo.routers.includes(node) ? 'routers' : 'hosts',
          labdir: `${opts.labDir}/${node}`,
          kind: 'linux',
          image: opts.image(node) ?? '',
          'mgmt-net': '',
          'mgmt-intf': '',
          'mgmt-ipv4-address': opts.mgmt(node),
          'mgmt-ipv4-prefix-length': opts.prefixLength,
          'mgmt-ipv6-address': '',
          'mgmt-ipv6-prefix-length': 0,
          'mac-address': '',
          labels: { containerlab: opts.lab, 'clab-node-name': node, 'clab-node-kind': 'linux' },
        },
      ]),
    ),
    links: opts.topo.links.map((l) => ({
      endpoints: {
        a: { node: l.a.node, interface: l.a.iface, mac: '', peer: 'z' },
        z: { node: l.z.node, interface: l.z.iface, mac: '', peer: 'a' },
      },
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
