/**
 * The slice of the SR Linux YANG tree the simulator models. Closed nodes reject unknown children
 * the way SR Linux does ("Path not valid - unknown element 'x'. Options are [...]"); open nodes take
 * any child, so configs beyond the modelled slice still load. State-only leaves exist only in the
 * state datastore.
 */
export type SchemaNode =
  | { readonly kind: 'leaf'; readonly state?: boolean }
  | { readonly kind: 'leaf-list' }
  | { readonly kind: 'container'; readonly children: Readonly<Record<string, SchemaNode>>; readonly open: boolean; readonly state?: boolean }
  | { readonly kind: 'list'; readonly key: string; readonly children: Readonly<Record<string, SchemaNode>>; readonly open: boolean; readonly state?: boolean };

const leaf: SchemaNode = { kind: 'leaf' };
const stateLeaf: SchemaNode = { kind: 'leaf', state: true };
const leafList: SchemaNode = { kind: 'leaf-list' };
const c = (children: Record<string, SchemaNode>, open = false, state = false): SchemaNode => ({ kind: 'container', children, open, state });
const l = (key: string, children: Record<string, SchemaNode>, open = true, state = false): SchemaNode => ({ kind: 'list', key, children, open, state });
const open = c({}, true);

const subinterface = l('index', {
  description: leaf,
  'admin-state': leaf,
  type: leaf,
  ipv4: c({ 'admin-state': leaf, address: l('ip-prefix', { primary: leaf }) }, true),
  ipv6: c({ 'admin-state': leaf, address: l('ip-prefix', { primary: leaf }) }, true),
  vlan: open,
  'oper-state': stateLeaf,
});

export const ROOT: SchemaNode = c({
  interface: l('name', {
    description: leaf,
    'admin-state': leaf,
    mtu: leaf,
    'vlan-tagging': leaf,
    subinterface,
    ethernet: open,
    'oper-state': stateLeaf,
    statistics: c({}, true, true),
  }),
  'network-instance': l('name', {
    type: leaf,
    'admin-state': leaf,
    description: leaf,
    'router-id': leaf,
    interface: l('name', {}),
    protocols: c({
      ospf: c({
        instance: l('name', {
          'admin-state': leaf,
          version: leaf,
          'router-id': leaf,
          'max-ecmp-paths': leaf,
          area: l('area-id', {
            interface: l('interface-name', { 'interface-type': leaf, passive: leaf, metric: leaf, 'admin-state': leaf }),
          }),
        }),
      }, true),
      bgp: open,
      isis: open,
    }, true),
    'static-routes': open,
    'next-hop-groups': open,
  }),
  system: c({
    name: c({ 'host-name': leaf, 'domain-name': leaf }),
    information: c({
      contact: leaf,
      location: leaf,
      version: stateLeaf,
      'current-datetime': stateLeaf,
      'last-booted': stateLeaf,
    }),
    configuration: c({
      commit: l('id', {}, true, true),
      checkpoint: l('id', {}, true, true),
    }, true),
    aaa: open,
    'json-rpc-server': open,
    gnmi: open,
    'ssh-server': open,
    tls: open,
    lldp: open,
    ntp: open,
    dns: open,
    logging: open,
    banner: open,
    'management': open,
    snmp: open,
  }, true),
  platform: c({
    chassis: c({ type: stateLeaf, 'serial-number': stateLeaf, 'part-number': stateLeaf, 'hw-mac-address': stateLeaf, 'last-booted': stateLeaf }, true, true),
  }, true),
  'routing-policy': open,
  acl: open,
  qos: open,
  'tunnel-interface': open,
  bfd: open,
  tunnel: open,
});

void leafList;

/** A closed node's allowed children in the given datastore, for the "Options are" message. */
export function childOptions(node: SchemaNode, state: boolean): string[] {
  if (node.kind !== 'container' && node.kind !== 'list') return [];
  return Object.entries(node.children)
    .filter(([, s]) => state || !('state' in s && s.state === true))
    .map(([name]) => name)
    .filter((name) => !(node.kind === 'list' && name === node.key))
    .sort();
}

/** The schema of `name` under `parent`, undefined when unknown; an open parent's unknown child is open. */
export function childSchema(parent: SchemaNode, name: string, state: boolean): SchemaNode | undefined {
  if (parent.kind !== 'container' && parent.kind !== 'list') return undefined;
  const known = Object.hasOwn(parent.children, name) ? parent.children[name] : undefined;
  if (known !== undefined) {
    if (!state && 'state' in known && known.state === true) return undefined;
    return known;
  }
  return parent.open ? OPEN_CHILD : undefined;
}

/** A child of an open node: a container or a list (decided by the path), anything beneath it allowed. */
export const OPEN_CHILD: SchemaNode = open;
