/**
 * The EOS configuration model of the simulator: a tree of lines (`interface Ethernet1` holding
 * `   description …`), edited one CLI line at a time in a mode context the way EOS does (a line
 * not valid in the current mode falls back to the parent mode), rendered as `show running-config`
 * prints it (three-space indents, `!` between sections, a canonical order), and diffed in the
 * unified form `show session-config diffs` prints.
 */
import { structuredPatch } from 'diff';

export interface ConfigNode {
  line: string;
  children: ConfigNode[];
}

/** A failed configuration line: the message EOS gives in `errors`. */
export class ConfigLineError extends Error {}

export function cloneTree(tree: readonly ConfigNode[]): ConfigNode[] {
  return tree.map((n) => ({ line: n.line, children: cloneTree(n.children) }));
}

/** Parses `show running-config` text (indent-structured; `!` lines and `end` ignored). */
export function parseConfig(text: string): ConfigNode[] {
  const root: ConfigNode = { line: '', children: [] };
  const stack: { indent: number; node: ConfigNode }[] = [{ indent: -1, node: root }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('!') || trimmed === 'end') continue;
    const indent = line.length - line.trimStart().length;
    while ((stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const parent = stack[stack.length - 1]?.node ?? root;
    const node = { line: trimmed, children: [] };
    parent.children.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

/** The configuration as lines a CLI would accept in order (depth-first, `exit` closing each mode). */
export function configCommands(tree: readonly ConfigNode[]): string[] {
  const out: string[] = [];
  for (const n of tree) {
    out.push(n.line);
    if (n.children.length > 0) {
      out.push(...configCommands(n.children));
      out.push('exit');
    }
  }
  return out;
}

// Top-level words: anything else at the root is invalid input. A word here is also what makes a
// line typed inside a mode fall back to the root (unless that mode accepts the word itself).
const ROOT_WORDS = new Set([
  'aaa', 'agent', 'alias', 'banner', 'clock', 'daemon', 'dns', 'enable', 'errdisable', 'event-handler', 'hardware',
  'hostname', 'interface', 'ip', 'ipv6', 'lldp', 'logging', 'mac', 'management', 'mlag', 'mpls', 'ntp', 'peer-filter',
  'platform', 'policy-map', 'class-map', 'queue-monitor', 'radius-server', 'route-map', 'router', 'service', 'snmp-server',
  'spanning-tree', 'tacacs-server', 'transceiver', 'username', 'vlan', 'vrf', 'prefix-list',
]);

/** Lines that open a mode at the root (first words), with the words each mode accepts. */
const ROOT_MODES: readonly { readonly match: RegExp; readonly words: ReadonlySet<string> | 'any' }[] = [
  {
    match: /^interface \S+$/,
    words: new Set([
      'description', 'shutdown', 'mtu', 'ip', 'ipv6', 'switchport', 'speed', 'channel-group', 'mac', 'isis', 'load-interval',
      'bfd', 'vrf', 'encapsulation', 'lacp', 'spanning-tree', 'logging', 'arp', 'mpls', 'pim', 'service-policy', 'autostate',
      'negotiation', 'error-correction', 'flowcontrol', 'storm-control', 'vxlan', 'mlag', 'dhcp', 'ptp', 'sflow', 'lldp',
    ]),
  },
  {
    match: /^router ospf \d+( vrf \S+)?$/,
    words: new Set([
      'router-id',
      'network',
      'passive-interface',
      'max-lsa',
      'area',
      'redistribute',
      'auto-cost',
      'default-information',
      'distance',
      'maximum-paths',
      'log-adjacency-changes',
      'timers',
      'bfd',
      'shutdown',
      'graceful-restart',
    ]),
  },
  {
    match: /^router bgp \d+(\.\d+)?$/,
    words: new Set([
      'router-id',
      'neighbor',
      'network',
      'redistribute',
      'maximum-paths',
      'timers',
      'bgp',
      'address-family',
      'vrf',
      'distance',
      'graceful-restart',
      'shutdown',
      'rd',
      'route-target',
      'update',
    ]),
  },
  { match: /^router \S+/, words: 'any' },
  { match: /^management \S+/, words: 'any' },
  { match: /^vlan [\d,-]+$/, words: new Set(['name', 'state', 'trunk']) },
  { match: /^vrf instance \S+$/, words: new Set(['description', 'rd']) },
  { match: /^route-map \S+ (permit|deny) \d+$/, words: new Set(['match', 'set', 'continue', 'description']) },
  { match: /^(ip|ipv6|mac) access-list \S+/, words: 'any' },
  { match: /^(daemon|event-handler|policy-map|class-map|peer-filter|mlag configuration) /, words: 'any' },
  { match: /^(spanning-tree mst configuration|aaa group server \S+ \S+)$/, words: 'any' },
];

/** Lines that open a mode inside another mode. */
const SUB_MODES: readonly RegExp[] = [/^address-family \S+( \S+)?$/, /^vrf \S+$/, /^protocol \S+$/, /^transport \S+$/, /^api http-commands$/];

/** How many leading words make a line's identity: a second line with the same key replaces the first. */
const KEYS: readonly [RegExp, number][] = [
  [/^(hostname|description|mtu|router-id|speed|name|max-lsa|maximum-paths|load-interval|state|rd|idle-timeout|distance) /, 1],
  [/^ip address \S+$/, 2],
  [/^ip ospf (area|network|cost|priority|hello-interval|dead-interval) /, 3],
  [/^(switchport mode|switchport access|auto-cost reference-bandwidth|spanning-tree mode|clock timezone|ip domain-name|bgp router-id|channel-group) /, 2],
  [/^switchport access vlan /, 3],
  [/^(username|vrf) \S+ /, 2],
  [/^ntp server (vrf \S+ )?\S+/, 0],
  [/^neighbor \S+ \S+/, 3],
  [/^(logging host|snmp-server community) \S+/, 3],
];

function keyOf(line: string): string {
  for (const [re, words] of KEYS) {
    if (!re.test(line)) continue;
    if (words === 0) return (re.exec(line) as RegExpExecArray)[0];
    return line.split(' ').slice(0, words).join(' ');
  }
  return line;
}

/** Statements whose negation EOS keeps in the running-config (the default is on). */
const STORED_NEGATIONS = [/^switchport$/, /^aaa root$/, /^autostate$/, /^ip routing$/];

function isPhysical(line: string): boolean {
  return /^interface (Ethernet|Management)\d/.test(line);
}

function wordOf(line: string): string {
  const words = line.split(' ');
  return (words[0] === 'no' || words[0] === 'default' ? words[1] : words[0]) ?? '';
}

/** `ip …` / `ipv6 …` statements that exist only at the root, though `ip` also starts interface statements. */
const ROOT_ONLY =
  /^(no |default )?(ip (routing|route|prefix-list|access-list|name-server|domain-name|domain|host|community-list|as-path|multicast-routing|load-sharing|ftp|tftp|http|ssh)|ipv6 (unicast-routing|route|prefix-list|access-list))\b/;

function acceptsIn(modeLine: string, depth: number, line: string): boolean {
  const word = wordOf(line);
  if (depth === 0) return true;
  if (ROOT_ONLY.test(line)) return false;
  if (SUB_MODES.some((re) => re.test(line))) return true;
  const mode = ROOT_MODES.find((m) => m.match.test(modeLine));
  if (mode === undefined || mode.words === 'any') return !ROOT_WORDS.has(word) || word === 'ip' || word === 'ipv6';
  return mode.words.has(word);
}

/** True for a line that opens a mode (a section, printed with `!` around it even when empty). */
export function opensMode(line: string, depth: number): boolean {
  if (depth === 0) return ROOT_MODES.some((m) => m.match.test(line));
  return SUB_MODES.some((re) => re.test(line));
}

/**
 * One configuration editing context (a configure terminal or a session): the tree being edited and
 * the mode path. `apply` takes one CLI line as typed; it throws ConfigLineError with EOS's message.
 */
export class ConfigEditor {
  /** Mode path: the nodes entered, outermost first. */
  #path: ConfigNode[] = [];

  constructor(readonly tree: ConfigNode[]) {}

  get depth(): number {
    return this.#path.length;
  }

  /** `exit`: leaves one mode; false at the root (the caller leaves configuration mode). */
  exit(): boolean {
    if (this.#path.length === 0) return false;
    this.#path.pop();
    return true;
  }

  apply(typed: string): void {
    const line = typed.trim().replace(/\s+/g, ' ');
    if (line === '') return;
    // Fall back to parent modes until one accepts the line (EOS' rule for leaving a mode implicitly).
    while (this.#path.length > 0 && !acceptsIn(this.#path[0]?.line ?? '', this.#path.length, line)) this.#path.pop();
    const depth = this.#path.length;
    if (depth === 0 && !ROOT_WORDS.has(wordOf(line))) {
      throw new ConfigLineError(`Invalid input (at token ${line.startsWith('no ') || line.startsWith('default ') ? 1 : 0}: '${wordOf(line)}')`);
    }
    const siblings = depth === 0 ? this.tree : (this.#path[depth - 1] as ConfigNode).children;
    const modeLine = this.#path[0]?.line ?? '';
    if (line.startsWith('no ') || line.startsWith('default ')) {
      this.#negate(siblings, line, modeLine);
      return;
    }
    if (opensMode(line, depth)) {
      let node = siblings.find((n) => n.line === line);
      if (node === undefined) {
        node = { line, children: [] };
        siblings.push(node);
      }
      this.#path.push(node);
      return;
    }
    this.#set(siblings, line, modeLine);
  }

  #set(siblings: ConfigNode[], line: string, modeLine: string): void {
    if (line === 'shutdown' && modeLine.startsWith('management api')) {
      remove(siblings, (n) => n.line === 'no shutdown');
      return;
    }
    remove(siblings, (n) => n.line === `no ${line}`);
    const key = keyOf(line);
    const at = siblings.findIndex((n) => n.children.length === 0 && keyOf(n.line) === key);
    if (at >= 0) siblings[at] = { line, children: [] };
    else siblings.push({ line, children: [] });
  }

  #negate(siblings: ConfigNode[], line: string, modeLine: string): void {
    const stored = line.startsWith('no ');
    const rest = line.replace(/^(no|default) /, '');
    if (rest === 'shutdown' && modeLine.startsWith('management api')) {
      if (stored && !siblings.some((n) => n.line === 'no shutdown')) siblings.push({ line: 'no shutdown', children: [] });
      return;
    }
    const matches = (n: ConfigNode): boolean => n.line === rest || n.line.startsWith(`${rest} `) || (keyOf(rest) !== rest && keyOf(n.line) === keyOf(rest));
    const physical = siblings.filter((n) => matches(n) && isPhysical(n.line));
    for (const n of physical) n.children = [];
    const removed = remove(siblings, (n) => matches(n) && !isPhysical(n.line));
    if (removed === 0 && physical.length === 0 && stored && STORED_NEGATIONS.some((re) => re.test(rest)) && !siblings.some((n) => n.line === line)) {
      siblings.push({ line, children: [] });
    }
  }
}

function remove(list: ConfigNode[], pred: (n: ConfigNode) => boolean): number {
  let removed = 0;
  for (let i = list.length - 1; i >= 0; i--) {
    if (pred(list[i] as ConfigNode)) {
      list.splice(i, 1);
      removed++;
    }
  }
  return removed;
}

/** Top-level order as EOS prints it; lines not listed sit just before `interface`. */
const ROOT_ORDER = [
  'no aaa root', 'service', 'transceiver', 'agent', 'logging', 'hostname', 'ip name-server', 'ip domain-name', 'dns', 'ntp',
  'snmp-server', 'radius-server', 'tacacs-server', 'spanning-tree', 'aaa', 'username', 'enable', 'clock', 'vlan', 'vrf',
  '*', 'interface', 'ip access-list', 'ipv6 access-list', 'ip routing', 'no ip routing', 'ipv6 unicast-routing',
  'ip prefix-list', 'ip route', 'ipv6 route', 'route-map', 'router', 'management',
];

function rank(line: string): number {
  let best = -1;
  let bestLen = -1;
  ROOT_ORDER.forEach((p, i) => {
    if ((line === p || line.startsWith(`${p} `)) && p.length > bestLen) {
      best = i;
      bestLen = p.length;
    }
  });
  return best >= 0 ? best : ROOT_ORDER.indexOf('*');
}

const natural = new Intl.Collator('en', { numeric: true });

/** Top-level sections in EOS' order: by kind, then naturally by name (Ethernet2 before Ethernet10). */
function ordered(tree: readonly ConfigNode[]): ConfigNode[] {
  return tree
    .map((n, i) => ({ n, i }))
    .sort((a, b) => {
      const ra = rank(a.n.line);
      const rb = rank(b.n.line);
      if (ra !== rb) return ra - rb;
      if (a.n.children.length > 0 || b.n.children.length > 0 || /^(interface|vlan|router) /.test(a.n.line)) {
        return natural.compare(a.n.line, b.n.line);
      }
      return a.i - b.i;
    })
    .map((x) => x.n);
}

function renderChildren(children: readonly ConfigNode[], indent: string, out: string[]): void {
  for (const c of children) {
    if (c.children.length > 0) out.push(`${indent}!`);
    out.push(`${indent}${c.line}`);
    renderChildren(c.children, `${indent}   `, out);
  }
}

/** The body of `show running-config`: sections separated by `!`, ending in `end`. */
export function renderConfig(tree: readonly ConfigNode[]): string {
  const out: string[] = [];
  let previousWord: string | undefined;
  for (const n of ordered(tree)) {
    const word = n.line.split(' ')[0];
    const section = n.children.length > 0 || opensMode(n.line, 0);
    // Consecutive one-line statements of the same kind (usernames, ntp servers, routes) share a block.
    if (section || word !== previousWord) out.push('!');
    out.push(n.line);
    renderChildren(n.children, '   ', out);
    previousWord = section ? undefined : word;
  }
  out.push('!', 'end');
  return `${out.join('\n')}\n`;
}

/** `show running-config` in JSON: EOS' nested `cmds` objects. */
export function configJson(tree: readonly ConfigNode[]): Record<string, unknown> {
  const cmds = (nodes: readonly ConfigNode[]): Record<string, unknown> =>
    Object.fromEntries(nodes.map((n) => [n.line, n.children.length === 0 ? null : { cmds: cmds(n.children), comments: [] }]));
  return { cmds: cmds(ordered(tree)), comments: [], header: [] };
}

/**
 * The unified diff EOS prints for a session: `--- system:/running-config` /
 * `+++ session:/<name>-session-config`, hunks with three lines of context; '' when equal.
 */
export function sessionDiff(running: string, session: string, sessionName: string): string {
  if (running === session) return '';
  const patch = structuredPatch('system:/running-config', `session:/${sessionName}-session-config`, running, session, '', '', { context: 3 });
  if (patch.hunks.length === 0) return '';
  const out = [`--- system:/running-config`, `+++ session:/${sessionName}-session-config`];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines.filter((l) => !l.startsWith('\\')));
  }
  return `${out.join('\n')}\n`;
}
