/**
 * FRR configuration as frr-reload.py sees it: a list of contexts (`interface eth1`, `router ospf`,
 * `route-map X permit 10`, nested `address-family` blocks), each holding its lines; top-level
 * one-line statements are contexts of their own with no lines. Two configs are compared context by
 * context, giving the lines to delete and to add, from which the vtysh commands are built.
 */

/** A context key: its header lines, outermost first (`[]` for top-level statements). */
export interface Context {
  readonly path: readonly string[];
  readonly lines: string[];
}

export interface FrrConfig {
  /** In order of first appearance. */
  readonly contexts: readonly Context[];
}

/** Lines that describe the daemon or the file rather than configuration: never diffed. */
const IGNORED = [/^frr version\b/, /^frr defaults\b/, /^service integrated-vtysh-config$/, /^end$/, /^!/, /^Building configuration/, /^Current configuration/];
/** Lines that close a context. */
const CLOSERS = /^(exit|exit-address-family|exit-vrf|exit-vnc|quit|end)$/;
/** Top-level lines that open a context even when nothing indented follows (a user's unindented text). */
const OPENERS =
  /^(interface|router|route-map|vrf|key chain|line vty|bfd|segment-routing|mpls ldp|pseudowire|nexthop-group|pbr-map|rpki|debug route-map|ip vrf|l2vpn|srv6)\b/;
const SUB_OPENERS = /^(address-family|vni|peer|profile|key \d+|segment-list|policy|traffic-eng|srv6|locators|locator|interface)\b/;
/** Contexts that exist because the kernel does: their lines are deleted one by one, never the context. */
const KEEP_CONTEXT = /^interface\s/;

const depthOf = (raw: string) => raw.length - raw.trimStart().length;

/**
 * Parses `show running-config` output or a user's vtysh-syntax config text (`userText`: then a
 * context whose lines are not indented is refused, since the parse would misplace them).
 */
export function parseFrrConfig(text: string, opts: { userText?: boolean } = {}): FrrConfig {
  const contexts: Context[] = [];
  const byKey = new Map<string, Context>();
  const get = (path: readonly string[]): Context => {
    const key = path.join('\n');
    let ctx = byKey.get(key);
    if (ctx === undefined) {
      ctx = { path: [...path], lines: [] };
      byKey.set(key, ctx);
      contexts.push(ctx);
    }
    return ctx;
  };
  let stack: { header: string; depth: number }[] = [];
  const rawLines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < rawLines.length; i++) {
    const raw = (rawLines[i] as string).replace(/\s+$/, '');
    const line = raw.trim();
    const depth = depthOf(raw);
    // `!` at the left margin separates contexts (FRR 7 prints no `exit`).
    if (line.startsWith('!') && depth === 0) stack = [];
    if (line === '' || IGNORED.some((re) => re.test(line))) continue;
    if (CLOSERS.test(line)) {
      stack = stack.slice(0, -1);
      continue;
    }
    // Leaving indentation closes the contexts opened deeper than this line.
    while (stack.length > 0 && depth <= (stack[stack.length - 1] as { depth: number }).depth) {
      const closed = stack[stack.length - 1] as { header: string; depth: number };
      const body = get(stack.map((s) => s.header));
      if (
        opts.userText === true &&
        depth === 0 &&
        stack.length === 1 &&
        body.lines.length === 0 &&
        !OPENERS.test(line) &&
        !byKey.has([closed.header, line].join('\n'))
      ) {
        const bodyFollows = !contexts.some((c) => c.path.length > 1 && c.path[0] === closed.header);
        if (bodyFollows)
          throw new FrrConfigError(
            `"${line}" follows "${closed.header}" without indentation: indent the lines of a context by one space, as show running-config does`,
          );
      }
      stack = stack.slice(0, -1);
    }
    const next = rawLines.slice(i + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('!'));
    const opensByIndent = next !== undefined && depthOf(next) > depth && !CLOSERS.test(next.trim());
    const opens = stack.length === 0 ? OPENERS.test(line) || opensByIndent : SUB_OPENERS.test(line) && (opensByIndent || stack.length === 1);
    if (opens) {
      stack.push({ header: line, depth });
      get(stack.map((s) => s.header));
      continue;
    }
    if (stack.length === 0) get([line]);
    else {
      const ctx = get(stack.map((s) => s.header));
      if (!ctx.lines.includes(line)) ctx.lines.push(line);
    }
  }
  return { contexts };
}

export class FrrConfigError extends Error {}

export type Method = 'merge' | 'override';

export interface ContextChange {
  readonly path: readonly string[];
  /** The whole context is new or goes away (top-level statements are contexts with no lines). */
  readonly kind: 'add-context' | 'delete-context' | 'modify';
  readonly add: readonly string[];
  readonly delete: readonly string[];
}

/**
 * What changes when `candidate` is applied to `running`. merge: the candidate's lines are added;
 * its `no X` lines delete X where X is configured. override: the result is exactly the candidate
 * (contexts and lines it lacks are deleted).
 */
export function diffFrrConfig(running: FrrConfig, candidate: FrrConfig, method: Method): ContextChange[] {
  const key = (path: readonly string[]) => path.join('\n');
  const runningBy = new Map(running.contexts.map((c) => [key(c.path), c]));
  const candidateBy = new Map(candidate.contexts.map((c) => [key(c.path), c]));
  const changes: ContextChange[] = [];

  if (method === 'override') {
    for (const ctx of running.contexts) {
      if (candidateBy.has(key(ctx.path))) continue;
      // A nested context goes with its parent; an interface stays and loses its lines.
      const parentGone = ctx.path.length > 1 && !candidateBy.has(key(ctx.path.slice(0, 1)));
      if (parentGone && !KEEP_CONTEXT.test(ctx.path[0] ?? '')) continue;
      if (KEEP_CONTEXT.test(ctx.path[0] ?? '') && ctx.path.length === 1) {
        if (ctx.lines.length > 0) changes.push({ path: ctx.path, kind: 'modify', add: [], delete: [...ctx.lines] });
        continue;
      }
      changes.push({ path: ctx.path, kind: 'delete-context', add: [], delete: [...ctx.lines] });
    }
  }
  for (const ctx of candidate.contexts) {
    const isNegation = ctx.path.length === 1 && ctx.lines.length === 0 && /^no\s/.test(ctx.path[0] ?? '');
    const have = runningBy.get(key(ctx.path));
    if (isNegation) {
      const positive = (ctx.path[0] as string).replace(/^no\s+/, '');
      if (runningBy.has(positive)) changes.push({ path: [positive], kind: 'delete-context', add: [], delete: [] });
      continue;
    }
    const wanted = ctx.lines.filter((l) => !/^no\s/.test(l));
    const negated = ctx.lines.filter((l) => /^no\s/.test(l)).map((l) => l.replace(/^no\s+/, ''));
    if (have === undefined) {
      if (ctx.lines.length === 0 && ctx.path.length === 1 && !OPENERS.test(ctx.path[0] ?? '')) {
        changes.push({ path: ctx.path, kind: 'add-context', add: [], delete: [] });
      } else if (wanted.length > 0 || ctx.lines.length === 0) {
        changes.push({ path: ctx.path, kind: 'add-context', add: wanted, delete: [] });
      }
      continue;
    }
    const add = wanted.filter((l) => !have.lines.includes(l));
    const del = method === 'override'
      ? have.lines.filter((l) => !wanted.includes(l))
      : negated.filter((l) => have.lines.includes(l));
    if (add.length > 0 || del.length > 0) changes.push({ path: ctx.path, kind: 'modify', add, delete: del });
  }
  return changes;
}

/** The diff as people read it: context headers kept as context, `-`/`+` for what goes and comes. */
export function renderFrrDiff(changes: readonly ContextChange[]): string {
  const out: string[] = [];
  for (const change of changes) {
    const indent = (n: number) => ' '.repeat(n);
    const headers = change.path;
    const sign = change.kind === 'add-context' ? '+' : change.kind === 'delete-context' ? '-' : ' ';
    headers.forEach((h, i) => {
      const last = i === headers.length - 1;
      out.push(`${last ? sign : ' '}${indent(i)}${h}`);
    });
    const depth = headers.length;
    for (const line of change.delete) out.push(`-${indent(depth)}${line}`);
    for (const line of change.add) out.push(`+${indent(depth)}${line}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** vtysh commands (for `vtysh -f`) that make the changes: deletions first, as frr-reload does. */
export function changeCommands(changes: readonly ContextChange[]): string {
  const out: string[] = [];
  const enter = (path: readonly string[]) => path.map((h, i) => `${' '.repeat(i)}${h}`);
  const leave = (path: readonly string[]) => path.map((_h, i) => `${' '.repeat(path.length - 1 - i)}${closerFor(path[path.length - 1 - i] as string)}`);
  for (const change of changes) {
    if (change.kind === 'delete-context') {
      const [outer, ...inner] = change.path;
      if (inner.length === 0) out.push(negate(outer as string));
      else
        out.push(
          ...enter(change.path.slice(0, -1)),
          `${' '.repeat(inner.length)}${negate(change.path[change.path.length - 1] as string)}`,
          ...leave(change.path.slice(0, -1)),
        );
    } else if (change.delete.length > 0) {
      out.push(...enter(change.path), ...change.delete.map((l) => `${' '.repeat(change.path.length)}${negate(l)}`), ...leave(change.path));
    }
  }
  for (const change of changes) {
    if (change.kind === 'delete-context' || (change.kind === 'modify' && change.add.length === 0)) continue;
    if (change.path.length === 1 && change.add.length === 0 && change.kind === 'add-context') {
      out.push(change.path[0] as string);
      continue;
    }
    out.push(...enter(change.path), ...change.add.map((l) => `${' '.repeat(change.path.length)}${l}`), ...leave(change.path));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function negate(line: string): string {
  return /^no\s/.test(line) ? line.replace(/^no\s+/, '') : `no ${line}`;
}

function closerFor(header: string): string {
  return /^address-family\b/.test(header) ? 'exit-address-family' : 'exit';
}
