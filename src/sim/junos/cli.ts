/**
 * The `<command>` RPC: parses a Junos CLI line (keywords may be abbreviated to a unique prefix,
 * as the Junos CLI allows), runs it against the device and renders text, XML or JSON.
 * Unknown commands fail like Junos (`syntax error, expecting <command>: foo`).
 */
import { configToJson, configToXml } from './config-xml.js';
import { findPath, pathLevels, renderSetCommands, type ConfigNode } from './config-tree.js';
import type { JunosDevice } from './device.js';
import { prefixContains, reachable } from './oper-state.js';
import { RpcFailure } from './rpc-error.js';
import * as show from './show-output.js';
import { toJunosJson, x, type XNode } from './xml.js';

export type OutputFormat = 'text' | 'xml' | 'json';

/** What a command produces, in every form the `<command>` RPC can return. */
interface CommandOutput {
  /** The RPC this command maps to (`| display xml rpc`). */
  readonly rpc: XNode;
  text(): string;
  /** Undefined: the command has no XML form; its text is sent in `<output>`. */
  xml(): XNode | undefined;
  /** Configuration output: text goes in `<configuration-information><configuration-output>`. */
  readonly config?: { tree: ConfigNode; path: readonly string[]; wrapped: ConfigNode };
}

/** Reply body of a `<command>`: elements, or bare text inside `<rpc-reply>` (JSON, device errors). */
export type CommandReply = { readonly nodes: XNode[] } | { readonly text: string };

interface Spec {
  readonly words: readonly string[];
  readonly run: (args: string[], dev: JunosDevice) => CommandOutput | CommandReply;
}

/** Parsed options: keywords (abbreviable), keywords taking a value, and the rest. */
function options(
  args: readonly string[],
  flags: readonly string[],
  valued: readonly string[],
): { flags: Set<string>; values: Map<string, string>; rest: string[] } {
  const out = { flags: new Set<string>(), values: new Map<string, string>(), rest: [] as string[] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const kw = resolveWord(a, [...flags, ...valued]);
    if (kw !== undefined && valued.includes(kw)) {
      const v = args[i + 1];
      if (v === undefined) throw syntaxError(a, `missing value for ${kw}`);
      out.values.set(kw, v);
      i++;
    } else if (kw !== undefined) {
      out.flags.add(kw);
    } else {
      out.rest.push(a);
    }
  }
  return out;
}

/** The keyword a token stands for: exact, or the only candidate it is a prefix of. */
function resolveWord(token: string, candidates: readonly string[]): string | undefined {
  if (candidates.includes(token)) return token;
  const matches = [...new Set(candidates.filter((c) => c.startsWith(token)))];
  return matches.length === 1 ? matches[0] : undefined;
}

function syntaxError(token: string, message?: string): RpcFailure {
  return new RpcFailure([{ severity: 'error', message: message ?? `syntax error, expecting <command>: ${token}`, badElement: token }]);
}

function noArgs(args: readonly string[]): void {
  if (args.length > 0) throw syntaxError(args[0] as string);
}

function rpc(name: string, ...children: (XNode | null)[]): XNode {
  return x(name, null, children);
}

const SPECS: readonly Spec[] = [
  {
    words: ['show', 'version'],
    run: (args, dev) => {
      const o = options(args, ['brief', 'detail', 'extensive', 'local', 'invoke-on', 'all-routing-engines'], []);
      noArgs(o.rest);
      const allRe = o.flags.has('invoke-on');
      return {
        rpc: rpc('get-software-information', o.flags.has('brief') ? x('brief', null) : null),
        text: () => show.versionText(dev, allRe),
        xml: () => (allRe ? show.softwareInformationAllRe(dev) : show.softwareInformation(dev)),
      };
    },
  },
  {
    words: ['show', 'interfaces'],
    run: (args, dev) => {
      const o = options(args, ['terse', 'brief', 'detail', 'extensive', 'descriptions', 'statistics'], []);
      const name = o.rest[0];
      if (o.rest.length > 1) throw syntaxError(o.rest[1] as string);
      let table = show.interfaceTable(dev.running, dev.neighbors);
      if (name !== undefined) {
        const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
        const phys = table.filter((p) => re.test(p.name));
        const logical = table.flatMap((p) => p.units.filter((u) => re.test(u.name)).map((u) => ({ ...p, units: [u] })));
        table = phys.length > 0 ? phys : logical;
        // Junos answers an unknown interface with bare text in the reply, no rpc-error.
        if (table.length === 0) return { text: `\nerror: device ${name} not found\n` };
      }
      const terse = o.flags.has('terse');
      const request = rpc('get-interface-information', terse ? x('terse', null) : null, name !== undefined ? x('interface-name', null, name) : null);
      if (o.flags.has('descriptions')) {
        return { rpc: request, text: () => show.interfaceDescriptionsText(table), xml: () => show.interfacesXml(dev, table, false) };
      }
      return {
        rpc: request,
        text: () => (terse ? show.interfacesTerseText(table) : show.interfacesDetailText(dev, table)),
        xml: () => show.interfacesXml(dev, table, terse),
      };
    },
  },
  {
    words: ['show', 'ospf', 'neighbor'],
    run: (args, dev) => {
      const o = options(args, ['brief', 'detail', 'extensive'], ['instance', 'area', 'interface']);
      noArgs(o.rest);
      return { rpc: rpc('get-ospf-neighbor-information'), text: () => show.ospfNeighborText(dev), xml: () => show.ospfNeighborXml(dev) };
    },
  },
  {
    words: ['show', 'ospf', 'interface'],
    run: (args, dev) => {
      const o = options(args, ['brief', 'detail', 'extensive'], ['instance', 'area']);
      noArgs(o.rest);
      return { rpc: rpc('get-ospf-interface-information'), text: () => show.ospfInterfaceText(dev), xml: () => show.ospfInterfaceXml(dev) };
    },
  },
  {
    words: ['show', 'route'],
    run: (args, dev) => {
      const o = options(args, ['terse', 'brief', 'detail', 'extensive', 'exact', 'active-path'], ['protocol', 'table', 'next-hop']);
      if (o.rest.length > 1) throw syntaxError(o.rest[1] as string);
      const all = show.routesFor(dev);
      let routes = all;
      const dest = o.rest[0];
      if (dest !== undefined) {
        if (!/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(dest)) throw syntaxError(dest, `invalid destination: ${dest}`);
        if (dest.includes('/') || o.flags.has('exact')) {
          const want = dest.includes('/') ? dest : `${dest}/32`;
          routes = all.filter((r) => r.prefix === want);
        } else {
          const covering = all.filter((r) => prefixContains(r.prefix, dest));
          const longest = Math.max(-1, ...covering.map((r) => Number(r.prefix.split('/')[1])));
          routes = covering.filter((r) => Number(r.prefix.split('/')[1]) === longest);
        }
      }
      const proto = o.values.get('protocol');
      if (proto !== undefined)
        routes = routes.filter((r) => r.protocol.toLowerCase() === proto.toLowerCase() || (proto === 'direct' && r.protocol === 'Direct'));
      return {
        rpc: rpc('get-route-information', dest !== undefined ? x('destination', null, dest) : null, proto !== undefined ? x('protocol', null, proto) : null),
        text: () => show.routeText(routes, all.length),
        xml: () => show.routeXml(dev, routes, all.length),
      };
    },
  },
  {
    words: ['show', 'configuration'],
    run: (args, dev) => {
      const tree = args.length === 0 ? dev.running : findPath(dev.running, args);
      // A path with nothing configured prints nothing, as on Junos.
      if (tree === undefined) return { nodes: [] };
      const levels = pathLevels(dev.running, args);
      // `display set` prefixes the path; a leaf's own words are printed with the leaf.
      const path = (tree.kind === 'leaf' ? levels.slice(0, -1) : levels).flat();
      const wrapped = wrapAt(dev.running, args, tree);
      return {
        rpc: rpc('get-configuration', x('database', null, 'committed')),
        text: () => (args.length === 0 ? show.configurationText(dev, tree, true) : show.configurationText(dev, childrenOf(tree), false)),
        xml: () => x('configuration', show.commitAttributes(dev), configToXml(wrapped)),
        config: { tree, path, wrapped },
      };
    },
  },
  {
    words: ['show', 'system', 'commit'],
    run: (args, dev) => {
      noArgs(args);
      return { rpc: rpc('get-commit-information'), text: () => show.commitHistoryText(dev), xml: () => show.commitHistoryXml(dev) };
    },
  },
  {
    words: ['show', 'system', 'uptime'],
    run: (args, dev) => {
      noArgs(args);
      return { rpc: rpc('get-system-uptime-information'), text: () => show.uptimeText(dev), xml: () => show.uptimeXml(dev) };
    },
  },
  {
    words: ['show', 'system', 'alarms'],
    run: (args) => {
      noArgs(args);
      return { rpc: rpc('get-system-alarm-information'), text: () => show.alarmsText(), xml: () => show.alarmsXml() };
    },
  },
  {
    words: ['show', 'chassis', 'hardware'],
    run: (args, dev) => {
      const o = options(args, ['detail', 'extensive', 'models'], []);
      noArgs(o.rest);
      return { rpc: rpc('get-chassis-inventory'), text: () => show.chassisHardwareText(dev), xml: () => show.chassisInventoryXml(dev) };
    },
  },
  {
    words: ['show', 'chassis', 'routing-engine'],
    run: (args, dev) => {
      noArgs(args);
      return { rpc: rpc('get-route-engine-information'), text: () => show.routeEngineText(dev), xml: () => show.routeEngineXml(dev) };
    },
  },
  {
    words: ['show', 'bridge', 'mac-table'],
    run: (args, dev) => {
      const o = options(args, ['count', 'brief', 'detail', 'extensive'], []);
      noArgs(o.rest);
      if (show.isSwitchModel(dev.model)) throw syntaxError('bridge');
      return {
        rpc: rpc('get-bridge-mac-table', o.flags.has('count') ? x('count', null) : null),
        text: () => (o.flags.has('count') ? '0 MAC address learned in routing instance default-switch bridge domain __juniper_private1__\n' : ''),
        xml: () =>
          x(o.flags.has('count') ? 'l2ald-rtb-mac-count' : 'l2ald-rtb-macdb', {
            xmlns: `http://xml.juniper.net/junos/${dev.version}/junos-l2al`,
            'junos:style': 'brief',
          }),
      };
    },
  },
  {
    words: ['ping'],
    run: (args, dev) => {
      const o = options(args, ['rapid', 'no-resolve', 'bypass-routing'], ['count', 'size', 'routing-instance', 'source', 'interface', 'wait', 'ttl']);
      const host = o.rest[0];
      if (host === undefined || o.rest.length > 1) throw syntaxError(o.rest[1] ?? 'ping', 'syntax error, expecting <host>');
      const count = Math.min(20, Math.max(1, Number(o.values.get('count') ?? '5') || 5));
      const ok = o.values.get('routing-instance') === undefined && reachable(dev.running, dev.neighbors, dev.routes, host);
      return {
        rpc: rpc('ping', x('host', null, host), x('count', null, String(count))),
        text: () => pingText(host, count, ok),
        xml: () => pingXml(host, count, ok),
      };
    },
  },
];

function childrenOf(node: ConfigNode): ConfigNode {
  if (node.kind === 'leaf') return { words: [], kind: 'container', values: [], children: [node], inactive: false };
  return { words: [], kind: 'container', values: [], children: node.children, inactive: false };
}

/** The running tree pruned to the path (for the XML form of `show configuration PATH`). */
function wrapAt(root: ConfigNode, args: readonly string[], target: ConfigNode): ConfigNode {
  const levels = pathLevels(root, args);
  let node: ConfigNode = target;
  for (let i = levels.length - 2; i >= 0; i--) {
    node = { words: levels[i] as string[], kind: 'container', values: [], children: [node], inactive: false };
  }
  return levels.length === 0 ? root : { words: [], kind: 'container', values: [], children: [node], inactive: false };
}

function rtt(i: number): number {
  return 0.8 + ((i * 37) % 10) / 10;
}

function pingText(host: string, count: number, ok: boolean): string {
  const lines = [`PING ${host} (${host}): 56 data bytes`];
  if (ok) for (let i = 0; i < count; i++) lines.push(`64 bytes from ${host}: icmp_seq=${i} ttl=64 time=${rtt(i).toFixed(3)} ms`);
  lines.push('', `--- ${host} ping statistics ---`, `${count} packets transmitted, ${ok ? count : 0} packets received, ${ok ? 0 : 100}% packet loss`);
  if (ok) {
    const r = Array.from({ length: count }, (_, i) => rtt(i));
    const avg = r.reduce((a, b) => a + b, 0) / count;
    lines.push(`round-trip min/avg/max/stddev = ${Math.min(...r).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...r).toFixed(3)}/0.251 ms`);
  }
  return lines.join('\n') + '\n';
}

function pingXml(host: string, count: number, ok: boolean): XNode {
  return x(
    'ping-results',
    null,
    x('target-host', null, host),
    x('target-ip', null, host),
    x('packet-size', null, '56'),
    ok
      ? Array.from({ length: count }, (_, i) =>
          x(
            'probe-result',
            null,
            x('probe-index', null, String(i + 1)),
            x('sequence-number', null, String(i)),
            x('rtt', null, String(Math.round(rtt(i) * 1000))),
          ),
        )
      : null,
    x(
      'probe-results-summary',
      null,
      x('probes-sent', null, String(count)),
      x('responses-received', null, String(ok ? count : 0)),
      x('packet-loss', null, ok ? '0' : '100'),
    ),
    ok ? x('ping-success', null) : x('ping-failure', null, 'no response'),
  );
}

/** Splits `cmd | pipe | pipe` (pipes inside quotes are kept). */
function splitPipes(line: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote = false;
  for (const ch of line) {
    if (ch === '"') quote = !quote;
    if (ch === '|' && !quote) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

function findSpec(tokens: readonly string[]): { spec: Spec; args: string[] } {
  let candidates: readonly Spec[] = SPECS;
  let depth = 0;
  for (;;) {
    const done = candidates.find((s) => s.words.length === depth);
    const longer = candidates.filter((s) => s.words.length > depth);
    const token = tokens[depth];
    if (token === undefined) {
      if (done !== undefined) return { spec: done, args: [] };
      throw syntaxError(tokens[depth - 1] ?? '', 'syntax error, command is incomplete');
    }
    const next = resolveWord(token, longer.map((s) => s.words[depth] as string));
    if (next === undefined) {
      if (done !== undefined) return { spec: done, args: tokens.slice(depth) };
      if (depth === 0) throw syntaxError(token, 'unknown command');
      throw syntaxError(token);
    }
    candidates = longer.filter((s) => s.words[depth] === next);
    depth++;
  }
}

/** Text filters (`| match`, `| except`, `| count`, `| last`, `| find`, `| trim`), applied in order. */
function applyTextPipes(text: string, pipes: readonly string[][]): string {
  let lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  for (const p of pipes) {
    const [name, ...rest] = p;
    const arg = rest.join(' ');
    switch (name) {
      case 'match':
        lines = lines.filter((l) => new RegExp(arg).test(l));
        break;
      case 'except':
        lines = lines.filter((l) => !new RegExp(arg).test(l));
        break;
      case 'find': {
        const i = lines.findIndex((l) => new RegExp(arg).test(l));
        lines = i < 0 ? [] : lines.slice(i);
        break;
      }
      case 'last':
        lines = lines.slice(-Math.max(1, Number(arg) || 10));
        break;
      case 'trim':
        lines = lines.map((l) => l.slice(Number(arg) || 0));
        break;
      case 'count':
        lines = [`Count: ${lines.length} lines`];
        break;
      default:
        break;
    }
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

const PIPES = ['display', 'match', 'except', 'count', 'last', 'find', 'trim', 'no-more', 'save'];

/**
 * Runs one CLI line. `format` is the `<command format=…>` attribute; `| display xml|json` overrides it.
 * Throws RpcFailure for unknown commands and bad arguments.
 */
export function runCommand(line: string, format: OutputFormat, dev: JunosDevice): CommandReply {
  const [base = '', ...pipeTexts] = splitPipes(line);
  const tokens = words(base);
  if (tokens.length === 0) throw syntaxError('', 'syntax error, expecting <command>');
  let fmt = format;
  let displayRpc = false;
  let displaySet = false;
  const textPipes: string[][] = [];
  for (const p of pipeTexts) {
    const [w = '', ...rest] = words(p);
    const name = resolveWord(w, PIPES);
    if (name === undefined) throw syntaxError(w, `syntax error, expecting <pipe-command>: ${w}`);
    if (name === 'display') {
      const what = resolveWord(rest[0] ?? '', ['xml', 'json', 'set', 'inheritance', 'detail', 'omit', 'changed']);
      if (what === 'xml' && rest[1] !== undefined && resolveWord(rest[1], ['rpc']) === 'rpc') displayRpc = true;
      else if (what === 'xml') fmt = 'xml';
      else if (what === 'json') fmt = 'json';
      else if (what === 'set') displaySet = true;
      else if (what === undefined) throw syntaxError(rest[0] ?? 'display', 'syntax error, expecting xml, json or set');
    } else if (name !== 'no-more' && name !== 'save') {
      textPipes.push([name, ...rest]);
    }
  }
  const { spec, args } = findSpec(tokens);
  const out = spec.run(args, dev);
  if (!('rpc' in out)) return out;
  if (displayRpc) return { nodes: [x('rpc', null, out.rpc)] };
  if (fmt === 'json') {
    if (out.config !== undefined) return { text: `\n${JSON.stringify(configToJson(out.config.wrapped, show.commitAttributes(dev)), null, 4)}\n` };
    const xml = out.xml();
    return { text: `\n${JSON.stringify(xml === undefined ? { output: [{ data: out.text() }] } : toJunosJson(xml), null, 4)}\n` };
  }
  if (fmt === 'xml' && !displaySet) {
    const xml = out.xml();
    if (xml !== undefined) return { nodes: [xml] };
  }
  if (out.config !== undefined) {
    const text = displaySet
      ? renderSetCommands(out.config.tree.words.length === 0 ? out.config.tree : childrenOf(out.config.tree), out.config.path)
      : out.text();
    return { nodes: [x('configuration-information', null, x('configuration-output', null, `\n${applyTextPipes(text, textPipes)}`))] };
  }
  const text = applyTextPipes(out.text(), textPipes);
  return text === '' ? { nodes: [] } : { nodes: [x('output', null, `\n${text}`)] };
}
