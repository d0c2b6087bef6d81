/**
 * The IOS plan: IOS has no candidate configuration, so the driver computes what the lines would
 * do, in the way ciscoconfparse reads a configuration: `show running-config` parsed into its
 * indentation hierarchy, the lines merged into a copy (a setting replaces the one with the same
 * key, `no …` removes, a section line opens or reuses its section), and the two trees compared
 * in the `+`/`-` form IOS-XR's `show commit changes diff` uses. A rollback plan compares running
 * with an archived configuration the same way.
 */
import type { ConfigLine } from './config-input.js';

export interface IosNode {
  readonly line: string;
  children: IosNode[];
}

/** Settings whose key is a prefix: a new value replaces the old one (anything else is keyed by its whole line). */
const KEYED: readonly RegExp[] = [
  /^(hostname)\b/, /^(description)\b/, /^(mtu)\b/, /^(router-id)\b/, /^(ip address)\b/, /^(ipv4 address)\b/, /^(bandwidth)\b/,
  /^(speed)\b/, /^(duplex)\b/, /^(shutdown)$/, /^(path)\b/, /^(maximum)\b/, /^(time-period)\b/, /^(exec-timeout)\b/,
  /^(snmp-server location)\b/, /^(snmp-server contact)\b/, /^(ip domain name)\b/, /^(domain name)\b/, /^(enable secret)\b/,
  /^(enable password)\b/, /^(auto-cost reference-bandwidth)\b/, /^(cost)\b/, /^(ip ospf cost)\b/, /^(secret)\b/, /^(password)\b/,
  /^(clock timezone)\b/, /^(transport input)\b/, /^(username \S+)\b/, /^(vrf)\b/, /^(network)\b(?! \d)/, /^(neighbor \S+ remote-as)\b/,
  /^(logging buffered)\b/, /^(banner motd)\b/,
];

function keyOf(line: string): string {
  for (const re of KEYED) {
    const m = re.exec(line);
    if (m !== null) return m[1] as string;
  }
  return line;
}

/** `show running-config` text → its hierarchy (banner, `!`, `end` and the header lines are not configuration). */
export function parseIosConfig(text: string): IosNode[] {
  const root: IosNode = { line: '', children: [] };
  const stack: { indent: number; node: IosNode }[] = [{ indent: -1, node: root }];
  for (const raw of text.split(/\r?\n/)) {
    const t = raw.trim();
    if (t === '' || t.startsWith('!') || t === 'end' || t === 'exit-address-family') continue;
    if (/^(Building configuration|Current configuration|Last configuration change|NVRAM config last updated)/.test(t)) continue;
    const indent = raw.length - raw.trimStart().length;
    while ((stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const node: IosNode = { line: t.replace(/\s+/g, ' '), children: [] };
    (stack[stack.length - 1]?.node ?? root).children.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

function clone(tree: readonly IosNode[]): IosNode[] {
  return tree.map((n) => ({ line: n.line, children: clone(n.children) }));
}

/** Running with `lines` merged, as the device would leave it. */
export function mergeLines(running: readonly IosNode[], lines: readonly ConfigLine[]): IosNode[] {
  const tree = clone(running);
  const levels: IosNode[][] = [tree];
  for (const l of lines) {
    levels.length = l.depth + 1;
    const level = levels[l.depth] as IosNode[];
    if (l.text.startsWith('no ')) {
      const target = l.text.slice(3);
      const key = keyOf(target);
      for (let i = level.length - 1; i >= 0; i--) {
        const n = level[i] as IosNode;
        if (n.line === target || (n.children.length === 0 && key !== target && keyOf(n.line) === key) || (n.children.length > 0 && n.line.startsWith(`${target} `))) level.splice(i, 1);
      }
      levels.push([]);
      continue;
    }
    if (l.opens) {
      let section = level.find((n) => n.line === l.text);
      if (section === undefined) {
        section = { line: l.text, children: [] };
        level.push(section);
      }
      levels.push(section.children);
      continue;
    }
    const key = keyOf(l.text);
    const at = level.findIndex((n) => n.children.length === 0 && keyOf(n.line) === key);
    if (at >= 0) level[at] = { line: l.text, children: [] };
    else if (!level.some((n) => n.line === l.text)) level.push({ line: l.text, children: [] });
    levels.push([]);
  }
  return tree;
}

/** The change from `before` to `after` as `+`/`-` lines with their enclosing sections for context. */
export function iosDiff(before: readonly IosNode[], after: readonly IosNode[], depth = 0): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(depth);
  const whole = (n: IosNode, mark: string, d: number): void => {
    out.push(`${mark}  ${' '.repeat(d)}${n.line}`);
    for (const c of n.children) whole(c, mark, d + 1);
  };
  const kept = new Set(after.map((n) => n.line));
  for (const n of before) if (!kept.has(n.line)) whole(n, '-', depth);
  for (const n of after) {
    const was = before.find((b) => b.line === n.line);
    if (was === undefined) {
      whole(n, '+', depth);
      continue;
    }
    const inner = iosDiff(was.children, n.children, depth + 1);
    if (inner.length > 0) out.push(`   ${pad}${n.line}`, ...inner);
  }
  return out;
}
