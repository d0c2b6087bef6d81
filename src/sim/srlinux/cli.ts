/**
 * The `cli` JSON-RPC method: the commands the bot and its demo use. CLI context (candidate mode)
 * lasts for one request, as on SR Linux. Results align with commands; text and table output is
 * `{"text": ...}`, json output the data itself.
 */
import { parsePath, type PathSegment } from './paths.js';
import { childSchema, ROOT, type SchemaNode } from './schema.js';
import { RpcFailure, type SrlDevice } from './device.js';
import { clone, diffTrees, edit, getAt, isObj, renderFlat, renderInfo, type Json, type Obj } from './tree.js';

type Format = 'json' | 'text' | 'table';

interface CliContext {
  candidate: Obj | undefined;
  /** The present working context (`interface mgmt0` moves into it); relative to the root. */
  path: PathSegment[];
  readonly user: string;
}

/** Splits on blanks, keeping "double quoted" words (with \" and \\ escapes) whole. */
export function cliWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string));
  return words;
}

/** Splits `cmd | as json | grep x` on pipes outside quotes. */
function splitPipes(line: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === '\\' && quoted) {
      cur += ch + (line[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === '|' && !quoted) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

export function runCli(device: SrlDevice, params: Obj, user: string): Json[] {
  const commands = params['commands'];
  if (!Array.isArray(commands) || commands.length === 0) throw new RpcFailure("Parameter 'commands' is required and must be a non-empty list", -32602);
  const formatParam = params['output-format'] ?? 'json';
  if (formatParam !== 'json' && formatParam !== 'text' && formatParam !== 'table') {
    throw new RpcFailure(`Output format '${String(formatParam)}' is not valid. Options are [json, table, text]`);
  }
  const ctx: CliContext = { candidate: undefined, path: [], user };
  return commands.map((c) => {
    if (typeof c !== 'string') throw new RpcFailure('cli commands are strings', -32602);
    return runOne(device, ctx, c, formatParam);
  });
}

function runOne(device: SrlDevice, ctx: CliContext, line: string, format: Format): Json {
  const [base = '', ...pipes] = splitPipes(line);
  let fmt = format;
  let grep: RegExp | undefined;
  for (const pipe of pipes) {
    const words = cliWords(pipe);
    if (words[0] === 'as' && (words[1] === 'json' || words[1] === 'text' || words[1] === 'table') && words.length === 2) fmt = words[1];
    else if (words[0] === 'grep' && words.length >= 2) grep = new RegExp(words.slice(1).join(' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    else throw new RpcFailure(`Parsing error: Unknown token '${words[0] ?? ''}' after '|'. Options are [as, grep]`);
  }
  const result = command(device, ctx, base, fmt);
  if (grep === undefined) return result;
  const text = isObj(result) && typeof result['text'] === 'string' ? result['text'] : `${JSON.stringify(result, null, 2)}\n`;
  const kept = text.split('\n').filter((l) => grep!.test(l));
  return { text: kept.length === 0 ? '' : `${kept.join('\n')}\n` };
}

const text = (t: string): Json => ({ text: t.endsWith('\n') || t === '' ? t : `${t}\n` });

function command(device: SrlDevice, ctx: CliContext, line: string, fmt: Format): Json {
  const words = cliWords(line.replace(/^\/(?=\S)/, '').replace(/^\/\s+/, ''));
  const [w0 = '', w1 = '', w2 = ''] = words;
  if (w0 === '') return {};
  if (w0 === 'ping' || w0 === 'bash' || w0 === 'traceroute' || w0 === 'ssh') throw new RpcFailure(`Interactive command '${w0}' is not allowed over JSON-RPC`);
  if (w0 === 'show' && w1 === 'version') return showVersion(device, fmt);
  if (w0 === 'show' && w1 === 'interface' && (w2 === 'brief' || w2 === '')) return showInterfaces(device, fmt);
  if (w0 === 'show' && w1 === 'network-instance' && words[3] === 'protocols' && words[4] === 'ospf' && words[5] === 'neighbor') {
    return showOspfNeighbors(device, w2, fmt);
  }
  if (w0 === 'info') return info(device, ctx, words.slice(1), fmt);
  if (w0 === 'enter' && w1 === 'candidate') {
    ctx.candidate ??= clone(device.running);
    return {};
  }
  if (w0 === 'tools' && w1 === 'system' && w2 === 'configuration') return tools(device, ctx, words.slice(3));
  if (ctx.candidate !== undefined && ['set', 'delete', 'diff', 'discard', 'load', 'commit'].includes(w0)) return candidateCommand(device, ctx, words, fmt);
  if (childSchema(ROOT, w0, true) !== undefined) {
    // A bare path moves the CLI context, as typing `interface mgmt0` does; it lasts for this request.
    try {
      ctx.path = flatPath(words, true).segments;
    } catch (err) {
      throw new RpcFailure(err instanceof Error ? err.message : String(err));
    }
    return {};
  }
  if (w0 === 'set' || w0 === 'delete' || w0 === 'diff' || w0 === 'commit' || w0 === 'discard') {
    throw new RpcFailure(`Parsing error: '${w0}' is available only in candidate mode: enter candidate first`);
  }
  throw new RpcFailure(`Parsing error: Unknown token '${w0}'. Options are [diff, enter, info, show, tools]`);
}

function candidateCommand(device: SrlDevice, ctx: CliContext, words: string[], _fmt: Format): Json {
  const candidate = ctx.candidate as Obj;
  const [w0 = '', w1 = ''] = words;
  if (w0 === 'set' || w0 === 'delete') {
    if (w1 !== '/') throw new RpcFailure(`Parsing error: use absolute paths: ${w0} / ...`);
    const { segments, value } = flatPath(words.slice(2));
    try {
      edit(candidate, w0 === 'set' ? 'update' : 'delete', segments, w0 === 'set' ? (value ?? {}) : undefined);
    } catch (err) {
      throw new RpcFailure(err instanceof Error ? err.message : String(err));
    }
    return {};
  }
  if (w0 === 'diff') return text(diffTrees(device.running, candidate));
  if (w0 === 'discard') {
    ctx.candidate = undefined;
    return text('All changes have been discarded. Leaving candidate mode.');
  }
  if (w0 === 'load' && w1 === 'checkpoint') {
    const by = words[2];
    const id = words[3];
    if ((by !== 'id' && by !== 'name') || id === undefined) throw new RpcFailure('Parsing error: load checkpoint id <N> | name <name>');
    ctx.candidate = clone(device.findCheckpoint(id).config);
    return {};
  }
  if (w0 === 'commit') {
    const rest = words.slice(1);
    const commentAt = rest.indexOf('comment');
    const comment = commentAt >= 0 ? (rest[commentAt + 1] ?? '') : '';
    if (rest[0] === 'validate') {
      device.check(candidate);
      return text('All changes have been validated successfully.');
    }
    if (rest[0] === 'confirmed') {
      const t = rest.indexOf('timeout');
      const seconds = t >= 0 ? Number(rest[t + 1]) : 600;
      if (!Number.isInteger(seconds) || seconds <= 0) throw new RpcFailure('Parsing error: commit confirmed timeout takes whole seconds');
      device.commit(candidate, ctx.user, comment, seconds);
    } else if (rest[0] === 'now' || rest[0] === 'stay' || rest[0] === 'save') {
      device.commit(candidate, ctx.user, comment);
    } else {
      throw new RpcFailure(`Parsing error: Unknown token '${rest[0] ?? ''}'. Options are [confirmed, now, save, stay, validate]`);
    }
    ctx.candidate = undefined;
    return text('All changes have been committed. Leaving candidate mode.');
  }
  throw new RpcFailure(`Parsing error: Unknown token '${w0}'. Options are [commit, delete, diff, discard, info, load, set]`);
}

function tools(device: SrlDevice, ctx: CliContext, words: string[]): Json {
  const [w0 = '', w1 = '', w2 = ''] = words;
  if (w0 === 'confirmed-accept') {
    device.accept();
    return text('All changes have been confirmed.');
  }
  if (w0 === 'confirmed-reject') {
    device.reject();
    return text('All changes have been rejected.');
  }
  if (w0 === 'generate-checkpoint') {
    const nameAt = words.indexOf('name');
    const commentAt = words.indexOf('comment');
    const name = nameAt >= 0 ? words[nameAt + 1] : undefined;
    device.generateCheckpoint(ctx.user, name, commentAt >= 0 ? (words[commentAt + 1] ?? '') : '');
    return text(
      `/system/configuration/checkpoint[id=0]:\n    Generated checkpoint '/etc/opt/srlinux/checkpoint/checkpoint-0.json' with name '${device.checkpoints[0]?.name}' and comment '${device.checkpoints[0]?.comment}'`,
    );
  }
  if (w0 === 'checkpoint' && w2 === 'revert') {
    device.commit(clone(device.findCheckpoint(w1).config), ctx.user, `revert to checkpoint ${w1}`);
    return text(`/system/configuration/checkpoint[id=${w1}]:\n    Successfully reverted to checkpoint ${w1}`);
  }
  throw new RpcFailure(`Parsing error: Unknown token '${w0}'. Options are [checkpoint, confirmed-accept, confirmed-reject, generate-checkpoint]`);
}

/** CLI path words (`interface ethernet-1/1 description x`) to segments, using the schema for list keys. */
function flatPath(words: string[], bareLeaf = false): { segments: PathSegment[]; value: Json | undefined } {
  const segments: PathSegment[] = [];
  let schema: SchemaNode = ROOT;
  for (let i = 0; i < words.length; i++) {
    const name = words[i] as string;
    const s = childSchema(schema, name, true);
    if (s === undefined) throw new RpcFailure(`Parsing error: Unknown token '${name}'`);
    if (s.kind === 'leaf' || s.kind === 'leaf-list') {
      if (bareLeaf && i === words.length - 1) {
        segments.push({ name, keys: {} });
        return { segments, value: undefined };
      }
      if (i !== words.length - 2) throw new RpcFailure(`Parsing error: leaf '${name}' takes exactly one value`);
      segments.push({ name, keys: {} });
      return { segments, value: words[i + 1] as string };
    }
    if (s.kind === 'list') {
      const key = words[i + 1];
      if (key === undefined) throw new RpcFailure(`Parsing error: '${name}' needs its ${s.key}`);
      segments.push({ name, keys: { [s.key]: key } });
      i++;
    } else {
      // An open (unmodelled) element followed by exactly one word is a leaf and its value.
      if (s.open && Object.keys(s.children).length === 0 && i === words.length - 2 && schema !== ROOT) {
        segments.push({ name, keys: {} });
        return { segments, value: words[i + 1] as string };
      }
      segments.push({ name, keys: {} });
    }
    schema = s;
  }
  return { segments, value: undefined };
}

function info(device: SrlDevice, ctx: CliContext, words: string[], fmt: Format): Json {
  let datastore = (ctx.candidate === undefined ? 'running' : 'candidate') as 'running' | 'state' | 'candidate';
  let flat = false;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'from' && (words[i + 1] === 'state' || words[i + 1] === 'running' || words[i + 1] === 'candidate')) {
      datastore = words[i + 1] as typeof datastore;
      i++;
    } else if (words[i] === 'flat') flat = true;
    else if (words[i] === 'detail') continue;
    else rest.push(words[i] as string);
  }
  const pathWords = rest[0] === '/' ? rest.slice(1) : rest;
  const tree = datastore === 'state' ? device.stateTree() : datastore === 'candidate' ? (ctx.candidate ?? device.running) : device.running;
  let segments: PathSegment[] = [];
  if (pathWords.length > 0) {
    segments = pathWords[0]?.startsWith('/') ? [...parsePath(pathWords.join('')).segments] : flatPath(pathWords, true).segments;
  }
  segments = [...ctx.path, ...segments];
  let value: Json;
  try {
    value = getAt(tree, segments, datastore === 'state');
  } catch (err) {
    throw new RpcFailure(err instanceof Error ? err.message : String(err));
  }
  if (fmt === 'json') return value;
  // Wrap the value back in its path so info prints the full context, as SR Linux does.
  let wrapped: Json = value;
  for (const seg of [...segments].reverse()) {
    const [k, v] = Object.entries(seg.keys)[0] ?? [];
    wrapped =
      k === undefined
        ? isObj(wrapped) && Object.keys(wrapped).length === 1 && Array.isArray(wrapped[seg.name])
          ? wrapped
          : { [seg.name]: wrapped }
        : { [seg.name]: [{ [k]: v as string, ...(isObj(wrapped) ? wrapped : {}) }] };
  }
  const obj = isObj(wrapped) ? wrapped : {};
  return text((flat ? renderFlat(obj) : renderInfo(obj)).join('\n'));
}

function showVersion(device: SrlDevice, fmt: Format): Json {
  const uptimeS = Math.floor((device.clock.now() - device.bootedAt) / 1000);
  const data = {
    Hostname: device.hostname,
    'Chassis Type': device.chassisType,
    'Part Number': 'Sim-Part-001',
    'Serial Number': device.serial,
    'System HW MAC Address': '1A:2B:3C:FF:00:00',
    'OS': 'SR Linux',
    'Software Version': device.version.split('-')[0] as string,
    'Build Number': device.version.split('-').slice(1).join('-'),
    Architecture: 'x86_64',
    'Last Booted': new Date(device.bootedAt).toISOString(),
    'Total Memory': '24052875 kB',
    'Free Memory': '21220250 kB',
  };
  if (fmt === 'json') return { 'basic system info': data };
  const width = Math.max(...Object.keys(data).map((k) => k.length));
  const lines = Object.entries(data).map(([k, v]) => `${`${k}`.padEnd(width)}: ${v}`);
  void uptimeS;
  return text(`${'-'.repeat(78)}\n${lines.join('\n')}\n${'-'.repeat(78)}`);
}

function showInterfaces(device: SrlDevice, fmt: Format): Json {
  const state = device.stateTree();
  const rows = (Array.isArray(state['interface']) ? state['interface'].filter(isObj) : []).map((i) => ({
    Port: String(i['name']),
    'Admin State': String(i['admin-state'] ?? 'enable'),
    'Oper State': String(i['oper-state'] ?? 'up'),
    Speed: String(i['name']).startsWith('mgmt') ? '1G' : '25G',
    Type: String(i['name']).startsWith('mgmt') ? '' : '25G',
    Description: String(i['description'] ?? ''),
  }));
  if (fmt === 'json') return { interfaces: rows };
  return text(table(['Port', 'Admin State', 'Oper State', 'Speed', 'Type', 'Description'], rows));
}

function showOspfNeighbors(device: SrlDevice, ni: string, fmt: Format): Json {
  const instances = getAt(device.running, parsePath(`/network-instance[name=${ni}]/protocols/ospf/instance`).segments, false);
  const list = isObj(instances) && Array.isArray(instances['instance']) ? instances['instance'].filter(isObj) : [];
  const instance = list[0];
  const areas = instance !== undefined && Array.isArray(instance['area']) ? instance['area'].filter(isObj) : [];
  const enabled = new Set(areas.flatMap((a) => (Array.isArray(a['interface']) ? a['interface'].filter(isObj) : []).map((i) => String(i['interface-name']))));
  const up = instance !== undefined && instance['admin-state'] !== 'disable';
  const rows = device.neighbors
    .filter((n) => up && enabled.has(n.interface))
    .map((n) => ({ 'Interface-Name': n.interface, 'Rtr Id': n.routerId, State: 'full', Pri: '1', RetxQ: '0', 'Time Before Dead': '35' }));
  if (fmt === 'json') return { 'network-instance': ni, 'ospf-instance': String(instance?.['name'] ?? ''), neighbors: rows };
  const header = `Net-Inst ${ni} OSPFv2 Instance ${String(instance?.['name'] ?? '-')} Neighbors\n`;
  return text(`${header}${table(['Interface-Name', 'Rtr Id', 'State', 'Pri', 'RetxQ', 'Time Before Dead'], rows)}No. of Neighbors: ${rows.length}`);
}

function table(columns: string[], rows: Record<string, string>[]): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const sep = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (cells: string[]) => `| ${cells.map((v, i) => v.padEnd(widths[i] as number)).join(' | ')} |`;
  return [sep, line(columns), sep, ...rows.map((r) => line(columns.map((c) => r[c] ?? ''))), sep, ''].join('\n');
}
