/**
 * Configuration RPCs: Junos XML API (lock-configuration, open-configuration, load-configuration,
 * get-configuration, commit-configuration, get-rollback-information) and their NETCONF
 * counterparts (lock, get-config, edit-config, validate, commit, discard-changes).
 */
import { configFromJson, configFromXml, configToJson, configToXml } from './config-xml.js';
import {
  ConfigSyntaxError,
  diffConfig,
  findChild,
  nodeKey,
  renderSetCommands,
  type ConfigNode,
  type LoadMethod,
} from './config-tree.js';
import { NAMED_CHILDREN } from './config-schema.js';
import type { JunosDevice, SessionState } from './device.js';
import { EMPTY, type RpcContext, type RpcHandler, type RpcReplyBody } from './rpc-context.js';
import { RpcFailure, issuesToErrors, rpcErrorNode, type RpcErrorSpec } from './rpc-error.js';
import { commitAttributes, configurationText } from './show-output.js';
import { child, childText, hasChild, parseXml, x, type XNode } from './xml.js';

function ok(ctx: RpcContext): RpcReplyBody {
  return { nodes: [x(ctx.nc('ok'), null)] };
}

function warningsNodes(ctx: RpcContext, warnings: readonly RpcErrorSpec[]): XNode[] {
  return warnings.map((w) => rpcErrorNode(w, ctx.nc));
}

/** Parse errors of loaded text become load-configuration-results rpc-errors. */
function asLoadFailure(err: unknown): unknown {
  if (err instanceof ConfigSyntaxError) return new RpcFailure(issuesToErrors(err.issues), 'load-configuration-results');
  if (err instanceof RpcFailure && err.wrapper === undefined) return new RpcFailure(err.errors, 'load-configuration-results');
  return err;
}

function rollbackIndex(text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || n > 49) {
    throw new RpcFailure([{ severity: 'error', message: `invalid rollback number: ${text ?? ''} (0 to 49)`, badElement: text ?? 'rollback' }]);
  }
  return n;
}

function homeOf(user: string): string {
  return `/var/home/${user}`;
}

/** A device path: absolute, or relative to the user's home. */
export function devicePath(user: string, path: string): string {
  if (path.startsWith('/')) return path;
  if (path === '~' || path.startsWith('~/')) return `${homeOf(user)}${path.slice(1)}`;
  return `${homeOf(user)}/${path}`;
}

// ---------------------------------------------------------------------------------------------
// load

function loadPatch(device: JunosDevice, session: SessionState, method: LoadMethod, format: string, content: XNode | string): void {
  if (typeof content !== 'string') device.load(session, configFromXml(content), method);
  else if (format === 'json') device.load(session, configFromJson(content), method);
  else device.loadText(session, content, method);
}

const loadConfiguration: RpcHandler = (req, ctx) => {
  const { device, session } = ctx;
  const action = req.attrs['action'] ?? 'merge';
  const format = req.attrs['format'] ?? 'xml';
  const results = (nodes: XNode[]): RpcReplyBody => ({
    nodes: [x('load-configuration-results', action === 'set' ? { action: 'set' } : null, nodes, x(ctx.nc('ok'), null))],
  });
  try {
    if (req.attrs['rollback'] !== undefined) {
      device.loadRollback(session, rollbackIndex(req.attrs['rollback']));
      return results([]);
    }
    if (req.attrs['rescue'] !== undefined) {
      throw new RpcFailure([{ severity: 'error', message: 'rescue configuration is not set' }]);
    }
    if (!['merge', 'replace', 'override', 'update', 'set'].includes(action)) {
      throw new RpcFailure([{ severity: 'error', message: `invalid action: ${action}`, badElement: action }]);
    }
    let content: XNode | string | undefined;
    const url = req.attrs['url'];
    if (url !== undefined) {
      const file = device.files.get(devicePath(session.user, url));
      if (file === undefined) throw new RpcFailure([{ severity: 'error', message: `could not open ${url}: No such file or directory`, badElement: url }]);
      content = format === 'xml' && action !== 'set' ? parseConfigurationXml(file.content) : file.content;
    } else if (action === 'set') {
      content = child(req, 'configuration-set')?.text ?? childText(req, 'configuration-text') ?? '';
    } else if (format === 'text') {
      content = child(req, 'configuration-text')?.text ?? '';
    } else if (format === 'json') {
      content = child(req, 'configuration-json')?.text ?? '';
    } else {
      content = child(req, 'configuration');
      if (content === undefined)
        throw new RpcFailure([{ severity: 'error', message: 'syntax error, expecting <configuration>', badElement: 'load-configuration' }]);
    }
    if (action === 'set') {
      const warnings = device.loadSet(session, typeof content === 'string' ? content : '');
      return results(warningsNodes(ctx, issuesToErrors(warnings)));
    }
    loadPatch(device, session, action as LoadMethod, format, content);
    return results([]);
  } catch (err) {
    throw asLoadFailure(err);
  }
};

/** `<configuration>` from a device file in XML format. */
function parseConfigurationXml(text: string): XNode {
  let root: XNode;
  try {
    root = parseXml(text.trim());
  } catch (err) {
    throw new RpcFailure([{ severity: 'error', message: (err as Error).message }]);
  }
  return root.name === 'configuration' ? root : x('configuration', null, root);
}

// ---------------------------------------------------------------------------------------------
// get-configuration

/** The subtree of `tree` the filter selects (`<system><domain-name/></system>`); empty filter = all. */
function applyFilter(tree: ConfigNode, filter: ConfigNode): ConfigNode {
  if (filter.children.length === 0) return tree;
  const out: ConfigNode = { ...tree, children: [] };
  const named = tree.words.length > 0 ? NAMED_CHILDREN.get(tree.words[0] as string) : undefined;
  for (const f of filter.children) {
    if (named !== undefined && f.words.length === 1 && f.words[0] === named && f.children.length === 0) {
      out.children.push(...tree.children);
      continue;
    }
    const t = findChild(tree, nodeKey(f));
    if (t === undefined) continue;
    out.children.push(f.kind === 'container' && f.children.length > 0 && t.kind === 'container' ? applyFilter(t, f) : t);
  }
  return out;
}

function configurationReply(device: JunosDevice, tree: ConfigNode, format: string): RpcReplyBody {
  switch (format) {
    case 'text':
      return { nodes: [x('configuration-text', null, `\n${configurationText(device, tree, true)}`)] };
    case 'set':
      return { nodes: [x('configuration-set', null, `\n${renderSetCommands(tree)}`)] };
    case 'json':
      return { text: `\n${JSON.stringify(configToJson(tree, commitAttributes(device)), null, 4)}\n` };
    case 'xml':
      return { nodes: [x('configuration', commitAttributes(device), configToXml(tree))] };
    default:
      throw new RpcFailure([{ severity: 'error', message: `invalid format: ${format}`, badElement: format }]);
  }
}

const getConfiguration: RpcHandler = (req, ctx) => {
  const { device, session } = ctx;
  const format = req.attrs['format'] ?? 'xml';
  const rollback = req.attrs['rollback'];
  if (req.attrs['compare'] === 'rollback') {
    const base = device.rollback(rollbackIndex(rollback ?? '0'));
    if (base === undefined) throw new RpcFailure([{ severity: 'error', message: `rollback ${rollback ?? '0'} does not exist` }]);
    const diff = diffConfig(base, device.candidate(session));
    return { nodes: [x('configuration-information', null, x('configuration-output', null, `\n${diff}`))] };
  }
  let tree: ConfigNode;
  if (rollback !== undefined) {
    const r = device.rollback(rollbackIndex(rollback));
    if (r === undefined) throw new RpcFailure([{ severity: 'error', message: `rollback ${rollback} does not exist` }]);
    tree = r;
  } else {
    tree = req.attrs['database'] === 'committed' ? device.running : device.candidate(session);
  }
  const filter = child(req, 'configuration');
  if (filter !== undefined) tree = applyFilter(tree, configFromXml(filter));
  return configurationReply(device, tree, format);
};

const getRollbackInformation: RpcHandler = (req, ctx) => {
  const { device } = ctx;
  const n = rollbackIndex(childText(req, 'rollback') ?? '0');
  const target = device.rollback(n);
  if (target === undefined) throw new RpcFailure([{ severity: 'error', message: `rollback ${n} does not exist` }]);
  const compare = childText(req, 'compare');
  let text: string;
  if (compare !== undefined) {
    const from = device.rollback(rollbackIndex(compare));
    if (from === undefined) throw new RpcFailure([{ severity: 'error', message: `rollback ${compare} does not exist` }]);
    text = diffConfig(from, target);
  } else {
    text = configurationText(device, target, false);
  }
  return { nodes: [x('rollback-information', null, x('configuration-information', null, x('configuration-output', null, `\n${text}`)))] };
};

// ---------------------------------------------------------------------------------------------
// commit

function commitResults(ctx: RpcContext, check: boolean, opts: { confirmMinutes?: number; log?: string }): RpcReplyBody {
  const outcome = ctx.device.commit(ctx.session, { check, ...opts });
  const re = x(
    'routing-engine',
    { 'junos:style': 'normal' },
    x('name', null, 're0'),
    x(check ? 'commit-check-success' : 'commit-success', null),
    !check ? x('commit-revision', null, outcome.revision) : null,
  );
  const notice =
    outcome.confirmMinutes !== undefined
      ? x('output', null, `commit confirmed will be automatically rolled back in ${outcome.confirmMinutes} minutes unless confirmed`)
      : null;
  return { nodes: [x('commit-results', null, notice, warningsNodes(ctx, outcome.warnings), re)] };
}

const commitConfiguration: RpcHandler = (req, ctx) => {
  if (hasChild(req, 'at-time')) throw new RpcFailure([{ severity: 'error', message: 'commit at is not supported by this device', badElement: 'at-time' }]);
  const log = childText(req, 'log');
  if (hasChild(req, 'check')) return commitResults(ctx, true, {});
  const opts: { confirmMinutes?: number; log?: string } = {};
  if (log !== undefined) opts.log = log;
  if (hasChild(req, 'confirmed')) {
    const timeout = childText(req, 'confirm-timeout') ?? '10';
    const minutes = Number(timeout);
    if (!/^\d+$/.test(timeout) || minutes < 1 || minutes > 65535) {
      throw new RpcFailure([{ severity: 'error', message: `invalid value for confirm-timeout: ${timeout} (1 to 65535 minutes)`, badElement: timeout }]);
    }
    opts.confirmMinutes = minutes;
  }
  return commitResults(ctx, false, opts);
};

/** NETCONF `<commit>`: confirm-timeout is in seconds (default 600), rounded up to Junos minutes. */
const netconfCommit: RpcHandler = (req, ctx) => {
  const opts: { confirmMinutes?: number } = {};
  if (hasChild(req, 'confirmed')) {
    const seconds = Number(childText(req, 'confirm-timeout') ?? '600');
    if (!Number.isFinite(seconds) || seconds < 1)
      throw new RpcFailure([{ severity: 'error', message: 'invalid confirm-timeout', tag: 'invalid-value', type: 'application' }]);
    opts.confirmMinutes = Math.max(1, Math.ceil(seconds / 60));
  }
  ctx.device.commit(ctx.session, opts);
  return ok(ctx);
};

const validate: RpcHandler = (_req, ctx) => {
  const outcome = ctx.device.commit(ctx.session, { check: true });
  return { nodes: [...warningsNodes(ctx, outcome.warnings), x(ctx.nc('ok'), null)] };
};

// ---------------------------------------------------------------------------------------------
// NETCONF datastore operations

function target(req: XNode): string | undefined {
  const t = child(req, 'target') ?? child(req, 'source');
  return t?.children[0]?.name;
}

const netconfLock: RpcHandler = (req, ctx) => {
  const t = target(req);
  if (t !== 'candidate' && t !== 'running')
    throw new RpcFailure([{ severity: 'error', message: `unsupported datastore: ${t ?? 'none'}`, tag: 'invalid-value' }]);
  ctx.device.lock(ctx.session, true);
  return ok(ctx);
};

const netconfUnlock: RpcHandler = (_req, ctx) => {
  ctx.device.unlock(ctx.session);
  return ok(ctx);
};

const getConfig: RpcHandler = (req, ctx) => {
  const source = target(req);
  const tree = source === 'running' ? ctx.device.running : ctx.device.candidate(ctx.session);
  const filter = child(child(req, 'filter') ?? emptyNode, 'configuration');
  const selected = filter === undefined ? tree : applyFilter(tree, configFromXml(filter));
  return { nodes: [x(ctx.nc('data'), null, x('configuration', commitAttributes(ctx.device), configToXml(selected)))] };
};

const emptyNode: XNode = x('none', null);

const editConfig: RpcHandler = (req, ctx) => {
  const configuration = child(child(req, 'config') ?? emptyNode, 'configuration');
  if (configuration === undefined)
    throw new RpcFailure([{ severity: 'error', message: 'edit-config needs <config><configuration>', tag: 'missing-element', badElement: 'config' }]);
  const op = childText(req, 'default-operation') ?? 'merge';
  const method: LoadMethod = op === 'replace' ? 'override' : 'replace';
  try {
    ctx.device.load(ctx.session, configFromXml(configuration), method);
  } catch (err) {
    throw asLoadFailure(err);
  }
  return ok(ctx);
};

// ---------------------------------------------------------------------------------------------
// sessions, locks, private candidate

const openConfiguration: RpcHandler = (req, ctx) => {
  if (hasChild(req, 'private')) {
    ctx.device.openPrivate(ctx.session);
    return { nodes: [rpcErrorNode({ severity: 'warning', message: 'uncommitted changes will be discarded on exit' }, ctx.nc)] };
  }
  const db = req.children[0]?.name;
  if (db === undefined) throw new RpcFailure([{ severity: 'error', message: 'missing mandatory statement: private', badElement: 'open-configuration' }]);
  throw new RpcFailure([{ severity: 'error', message: `${db} configuration database is not available on this device`, badElement: db }]);
};

export const CONFIG_RPCS: Readonly<Record<string, RpcHandler>> = {
  'lock-configuration': (_req, ctx) => {
    ctx.device.lock(ctx.session, false);
    return EMPTY;
  },
  'unlock-configuration': (_req, ctx) => {
    ctx.device.unlock(ctx.session);
    return EMPTY;
  },
  'open-configuration': openConfiguration,
  'close-configuration': (_req, ctx) => {
    ctx.device.closePrivate(ctx.session);
    return EMPTY;
  },
  'load-configuration': loadConfiguration,
  'get-configuration': getConfiguration,
  'commit-configuration': commitConfiguration,
  'get-rollback-information': getRollbackInformation,
  lock: netconfLock,
  unlock: netconfUnlock,
  commit: netconfCommit,
  validate,
  'discard-changes': (_req, ctx) => {
    ctx.device.discard(ctx.session);
    return ok(ctx);
  },
  'get-config': getConfig,
  'edit-config': editConfig,
  'close-session': (_req, ctx) => {
    ctx.closeAfterReply();
    return ok(ctx);
  },
  'kill-session': (req, ctx) => {
    const id = Number(childText(req, 'session-id'));
    const victim = ctx.device.findSession(id);
    if (victim === undefined || victim === ctx.session) {
      throw new RpcFailure([{ severity: 'error', message: `invalid session-id: ${childText(req, 'session-id') ?? ''}`, tag: 'invalid-value', type: 'rpc' }]);
    }
    victim.kill();
    return ok(ctx);
  },
};
