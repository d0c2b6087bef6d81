/**
 * The IOS plan: IOS has no candidate configuration, so the driver computes what the lines would
 * do, in the way ciscoconfparse reads a configuration: `show running-config` parsed into its
 * indentation hierarchy, the lines merged into a copy (a setting replaces the one with the same
 * key, `no …` and `default …` remove, a section line opens or reuses its section), and the two
 * trees compared in the `+`/`-` form IOS-XR's `show commit changes diff` uses. A rollback plan
 * compares running with an archived configuration the same way. The parser reads IOS-XR
 * configurations too (the same indentation, `!` block ends, `end-policy`/`end-set` terminators).
 */
import type { ConfigLine } from './config-input.js';

export interface IosNode {
  readonly line: string;
  children: IosNode[];
  /**
   * Lines kept verbatim and compared as one with `line`: a multi-line banner's text and its
   * closing delimiter. A banner is changed whole or not at all.
   */
  readonly text?: readonly string[];
}

/**
 * Settings a new value replaces (the key is the matched prefix); any other line is keyed by
 * itself, so it adds beside lines like it (`network`, `ip route`, `logging host`).
 */
const KEYED: readonly RegExp[] = [
  /^(hostname)\b/, /^(description)\b/, /^(mtu)\b/, /^(ip mtu)\b/, /^(ipv6 mtu)\b/, /^(router-id)\b/, /^(bgp router-id)\b/,
  /^(ip address)\b(?!.*\bsecondary$)/, /^(ipv4 address)\b(?!.*\bsecondary$)/, /^(bandwidth)\b/, /^(speed)\b/, /^(duplex)\b/,
  /^(shutdown)$/, /^(path)\b/, /^(maximum)\b/, /^(time-period)\b/, /^(exec-timeout)\b/, /^(encapsulation dot1q)\b/i,
  /^(snmp-server location)\b/, /^(snmp-server contact)\b/, /^(snmp-server community \S+)/, /^(ip domain name)\b/,
  /^(ip domain-name)\b/, /^(domain name)\b/, /^(enable secret)\b/, /^(enable password)\b/, /^(auto-cost reference-bandwidth)\b/,
  /^(cost)\b/, /^(ip ospf cost)\b/, /^(ip ospf network)\b/, /^(ip ospf priority)\b/, /^(ip ospf hello-interval)\b/,
  /^(ip ospf dead-interval)\b/, /^(ip ospf \d+ area)\b/, /^(secret)\b/, /^(password)\b/, /^(clock timezone)\b/,
  /^(transport input)\b/, /^(username \S+)/, /^(vrf)\b/, /^(vrf forwarding)\b/, /^(ip vrf forwarding)\b/, /^(network)\b(?! \d)/,
  /^(neighbor \S+ remote-as)\b/, /^(neighbor \S+ description)\b/, /^(neighbor \S+ update-source)\b/, /^(remote-as)\b/,
  /^(update-source)\b/, /^(logging buffered)\b/, /^(switchport mode)\b/, /^(switchport access vlan)\b/, /^(ntp source)\b/,
];

function keyOf(line: string): string {
  for (const re of KEYED) {
    const m = re.exec(line);
    if (m !== null) return (m[1] as string).toLowerCase();
  }
  return line;
}

/** Interface types as running-config spells them, for the short forms people type (`int gi0/1`). */
const INTERFACE_TYPES = [
  'GigabitEthernet', 'TenGigabitEthernet', 'TwentyFiveGigE', 'FortyGigabitEthernet', 'HundredGigE', 'FastEthernet', 'Ethernet',
  'Loopback', 'Port-channel', 'Tunnel', 'Vlan', 'Bundle-Ether', 'MgmtEth', 'Serial', 'BDI', 'Null',
];

/**
 * A section line as running-config prints it: `int gi0/1` is `interface GigabitEthernet0/1`.
 * Only the `interface` keyword and a unique prefix of an interface type are expanded; anything
 * else is kept as typed.
 */
export function canonicalSection(line: string): string {
  const m = /^(\S+)\s+([A-Za-z][A-Za-z-]*)(\d\S*)(.*)$/.exec(line);
  if (m === null) return line;
  const [, keyword = '', type = '', number = '', rest = ''] = m;
  if (keyword.length < 3 || !'interface'.startsWith(keyword.toLowerCase())) return line;
  const lower = type.toLowerCase();
  const exact = INTERFACE_TYPES.find((t) => t.toLowerCase() === lower);
  const prefixed = INTERFACE_TYPES.filter((t) => t.toLowerCase().startsWith(lower));
  const full = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  return `interface ${full ?? type}${number}${rest}`;
}

/** Lines a show running-config prints before the configuration (IOS and IOS-XR). */
const HEADER =
  /^(?:Building configuration|Current configuration\s*:|Last configuration change|NVRAM config last updated|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d+ \d+:\d+:\d+)/;

/** IOS-XR closes these blocks with a line at the block's own indent. */
const TERMINATOR = /^end-(?:policy|set|group|if)$/;

/** A banner's first line: its type, then the delimiter (`^C` as show running-config prints it, or one character). */
const BANNER = /^banner\s+\S+\s+(\^C|\S)(.*)$/;

/**
 * `show running-config` text (or a configuration file) → its hierarchy. Header lines, `!`
 * separators, `end` and `exit-address-family` are not configuration; a banner is one node with
 * its text; an IOS-XR `end-policy` is the last child of its block.
 */
export function parseIosConfig(text: string): IosNode[] {
  const root: IosNode = { line: '', children: [] };
  const stack: { indent: number; node: IosNode }[] = [{ indent: -1, node: root }];
  const lines = text.split(/\r?\n/);
  let started = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/\s+$/, '');
    const t = raw.trim();
    if (t === '' || t.startsWith('!') || t === 'exit-address-family') continue;
    if (!started && HEADER.test(t)) continue;
    started = true;
    const indent = raw.length - raw.trimStart().length;
    if (indent === 0 && t === 'end') break;
    if (indent === 0 && TERMINATOR.test(t)) {
      root.children[root.children.length - 1]?.children.push({ line: t, children: [] });
      stack.length = 1;
      continue;
    }
    while ((stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const parent = (stack[stack.length - 1]?.node ?? root).children;
    const banner = BANNER.exec(t);
    if (banner !== null) {
      const [, delimiter = '', after = ''] = banner;
      const body: string[] = [];
      // The text ends at the next delimiter: on this line, or on a later one.
      if (!after.includes(delimiter)) {
        while (++i < lines.length) {
          const next = (lines[i] as string).replace(/\s+$/, '');
          body.push(next);
          if (next.includes(delimiter)) break;
        }
      }
      parent.push({ line: t, children: [], text: body });
      continue;
    }
    const node: IosNode = { line: t.replace(/\s+/g, ' '), children: [] };
    parent.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

function clone(tree: readonly IosNode[]): IosNode[] {
  return tree.map((n) => ({ ...n, children: clone(n.children) }));
}

/** Negations IOS never prints (the default they restore is not shown either). */
const SILENT_NEGATIONS = new Set(['shutdown']);

/** Whether `line` is `target` or `target` followed by more words: what `no target` removes. */
function covers(target: string, line: string): boolean {
  return line === target || line.startsWith(`${target} `);
}

/**
 * Running with `lines` merged, as the device would leave it:
 *  - a section line opens the section of that name (`int gi0/1` is `interface GigabitEthernet0/1`), or adds it;
 *  - a setting replaces the one with the same key (`ip ospf cost 20` replaces `ip ospf cost 10`),
 *    or removes a printed negation of itself (`ip domain lookup` removes `no ip domain lookup`), or is added;
 *  - `no X` and `default X` remove every line and section that is X or starts with X (`no ip ospf
 *    cost` removes ` ip ospf cost 10`, `no router ospf 1` the whole section); a `no X` that removes
 *    nothing is added, since IOS prints negated defaults (`no ip domain lookup`), unless IOS never
 *    prints it (`no shutdown`).
 */
export function mergeLines(running: readonly IosNode[], lines: readonly ConfigLine[]): IosNode[] {
  const tree = clone(running);
  const levels: IosNode[][] = [tree];
  for (const l of lines) {
    levels.length = Math.min(levels.length, l.depth + 1);
    const level = levels[levels.length - 1] as IosNode[];
    const negation = /^(no|default)\s+(.+)$/.exec(l.text);
    if (negation !== null) {
      const [, verb, target = ''] = negation;
      const canonical = canonicalSection(target);
      let removed = false;
      for (let i = level.length - 1; i >= 0; i--) {
        const n = level[i] as IosNode;
        if (covers(target, n.line) || covers(canonical, n.line)) {
          level.splice(i, 1);
          removed = true;
        }
      }
      const printed = `no ${target}`;
      if (verb === 'no' && !removed && !SILENT_NEGATIONS.has(target) && !level.some((n) => n.line === printed)) {
        level.push({ line: printed, children: [] });
      }
      levels.push([]);
      continue;
    }
    if (l.opens) {
      const name = canonicalSection(l.text);
      let section = level.find((n) => n.line === name);
      if (section === undefined) {
        section = { line: name, children: [] };
        level.push(section);
      }
      levels.push(section.children);
      continue;
    }
    const negated = level.findIndex((n) => n.line === `no ${l.text}`);
    if (negated >= 0) {
      level.splice(negated, 1);
    } else {
      const key = keyOf(l.text);
      const at = level.findIndex((n) => n.children.length === 0 && n.text === undefined && keyOf(n.line) === key);
      if (at >= 0) level[at] = { line: l.text, children: [] };
      else if (!level.some((n) => n.line === l.text)) level.push({ line: l.text, children: [] });
    }
    levels.push([]);
  }
  return tree;
}

/** What makes two nodes at one level the same one: the line, and a banner's text. */
function identity(n: IosNode): string {
  return n.text === undefined ? n.line : `${n.line}\n${n.text.join('\n')}`;
}

/**
 * The change from `before` to `after` as `+`/`-` lines with their enclosing sections for context:
 * a mark, two spaces, one space of indent per level (`+   ip ospf cost 20` under `   interface
 * Ethernet0/1`). Removed lines come before added ones at each level; a banner's text is shown one
 * level below its `banner` line.
 */
export function iosDiff(before: readonly IosNode[], after: readonly IosNode[], depth = 0): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(depth);
  const whole = (n: IosNode, mark: string, d: number): void => {
    out.push(`${mark}  ${' '.repeat(d)}${n.line}`);
    for (const t of n.text ?? []) out.push(`${mark}  ${' '.repeat(d + 1)}${t}`);
    for (const c of n.children) whole(c, mark, d + 1);
  };
  const after1 = new Map(after.map((n) => [identity(n), n]));
  const before1 = new Map(before.map((n) => [identity(n), n]));
  for (const n of before) if (!after1.has(identity(n))) whole(n, '-', depth);
  for (const n of after) {
    const was = before1.get(identity(n));
    if (was === undefined) {
      whole(n, '+', depth);
      continue;
    }
    const inner = iosDiff(was.children, n.children, depth + 1);
    if (inner.length > 0) out.push(`   ${pad}${n.line}`, ...inner);
  }
  return out;
}
