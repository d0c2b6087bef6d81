/**
 * The configuration model shared by the IOS and IOS-XR simulators: an indentation hierarchy of
 * lines (`interface X` → ` description y`), a per-platform schema of which lines open a section
 * (a submode) and which are settings, and the edit operations the CLI performs when a line is
 * typed in configuration mode. Edits are recorded with the path they resolved to, so a
 * configuration session (XR's target configuration) can be replayed on top of whatever is running
 * when it commits.
 */

export interface ConfigNode {
  readonly line: string;
  children: ConfigNode[];
}

/** A submode: which lines open a nested section, which are settings. */
export interface ModeSpec {
  readonly name: string;
  readonly sections: readonly { readonly match: RegExp; readonly mode: ModeSpec }[];
  readonly leaves: RegExp;
}

/** An edit as recorded: the section path it applies under, and the line (a `no` line removes). */
export interface ConfigEdit {
  readonly path: readonly string[];
  readonly line: string;
  readonly section: boolean;
}

/** Lines whose key is a prefix (a new value replaces the old); anything else is keyed by the whole line. */
const SINGLE_VALUE: readonly RegExp[] = [
  /^(hostname)\b/, /^(description)\b/, /^(mtu)\b/, /^(router-id)\b/, /^(ip address)\b/, /^(ipv4 address)\b/,
  /^(bandwidth)\b/, /^(speed)\b/, /^(duplex)\b/, /^(shutdown)$/, /^(path)\b/, /^(maximum)\b/, /^(time-period)\b/,
  /^(exec-timeout)\b/, /^(snmp-server location)\b/, /^(snmp-server contact)\b/, /^(ip domain name)\b/, /^(domain name)\b/,
  /^(enable secret)\b/, /^(enable password)\b/, /^(auto-cost reference-bandwidth)\b/, /^(cost)\b/, /^(ip ospf cost)\b/,
  /^(secret)\b/, /^(password)\b/, /^(clock timezone)\b/, /^(transport input)\b/, /^(username \S+)\b/, /^(vrf)\b/,
  /^(network)\b(?! \d)/, /^(neighbor \S+ remote-as)\b/, /^(logging buffered)\b/, /^(banner motd)\b/,
];

export function keyOf(line: string): string {
  for (const re of SINGLE_VALUE) {
    const m = re.exec(line);
    if (m !== null) return m[1] as string;
  }
  return line;
}

const normal = (line: string): string => line.trim().replace(/\s+/g, ' ');

/** Parses `show running-config` text: indentation is the hierarchy; `!`, `end` and banner lines are not configuration. */
export function parseConfig(text: string): ConfigNode[] {
  const root: ConfigNode = { line: '', children: [] };
  const stack: { indent: number; node: ConfigNode }[] = [{ indent: -1, node: root }];
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('!') || trimmed === 'end' || trimmed === 'exit-address-family') continue;
    if (/^(Building configuration|Current configuration)/.test(trimmed)) continue;
    const indent = raw.length - raw.trimStart().length;
    while ((stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const node: ConfigNode = { line: normal(trimmed), children: [] };
    (stack[stack.length - 1]?.node ?? root).children.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

export function cloneTree(tree: readonly ConfigNode[]): ConfigNode[] {
  return tree.map((n) => ({ line: n.line, children: cloneTree(n.children) }));
}

export function treesEqual(a: readonly ConfigNode[], b: readonly ConfigNode[]): boolean {
  return a.length === b.length && a.every((n, i) => n.line === b[i]?.line && treesEqual(n.children, b[i]?.children ?? []));
}

/** The section at `path` under `tree`, created (appended) where missing. */
function sectionAt(tree: ConfigNode[], path: readonly string[]): ConfigNode[] {
  let level = tree;
  for (const line of path) {
    let node = level.find((n) => n.line === line);
    if (node === undefined) {
      node = { line, children: [] };
      level.push(node);
    }
    level = node.children;
  }
  return level;
}

/** Applies one recorded edit to `tree` (in place). */
export function applyEdit(tree: ConfigNode[], edit: ConfigEdit): void {
  const level = sectionAt(tree, edit.path);
  const line = normal(edit.line);
  if (line.startsWith('no ')) {
    const target = line.slice(3);
    const key = keyOf(target);
    for (let i = level.length - 1; i >= 0; i--) {
      const n = level[i] as ConfigNode;
      if (
        n.line === target ||
        (n.children.length === 0 && keyOf(n.line) === key && key !== n.line) ||
        (n.line.startsWith(`${target} `) && n.children.length > 0)
      ) {
        level.splice(i, 1);
      }
    }
    return;
  }
  if (edit.section) {
    sectionAt(level, [line]);
    return;
  }
  const key = keyOf(line);
  const at = level.findIndex((n) => n.children.length === 0 && keyOf(n.line) === key);
  if (at >= 0) level[at] = { line, children: [] };
  else level.push({ line, children: [] });
}

/** Where a typed configuration line goes, given the open sections: the level it belongs to and whether it opens a section. */
export interface Placement {
  /** How many of the open sections stay open (the line goes under the last of them). */
  readonly depth: number;
  readonly section: ModeSpec | undefined;
}

/**
 * Places `line` (trimmed) given the open modes (root first): the innermost mode that knows the
 * line wins, as the CLI falls back to the parent modes. Undefined when no open mode knows it.
 */
export function place(modes: readonly ModeSpec[], line: string): Placement | undefined {
  const target = line.startsWith('no ') ? line.slice(3) : line;
  for (let depth = modes.length - 1; depth >= 0; depth--) {
    const mode = modes[depth] as ModeSpec;
    const section = mode.sections.find((s) => s.match.test(target));
    if (section !== undefined) return { depth, section: line.startsWith('no ') ? undefined : section.mode };
    if (mode.leaves.test(target)) return { depth, section: undefined };
  }
  return undefined;
}

export type RenderStyle = 'ios' | 'xr';

/** Configuration text: one space of indent per level; XR closes every section with `!`, IOS separates top-level blocks with `!`. */
export function renderTree(tree: readonly ConfigNode[], style: RenderStyle): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly ConfigNode[], depth: number): void => {
    for (const n of nodes) {
      const pad = ' '.repeat(depth);
      if (style === 'ios' && depth === 0 && n.children.length > 0 && out[out.length - 1] !== '!') out.push('!');
      out.push(`${pad}${n.line}`);
      walk(n.children, depth + 1);
      if (n.children.length > 0) {
        if (style === 'xr') out.push(`${pad}!`);
        else if (depth === 0) out.push('!');
        else if (/^address-family\b/.test(n.line)) out.push(`${pad} exit-address-family`);
      }
    }
  };
  walk(tree, 0);
  return out;
}

/**
 * The difference between two trees in IOS-XR's `show commit changes diff` form: `+` added, `-`
 * removed, three spaces for the unchanged sections around a change, each section closed with `!`.
 */
export function diffLines(before: readonly ConfigNode[], after: readonly ConfigNode[], depth = 0): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(depth);
  const whole = (n: ConfigNode, mark: string, d: number): void => {
    out.push(`${mark}  ${' '.repeat(d)}${n.line}`);
    for (const c of n.children) whole(c, mark, d + 1);
    if (n.children.length > 0) out.push(`${mark}  ${' '.repeat(d)}!`);
  };
  const afterLines = new Set(after.map((n) => n.line));
  for (const n of before) if (!afterLines.has(n.line)) whole(n, '-', depth);
  for (const n of after) {
    const was = before.find((b) => b.line === n.line);
    if (was === undefined) {
      whole(n, '+', depth);
      continue;
    }
    const inner = diffLines(was.children, n.children, depth + 1);
    if (inner.length > 0) out.push(`   ${pad}${n.line}`, ...inner, `   ${pad}!`);
  }
  return out;
}
