/**
 * What `commit check` finds in a candidate beyond syntax: references to interfaces that are not
 * configured (error), OSPF on a disabled interface (warning), malformed addresses (error).
 * Pure; returns Junos-shaped rpc-error specs.
 */
import { findChild, type ConfigNode } from './config-tree.js';
import type { RpcErrorSpec } from './rpc-error.js';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

function isIpv4Prefix(s: string): boolean {
  const [addr, len, extra] = s.split('/');
  if (extra !== undefined || addr === undefined) return false;
  if (!isIpv4(addr)) return false;
  if (len === undefined) return true;
  return /^\d+$/.test(len) && Number(len) <= 32;
}

function child(node: ConfigNode | undefined, key: string): ConfigNode | undefined {
  return node === undefined ? undefined : findChild(node, key);
}

/** Logical interface `ifd.unit` as configured, with whether it (or its physical) is disabled. */
export function lookupUnit(tree: ConfigNode, ifl: string): { exists: boolean; disabled: boolean } {
  const dot = ifl.lastIndexOf('.');
  const ifd = dot < 0 ? ifl : ifl.slice(0, dot);
  const unit = dot < 0 ? '0' : ifl.slice(dot + 1);
  const phys = child(child(tree, 'interfaces'), ifd);
  if (phys === undefined || phys.inactive) return { exists: false, disabled: false };
  const u = child(phys, `unit ${unit}`);
  if (u === undefined || u.inactive) return { exists: false, disabled: false };
  const disabled = child(phys, 'disable') !== undefined || child(u, 'disable') !== undefined;
  return { exists: true, disabled };
}

/** Errors and warnings commit check reports for this candidate (errors first). */
export function checkConfig(tree: ConfigNode): RpcErrorSpec[] {
  const errors: RpcErrorSpec[] = [];
  const warnings: RpcErrorSpec[] = [];
  const protocols = child(tree, 'protocols');
  for (const proto of ['ospf', 'ospf3']) {
    const ospf = child(protocols, proto);
    if (ospf === undefined || ospf.inactive) continue;
    for (const area of ospf.children.filter((c) => c.words[0] === 'area' && !c.inactive)) {
      for (const intf of area.children.filter((c) => c.words[0] === 'interface' && !c.inactive)) {
        const name = intf.words[1] as string;
        if (name === 'all' || /[*\[]/.test(name)) continue;
        const found = lookupUnit(tree, name);
        const path = `[edit protocols ${proto} ${area.words.join(' ')}]`;
        if (!found.exists) {
          errors.push({
            severity: 'error',
            message: `interface ${name} is not configured under [edit interfaces]`,
            path,
            badElement: `interface ${name}`,
            sourceDaemon: 'rpd',
            padded: true,
          });
        } else if (found.disabled) {
          warnings.push({
            severity: 'warning',
            message: `interface ${name} is disabled: the OSPF adjacency on it will stay down`,
            path,
            badElement: `interface ${name}`,
            sourceDaemon: 'rpd',
            padded: true,
          });
        }
      }
    }
  }
  const ro = child(tree, 'routing-options');
  const rid = child(ro, 'router-id');
  if (rid !== undefined && rid.kind === 'leaf' && !isIpv4(rid.values[0] ?? '')) {
    errors.push({
      severity: 'error',
      message: `invalid router-id: ${rid.values[0] ?? ''}`,
      path: '[edit routing-options]',
      badElement: 'router-id',
      padded: true,
    });
  }
  for (const phys of child(tree, 'interfaces')?.children ?? []) {
    for (const unit of phys.children.filter((c) => c.words[0] === 'unit')) {
      const inet = child(unit, 'family inet');
      for (const addr of inet?.children.filter((c) => c.words[0] === 'address') ?? []) {
        const value = addr.words[1] as string;
        if (!isIpv4Prefix(value)) {
          errors.push({
            severity: 'error',
            message: `invalid IPv4 prefix ${value}`,
            path: `[edit interfaces ${phys.words.join(' ')} ${unit.words.join(' ')} family inet]`,
            badElement: value,
            sourceDaemon: 'dcd',
            padded: true,
          });
        }
      }
    }
  }
  return [...errors, ...warnings];
}
